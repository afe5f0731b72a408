package org.npuc.ir.text;

import org.npuc.diag.UserError;

/**
 * A mistake in IR text: a syntax error, an unknown op, an undefined value and the like. Carries the
 * source name, the 1-based line and column, and the offending line, and renders them compiler-style
 * ({@code file:line:col: message}, the line, a caret under the column) so the user sees exactly
 * where to look.
 */
public class IrParseException extends UserError {
  /** Lines longer than this are shown as a window around the column. */
  private static final int MAX_SHOWN_LINE = 160;

  private final String sourceName;
  private final int line;
  private final int column;
  private final String lineText;
  private final String reason;
  private final String help;

  /**
   * @param line 1-based line
   * @param column 1-based column (in characters)
   * @param lineText the text of that line without its line break, or null when unknown
   * @param reason what is wrong, one sentence without position
   * @param help extra lines printed after the caret (e.g. the list of known ops), or null
   */
  public IrParseException(
      String sourceName, int line, int column, String lineText, String reason, String help) {
    super(render(sourceName, line, column, lineText, reason, help));
    this.sourceName = sourceName;
    this.line = line;
    this.column = column;
    this.lineText = lineText;
    this.reason = reason;
    this.help = help;
  }

  public String sourceName() {
    return sourceName;
  }

  public int line() {
    return line;
  }

  public int column() {
    return column;
  }

  /** The offending line as written (may be long), or null. */
  public String lineText() {
    return lineText;
  }

  /** What is wrong, without position, source line or help. */
  public String reason() {
    return reason;
  }

  /** Extra help (known ops, how to fix), or null. */
  public String help() {
    return help;
  }

  private static String render(
      String source, int line, int column, String lineText, String reason, String help) {
    StringBuilder sb = new StringBuilder();
    sb.append(source == null ? "<input>" : source)
        .append(':')
        .append(line)
        .append(':')
        .append(column)
        .append(": ");
    sb.append(reason);
    if (lineText != null) {
      String shown = lineText;
      int caret = Math.max(0, column - 1);
      if (shown.length() > MAX_SHOWN_LINE) {
        // A base64 constant can make a line megabytes long: show a window around the column.
        int from =
            Math.max(0, Math.min(caret - MAX_SHOWN_LINE / 2, shown.length() - MAX_SHOWN_LINE));
        int to = Math.min(shown.length(), from + MAX_SHOWN_LINE);
        String prefix = from > 0 ? "..." : "";
        shown = prefix + shown.substring(from, to) + (to < lineText.length() ? "..." : "");
        caret = caret - from + prefix.length();
      }
      caret = Math.min(caret, shown.length());
      sb.append('\n').append("  ").append(shown).append('\n').append("  ");
      for (int i = 0; i < caret; i++) sb.append(shown.charAt(i) == '\t' ? '\t' : ' ');
      sb.append('^');
    }
    if (help != null && !help.isEmpty()) sb.append('\n').append(help);
    return sb.toString();
  }
}

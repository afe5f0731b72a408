package org.npuc.ir.text;

import org.antlr.v4.runtime.Token;

/**
 * The text being parsed and its name, for building {@link IrParseException}s that quote the line.
 */
final class SourceText {
  private final String name;
  private final String text;

  SourceText(String name, String text) {
    this.name = name;
    this.text = text;
  }

  String name() {
    return name;
  }

  IrParseException error(int line, int column, String reason, String help) {
    return new IrParseException(name, line, column, lineText(line), reason, help);
  }

  IrParseException error(Token at, String reason, String help) {
    return error(at.getLine(), at.getCharPositionInLine() + 1, reason, help);
  }

  IrParseException error(Token at, String reason) {
    return error(at, reason, null);
  }

  /** Line {@code line} (1-based) without its line break; scans the text once, only on error. */
  String lineText(int line) {
    int start = 0;
    for (int l = 1; l < line; l++) {
      int nl = text.indexOf('\n', start);
      if (nl < 0) return null;
      start = nl + 1;
    }
    int end = text.indexOf('\n', start);
    if (end < 0) end = text.length();
    if (end > start && text.charAt(end - 1) == '\r') end--;
    return text.substring(start, end);
  }
}

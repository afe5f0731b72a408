package org.npuc.pass;

import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.npuc.diag.UserError;

/**
 * Parses pipeline text ({@code a,b(k=v,k="x,y"),c}) with the ANTLR grammar {@code Pipeline.g4}
 * into pass specs that keep their columns, so later messages can point at what the user wrote.
 */
public final class PipelineText {

  /** One option as written: {@code key=value}, with 0-based columns. */
  public record OptionSpec(String key, int keyColumn, String value, int valueColumn) {}

  /** One pass as written, with its 0-based column. */
  public record PassSpec(String name, int column, List<OptionSpec> options) {}

  private PipelineText() {}

  /** Parses {@code text}; a syntax error is a {@link UserError} with a caret under the column. */
  public static List<PassSpec> parse(String text) {
    ThrowingListener listener = new ThrowingListener(text);
    PipelineLexer lexer = new PipelineLexer(CharStreams.fromString(text));
    lexer.removeErrorListeners();
    lexer.addErrorListener(listener);
    PipelineParser parser = new PipelineParser(new CommonTokenStream(lexer));
    parser.removeErrorListeners();
    parser.addErrorListener(listener);
    PipelineParser.PipelineContext tree = parser.pipeline();
    List<PassSpec> passes = new ArrayList<>();
    for (PipelineParser.PassContext p : tree.pass()) {
      List<OptionSpec> options = new ArrayList<>();
      for (PipelineParser.OptionContext o : p.option()) {
        Token v = o.value().getStart();
        options.add(new OptionSpec(o.NAME().getText(), o.NAME().getSymbol().getCharPositionInLine(), unquote(v.getText()), v.getCharPositionInLine()));
      }
      passes.add(new PassSpec(p.NAME().getText(), p.NAME().getSymbol().getCharPositionInLine(), List.copyOf(options)));
    }
    return passes;
  }

  /** A message about the pipeline with the text and a caret under {@code column} (0-based). */
  public static String pointAt(String text, int column, String message) {
    String oneLine = text.replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
    int c = Math.max(0, Math.min(column, oneLine.length()));
    return message + "\n  " + oneLine + "\n  " + " ".repeat(c) + "^";
  }

  private static String unquote(String s) {
    if (s.length() < 2 || (s.charAt(0) != '"' && s.charAt(0) != '\'')) return s;
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i < s.length() - 1; i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length() - 1) c = s.charAt(++i);
      sb.append(c);
    }
    return sb.toString();
  }

  /** Replaces ANTLR's console listener: the first syntax error becomes a positioned UserError. */
  private static final class ThrowingListener extends BaseErrorListener {
    private final String text;

    ThrowingListener(String text) {
      this.text = text;
    }

    @Override
    public void syntaxError(Recognizer<?, ?> recognizer, Object offending, int line, int column, String msg, RecognitionException e) {
      String what;
      if (offending instanceof Token t) {
        what = t.getType() == Token.EOF ? "unexpected end of pipeline" : "unexpected '" + t.getText() + "'";
      } else {
        what = msg.startsWith("token recognition error") ? "unexpected character (an unterminated quote?)" : msg;
      }
      throw new UserError(pointAt(text, column, "bad pipeline syntax at column " + (column + 1) + ": " + what
          + "; write passes as a,b(key=value,key=\"x,y\"),c"));
    }
  }
}

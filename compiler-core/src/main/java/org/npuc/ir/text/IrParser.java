package org.npuc.ir.text;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.ParseCancellationException;
import org.npuc.diag.UserError;
import org.npuc.ir.Graph;
import org.npuc.ir.OpRegistry;

/**
 * Reads the IR text form (docs/ir.md) into a {@link Graph}. Ops are built with the result types
 * as written (no inference), so quantized types survive. Every mistake is an
 * {@link IrParseException} with the source name, line and column.
 */
public final class IrParser {
  private IrParser() {}

  /** Parses {@code text}; op names are checked against the global registry. */
  public static Graph parse(String text, String sourceName) {
    return parse(text, sourceName, OpRegistry.global());
  }

  /** Parses {@code text}; op names are checked against {@code registry}. */
  public static Graph parse(String text, String sourceName, OpRegistry registry) {
    String source = sourceName == null ? "<input>" : sourceName;
    SourceText src = new SourceText(source, text);
    NpuirLexer lexer = new NpuirLexer(CharStreams.fromString(text, source));
    ThrowingListener listener = new ThrowingListener(src);
    lexer.removeErrorListeners();
    lexer.addErrorListener(listener);
    CommonTokenStream tokens = new CommonTokenStream(lexer);
    NpuirParser parser = new NpuirParser(tokens);
    parser.removeErrorListeners();
    NpuirParser.GraphFileContext tree;
    // Two-stage parse: the fast SLL mode succeeds on every valid file of this grammar; on failure,
    // parse again in full LL mode so that the error message is the precise one.
    parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
    parser.setErrorHandler(new BailErrorStrategy());
    try {
      tree = parser.graphFile();
    } catch (ParseCancellationException e) {
      tokens.seek(0);
      parser.reset();
      parser.addErrorListener(listener);
      parser.setErrorHandler(new DefaultErrorStrategy());
      parser.getInterpreter().setPredictionMode(PredictionMode.LL);
      tree = parser.graphFile();
    }
    return new GraphReader(src, registry).read(tree);
  }

  /** Parses the file at {@code path} (UTF-8); the file name is the source name in messages. */
  public static Graph parse(Path path) {
    return parse(path, OpRegistry.global());
  }

  public static Graph parse(Path path, OpRegistry registry) {
    String text;
    try {
      text = Files.readString(path);
    } catch (NoSuchFileException e) {
      throw new UserError(path + ": no such file");
    } catch (CharacterCodingException e) {
      throw new UserError(path + ": not UTF-8 text (IR files are UTF-8)");
    } catch (IOException e) {
      throw new UserError(path + ": cannot read: " + e.getMessage(), e);
    }
    return parse(text, path.toString(), registry);
  }

  /** Turns ANTLR's syntax errors into {@link IrParseException}s at the offending token. */
  private static final class ThrowingListener extends BaseErrorListener {
    private final SourceText src;

    ThrowingListener(SourceText src) {
      this.src = src;
    }

    @Override
    public void syntaxError(
        Recognizer<?, ?> recognizer, Object offendingSymbol, int line, int charPositionInLine, String msg, RecognitionException e) {
      String reason = msg;
      if (msg.startsWith("token recognition error at: ")) {
        reason = "unexpected character " + msg.substring("token recognition error at: ".length());
      } else if (offendingSymbol instanceof Token t && t.getType() == Token.EOF) {
        reason = "unexpected end of input: " + msg.replace("<EOF>", "end of input");
      }
      throw src.error(line, charPositionInLine + 1, "syntax error: " + reason, null);
    }
  }
}

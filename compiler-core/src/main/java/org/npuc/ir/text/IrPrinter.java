package org.npuc.ir.text;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.npuc.ir.Attributes;
import org.npuc.ir.Graph;
import org.npuc.ir.Location;
import org.npuc.ir.Operation;
import org.npuc.ir.Tensor;
import org.npuc.ir.Value;
import org.npuc.ir.type.TensorType;

/**
 * Prints a {@link Graph} in the IR text form that {@link IrParser} reads (docs/ir.md). On screen
 * (the default) constants with more than {@link #DEFAULT_ELIDE_THRESHOLD} elements print as {@code
 * dense_elided<"hash">}; {@link #full()} keeps every constant so the text parses back losslessly.
 * Output is streamed op by op, so 100k-op graphs and 10M-element constants print in linear time.
 */
public final class IrPrinter {
  /** On screen, constants with more elements than this print elided. */
  public static final int DEFAULT_ELIDE_THRESHOLD = 16;

  private final int elideThreshold; // < 0: never elide
  private final boolean locations;

  /** The on-screen printer: large constants elided, locations printed. */
  public IrPrinter() {
    this(DEFAULT_ELIDE_THRESHOLD, true);
  }

  private IrPrinter(int elideThreshold, boolean locations) {
    this.elideThreshold = elideThreshold;
    this.locations = locations;
  }

  /**
   * For the screen: constants with more than 16 elements elided. Same as {@code new IrPrinter()}.
   */
  public static IrPrinter screen() {
    return new IrPrinter();
  }

  /** For files: every constant in full, so the text parses back. */
  public static IrPrinter full() {
    return new IrPrinter(-1, true);
  }

  /** A printer that elides constants with more than {@code n} elements ({@code n < 0}: never). */
  public IrPrinter withElideThreshold(int n) {
    return new IrPrinter(n, locations);
  }

  /** A printer that prints (or omits) {@code loc(...)}. */
  public IrPrinter withLocations(boolean print) {
    return new IrPrinter(elideThreshold, print);
  }

  /** True when some constants may print elided (the text then may not parse back). */
  public boolean elides() {
    return elideThreshold >= 0;
  }

  public int elideThreshold() {
    return elideThreshold;
  }

  public boolean printsLocations() {
    return locations;
  }

  public String print(Graph graph) {
    StringBuilder sb = new StringBuilder(Math.max(256, graph.size() * 96));
    try {
      print(graph, sb);
    } catch (UncheckedIOException e) {
      throw new IllegalStateException(e); // a StringBuilder does not fail
    }
    return sb.toString();
  }

  /** Streams the text of {@code graph} to {@code out}; I/O errors come as UncheckedIOException. */
  public void print(Graph graph, Appendable out) {
    try {
      new Run(graph, out).graph();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes {@code graph} to {@code path} with every constant in full (the {@code -o} form). The
   * text goes to a temporary file next to it that replaces {@code path} only when complete, so a
   * failure leaves no partial file.
   */
  public static void writeFile(Graph graph, Path path) throws IOException {
    Path abs = path.toAbsolutePath();
    Path tmp = org.npuc.driver.AtomicFiles.createSibling(abs); // umask permissions, not 0600
    try {
      try (Writer w =
          new BufferedWriter(Files.newBufferedWriter(tmp, StandardCharsets.UTF_8), 1 << 16)) {
        full().print(graph, w);
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
      try {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** One printing: the names of this graph's values and the output. */
  private final class Run {
    private final Graph graph;
    private final Appendable out;
    private final ValueNamer names;
    private final StringBuilder line = new StringBuilder(256);

    Run(Graph graph, Appendable out) {
      this.graph = graph;
      this.out = out;
      this.names = new ValueNamer(graph);
    }

    void graph() throws IOException {
      line.append("graph");
      String name = graph.name();
      if (name != null) {
        line.append(" @");
        if (!name.isEmpty() && ValueNamer.sanitize(name).equals(name) && !isDigits(name)) {
          line.append(name);
        } else {
          TextFormat.appendQuoted(line, name);
        }
      }
      if (!graph.attributes().isEmpty()) {
        line.append(' ');
        attributes(graph.attributes(), null);
      }
      line.append(" {\n");
      flush();
      for (Operation op = graph.first(); op != null; op = op.next()) operation(op);
      line.append("}\n");
      flush();
    }

    private void operation(Operation op) throws IOException {
      line.append("  ");
      List<Value> results = op.results();
      for (int i = 0; i < results.size(); i++)
        line.append(i == 0 ? "" : ", ").append(names.name(results.get(i)));
      if (!results.isEmpty()) line.append(" = ");
      line.append(TextFormat.name(op.name())).append('(');
      List<Value> operands = op.operands();
      for (int i = 0; i < operands.size(); i++)
        line.append(i == 0 ? "" : ", ").append(names.name(operands.get(i)));
      line.append(')');
      if (!op.attributes().isEmpty()) {
        line.append(' ');
        attributes(op.attributes(), op);
      }
      line.append(" : (");
      for (int i = 0; i < operands.size(); i++) {
        if (i > 0) line.append(", ");
        TextFormat.appendType(line, operands.get(i).type());
      }
      line.append(") -> ");
      if (results.size() == 1) {
        TextFormat.appendType(line, results.get(0).type());
      } else {
        line.append('(');
        for (int i = 0; i < results.size(); i++) {
          if (i > 0) line.append(", ");
          TextFormat.appendType(line, results.get(i).type());
        }
        line.append(')');
      }
      if (locations && !op.location().isUnknown()) location(op.location());
      line.append('\n');
      flush();
    }

    private void location(Location loc) {
      line.append(" loc(");
      List<String> ns = loc.names();
      for (int i = 0; i < ns.size(); i++) {
        if (i > 0) line.append(", ");
        TextFormat.appendQuoted(line, ns.get(i));
      }
      if (loc.file() != null) {
        line.append(ns.isEmpty() ? "in " : " in ");
        TextFormat.appendQuoted(line, loc.file());
      }
      line.append(')');
    }

    /** {@code {k = v, ...}}; {@code op} is null for graph attributes. */
    private void attributes(Attributes attrs, Operation op) throws IOException {
      line.append('{');
      boolean first = true;
      for (int i = 0, n = attrs.size(); i < n; i++) {
        if (!first) line.append(", ");
        first = false;
        line.append(TextFormat.name(attrs.key(i))).append(" = ");
        Object v = attrs.value(i);
        if (v instanceof Tensor t) {
          tensor(t, impliedType(op, attrs.key(i)));
        } else {
          AttributeText.append(line, v);
        }
      }
      line.append('}');
    }

    /** The constant's result type, when it lets {@code value} omit its own type. */
    private TensorType impliedType(Operation op, String key) {
      if (op == null || !op.is("constant") || !key.equals("value") || op.numResults() != 1)
        return null;
      return op.result().type();
    }

    private void tensor(Tensor t, TensorType implied) throws IOException {
      TensorType type = t.type();
      if (elideThreshold >= 0 && t.size() > elideThreshold && !TensorText.isSplat(t)) {
        line.append("dense_elided<\"").append(t.contentHash()).append("\">");
      } else {
        flush(); // a constant may be megabytes: stream it
        TensorText.write(t, out);
      }
      if (!type.equals(implied)) {
        line.append(" : ");
        TextFormat.appendType(line, type);
      }
    }

    private void flush() throws IOException {
      out.append(line);
      line.setLength(0);
    }
  }

  private static boolean isDigits(String s) {
    for (int i = 0; i < s.length(); i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
    return true;
  }
}

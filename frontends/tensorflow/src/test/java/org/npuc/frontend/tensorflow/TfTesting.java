package org.npuc.frontend.tensorflow;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.npuc.ir.Graph;
import org.npuc.ir.Operation;
import org.npuc.ir.Verifier;
import org.npuc.spi.ImportOptions;

/** Shared helpers for the frontend's tests: importing, and counting ops by name. */
final class TfTesting {
  private TfTesting() {}

  static Graph load(Path p) {
    return load(new ImportOptions(p));
  }

  /**
   * Imports and verifies the IR (types as the core ops infer them, operands defined before use).
   */
  static Graph load(ImportOptions o) {
    Graph g = new TensorFlowFrontend().importModel(o);
    Verifier.verify(g);
    return g;
  }

  static Map<String, Integer> opCounts(Graph g) {
    Map<String, Integer> m = new TreeMap<>();
    for (Operation op : g) m.merge(op.name(), 1, Integer::sum);
    return m;
  }

  /** A readable listing of the graph, for failure messages. */
  static String dump(Graph g) {
    StringBuilder sb = new StringBuilder();
    for (Operation op : g) {
      sb.append(op.name()).append(' ').append(op.attributes().asMap().keySet());
      for (var v : op.operands()) sb.append(' ').append(v.type().toText());
      sb.append(" ->");
      for (var v : op.results()) sb.append(' ').append(v.type().toText());
      sb.append("  ").append(op.location().primaryName()).append('\n');
    }
    return sb.toString();
  }
}

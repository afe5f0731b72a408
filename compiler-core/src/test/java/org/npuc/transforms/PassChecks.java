package org.npuc.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.npuc.interp.Interpreter;
import org.npuc.ir.Graph;
import org.npuc.ir.Operation;
import org.npuc.ir.Tensor;
import org.npuc.ir.text.IrParser;
import org.npuc.ir.text.IrPrinter;
import org.npuc.pass.PassContext;
import org.npuc.pass.PassManager;
import org.npuc.pass.PassRegistry;
import org.npuc.pass.Pipeline;

/**
 * Numeric checks for optimization passes: runs a pipeline on a copy of a graph and compares the
 * reference interpreter's outputs before and after on seeded random inputs, within 1e-5 of the
 * largest output magnitude.
 */
final class PassChecks {
  static final double TOLERANCE = 1e-5;

  private PassChecks() {}

  static Graph copy(Graph g) {
    return IrParser.parse(IrPrinter.full().print(g), g.name());
  }

  /** Runs {@code pipeline} on a copy of {@code g} and checks both compute the same; returns the copy. */
  static Graph optimizeAndCompare(String pipeline, Graph g) {
    return optimizeAndCompare(pipeline, g, PassContext.global());
  }

  static Graph optimizeAndCompare(String pipeline, Graph g, PassContext context) {
    Graph after = copy(g);
    new PassManager(Pipeline.parse(pipeline, PassRegistry.global()), context).run(after);
    compare(g, after, 3, -1f, 1f);
    return after;
  }

  /** Compares the outputs of two graphs on {@code seeds} random inputs in [lo, hi). */
  static void compare(Graph before, Graph after, int seeds, float lo, float hi) {
    for (int seed = 0; seed < seeds; seed++) {
      Map<String, Tensor> in = randomInputs(before, seed, lo, hi);
      Map<String, Tensor> want = new Interpreter(before).run(in);
      Map<String, Tensor> got = new Interpreter(after).run(in);
      assertEquals(want.keySet(), got.keySet());
      for (String k : want.keySet()) assertClose(k, want.get(k), got.get(k));
    }
  }

  static void assertClose(String name, Tensor want, Tensor got) {
    assertEquals(want.type().toText(), got.type().toText(), name);
    float[] a = want.floats();
    float[] b = got.floats();
    double scale = 1e-6;
    for (float v : a) scale = Math.max(scale, Math.abs(v));
    double worst = 0;
    for (int i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
    assertTrue(worst <= TOLERANCE * scale, name + ": max error " + worst + " exceeds " + TOLERANCE + " x " + scale);
  }

  static Map<String, Tensor> randomInputs(Graph g, long seed, float lo, float hi) {
    Random r = new Random(seed);
    Map<String, Tensor> m = new LinkedHashMap<>();
    for (Operation in : g.inputs()) {
      int[] s = in.result().type().shape();
      for (int i = 0; i < s.length; i++) if (s[i] < 0) s[i] = 2;
      float[] d = new float[(int) Tensor.count(s)];
      for (int i = 0; i < d.length; i++) d[i] = lo + (hi - lo) * r.nextFloat();
      m.put(in.attributes().getString("name"), Tensor.ofFloats(s, d));
    }
    return m;
  }

  static List<String> opNames(Graph g) {
    List<String> r = new ArrayList<>();
    for (Operation op : g) if (!op.is("constant")) r.add(op.name());
    return r;
  }

  /** The one op of kind {@code name} in {@code g}; fails the test unless there is exactly one. */
  static Operation only(Graph g, String name) {
    List<Operation> r = g.ops().stream().filter(o -> o.is(name)).toList();
    assertEquals(1, r.size(), name + " in " + opNames(g));
    return r.get(0);
  }
}

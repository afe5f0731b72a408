package org.npuc.ir.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.npuc.ir.Attributes;
import org.npuc.ir.Graph;
import org.npuc.ir.GraphEquivalence;
import org.npuc.ir.Location;
import org.npuc.ir.Tensor;
import org.npuc.ir.Value;
import org.npuc.ir.type.TensorType;

/**
 * Size sanity: a 100k-op chain and a 10M-element constant print and parse back. There is no timing
 * assertion; the times are printed (the report quotes them) and a quadratic printer or parser
 * would not finish within the test's budget.
 */
class IrTextPerformanceTest {

  static Graph chain(int n) {
    Graph g = new Graph("chain");
    Value v = g.append("input", List.of(), Attributes.of("name", "x"), List.of(TensorType.f32(1, 64)), Location.of("x")).result().setName("x");
    for (int i = 0; i < n; i++) {
      Attributes a = Attributes.of("alpha", 0.1 * i, "axes", new long[] {1, 2}, "mode", "same");
      v = g.append("relu", List.of(v), a, List.of(TensorType.f32(1, 64)), Location.of("layer_" + i, "model.pb")).result().setName("layer_" + i);
    }
    g.append("output", List.of(v), Attributes.of("name", "y"), List.of(), null);
    return g;
  }

  @Test
  void hundredThousandOpChain() {
    for (int n : new int[] {100_000}) {
      Graph g = chain(n);
      long t0 = System.nanoTime();
      String text = IrPrinter.full().print(g);
      long t1 = System.nanoTime();
      Graph back = IrParser.parse(text, "chain.npuir", IrRoundTripTest.OPS);
      long t2 = System.nanoTime();
      assertEquals(n + 2, back.size());
      assertNull(GraphEquivalence.firstDifference(g, back));
      System.out.printf("IR text, %d-op chain (%.1f MB of text): print %d ms, parse %d ms%n", n, text.length() / 1e6, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000);
    }
  }

  @Test
  void tenMillionElementConstant() {
    int n = 10_000_000;
    float[] data = new float[n];
    Random r = new Random(3);
    for (int i = 0; i < n; i++) data[i] = r.nextFloat();
    Graph g = new Graph("big");
    Value c = IrRoundTripApiTest.constant(g, "w", Tensor.ofFloats(new int[] {1000, 10000}, data));
    g.append("output", List.of(c), Attributes.of("name", "w"), List.of(), null);
    long t0 = System.nanoTime();
    String text = IrPrinter.full().print(g);
    long t1 = System.nanoTime();
    Graph back = IrParser.parse(text, "big.npuir", IrRoundTripTest.OPS);
    long t2 = System.nanoTime();
    String screen = new IrPrinter().print(g);
    long t3 = System.nanoTime();
    assertNull(GraphEquivalence.firstDifference(g, back));
    assertTrue(screen.length() < 300, screen);
    System.out.printf("IR text, 10M-element f32 constant (%.1f MB of text): print %d ms, parse %d ms, elided print %d ms%n", text.length() / 1e6, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000);
  }
}

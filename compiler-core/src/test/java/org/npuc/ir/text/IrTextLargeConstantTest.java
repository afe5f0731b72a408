package org.npuc.ir.text;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.npuc.ir.Attributes;
import org.npuc.ir.Graph;
import org.npuc.ir.GraphEquivalence;
import org.npuc.ir.Tensor;
import org.npuc.ir.Value;

/**
 * Size sanity: a 10M-element constant prints in full (base64, streamed), parses back bit for bit,
 * and prints elided on screen. No timing assertion; the times are printed for the report.
 */
class IrTextLargeConstantTest {

  @Test
  void tenMillionElementConstant() {
    int n = 10_000_000;
    float[] data = new float[n];
    Random r = new Random(3);
    for (int i = 0; i < n; i++) data[i] = r.nextFloat();
    Graph g = new Graph("big");
    Value c = IrRoundTripApiTest.constant(g, "w", Tensor.ofFloats(new int[] {1000, 10000}, data));
    g.append("output", List.of(c), Attributes.of("name", "w"), List.of(), null);
    long[] t0 = IrTextPerformanceTest.now();
    String text = IrPrinter.full().print(g);
    long[] t1 = IrTextPerformanceTest.now();
    Graph back = IrParser.parse(text, "big.npuir", IrRoundTripTest.OPS);
    long[] t2 = IrTextPerformanceTest.now();
    String screen = new IrPrinter().print(g);
    long[] t3 = IrTextPerformanceTest.now();
    assertNull(GraphEquivalence.firstDifference(g, back));
    assertTrue(screen.length() < 300, screen);
    System.out.printf(
        "IR text, 10M-element f32 constant (%.1f MB of text): print %s, parse %s, elided print"
            + " %s%n",
        text.length() / 1e6,
        IrTextPerformanceTest.ms(t0, t1),
        IrTextPerformanceTest.ms(t1, t2),
        IrTextPerformanceTest.ms(t2, t3));
  }
}

package org.npuc.ir.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.npuc.ir.Attributes;
import org.npuc.ir.Graph;
import org.npuc.ir.GraphEquivalence;
import org.npuc.ir.Location;
import org.npuc.ir.Value;
import org.npuc.ir.type.TensorType;

/**
 * Size sanity: a 100k-op chain prints and parses back. There is no timing assertion; the times are
 * printed (the report quotes them) and a quadratic printer or parser would not finish within the
 * test's budget. {@link IrTextLargeConstantTest} does the same for a 10M-element constant.
 */
class IrTextPerformanceTest {

  static Graph chain(int n) {
    Graph g = new Graph("chain");
    Value v =
        g.append(
                "input",
                List.of(),
                Attributes.of("name", "x"),
                List.of(TensorType.f32(1, 64)),
                Location.of("x"))
            .result()
            .setName("x");
    for (int i = 0; i < n; i++) {
      Attributes a = Attributes.of("alpha", 0.1 * i, "axes", new long[] {1, 2}, "mode", "same");
      v =
          g.append(
                  "relu",
                  List.of(v),
                  a,
                  List.of(TensorType.f32(1, 64)),
                  Location.of("layer_" + i, "model.pb"))
              .result()
              .setName("layer_" + i);
    }
    g.append("output", List.of(v), Attributes.of("name", "y"), List.of(), null);
    return g;
  }

  @Test
  void hundredThousandOpChain() {
    for (int n : new int[] {100_000}) {
      Graph g = chain(n);
      long[] t0 = now();
      String text = IrPrinter.full().print(g);
      long[] t1 = now();
      Graph back = IrParser.parse(text, "chain.npuir", IrRoundTripTest.OPS);
      long[] t2 = now();
      assertEquals(n + 2, back.size());
      assertNull(GraphEquivalence.firstDifference(g, back));
      System.out.printf(
          "IR text, %d-op chain (%.1f MB of text): print %s, parse %s%n",
          n, text.length() / 1e6, ms(t0, t1), ms(t1, t2));
    }
  }

  /** Wall and this thread's CPU time; on a shared machine the CPU time is the stable figure. */
  static long[] now() {
    return new long[] {
      System.nanoTime(), ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime()
    };
  }

  static String ms(long[] from, long[] to) {
    return String.format(
        "%d ms CPU (%d ms wall)", (to[1] - from[1]) / 1_000_000, (to[0] - from[0]) / 1_000_000);
  }
}

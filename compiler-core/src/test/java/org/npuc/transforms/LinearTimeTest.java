package org.npuc.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.npuc.ir.Builder;
import org.npuc.ir.Graph;
import org.npuc.ir.OpRegistry;
import org.npuc.ir.Tensor;
import org.npuc.ir.Value;
import org.npuc.ir.type.TensorType;
import org.npuc.pass.PassContext;
import org.npuc.pass.PassManager;
import org.npuc.pass.PassRegistry;
import org.npuc.pass.Pipeline;
import org.npuc.testing.ToyOps;

/**
 * Every general pass on graphs of 100k+ ops, built to hit the quadratic traps: one value read by
 * 50k ops, 50k equal constants, a 25k-long constant chain, 25k pass-through ops, 50k dead ops.
 * Linear passes take well under a second each; a quadratic one would take minutes.
 */
class LinearTimeTest {
  private static final int N = 25_000;
  private final OpRegistry ops = ToyOps.registry();

  private Graph build() {
    Graph g = new Graph("big");
    Builder b = new Builder(g, ops);
    Value x = b.input("x", TensorType.f32(-1, 4), null);
    Value acc = x;
    Value chain = b.constant(Tensor.ofFloats(new int[] {1, 4}, new float[] {1, 2, 3, 4}), null);
    for (int i = 0; i < N; i++) {
      Value w = b.constant(Tensor.ofFloats(new int[] {1, 4}, new float[] {1, 2, 3, 4}), null); // all equal: cse
      Value fan = b.value("toy_add", List.of(x, w), null, null); // x read by 2N ops
      b.value("toy_neg", List.of(x), null, null); // dead
      b.value("toy_neg", List.of(fan), null, null); // dead
      chain = b.value("toy_neg", List.of(chain), null, null); // constant chain: fold
      acc = b.value("toy_copy", List.of(b.value("toy_add", List.of(acc, fan), null, null)), null, null);
    }
    b.output("y", b.value("toy_add", List.of(acc, chain), null, null), null);
    return g;
  }

  @Test
  void allGeneralPassesScaleLinearly() {
    Graph g = build();
    assertEquals(7 * N + 4, g.size());
    PassRegistry r = new PassRegistry();
    Passes.registerAll(r);
    String pipeline = "verify,infer_shapes,remove_nodes(op=toy_copy),fold_constants,cse,eliminate_dead_code,"
        + "strip_unused_nodes(shape=\"2,4\"),verify";
    PassManager pm = new PassManager(Pipeline.parse(pipeline, r), new PassContext(ops));
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> pm.run(g));
    // left: x, the merged constant (the folded chain, negated an even number of times, equals
    // the weights, so cse merged it too), one add reading x, the N-long add chain, the final add,
    // output
    assertEquals(N + 5, g.size());
    assertEquals(TensorType.f32(2, 4), g.last().operand(0).type());
  }
}

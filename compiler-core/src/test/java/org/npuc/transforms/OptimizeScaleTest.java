package org.npuc.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.npuc.ir.Graph;
import org.npuc.ir.Value;
import org.npuc.pass.PassContext;
import org.npuc.pass.PassManager;
import org.npuc.pass.PassRegistry;
import org.npuc.pass.Pipeline;

/**
 * The optimize pipeline on a graph of 100k+ ops (10k blocks of pad, conv, bias_add, batch_norm,
 * relu and an inverse transpose pair, with their constants): every block folds to one conv, in
 * time linear enough for CI.
 */
class OptimizeScaleTest {
  @Test
  void hundredThousandOps() {
    NetBuilder n = new NetBuilder(99);
    Value x = n.input("x", 1, 1, 3, 3);
    int blocks = 10_000;
    for (int i = 0; i < blocks; i++) {
      Value p = n.op("pad", List.of(x), "pads", new int[] {0, 0, 1, 1, 0, 0, 1, 1});
      Value c = n.op("conv2d", List.of(p, n.random(0.5f, 1, 1, 1, 3, 3)));
      Value b = n.op("bias_add", List.of(c, n.random(-1, 1, 1)), "axis", 1);
      Value r = n.op("relu", List.of(n.batchNorm(b, 1)));
      Value t = n.op("transpose", List.of(r), "perm", new int[] {0, 2, 3, 1});
      x = n.op("transpose", List.of(t), "perm", new int[] {0, 3, 1, 2});
    }
    n.output("y", x);
    Graph g = n.graph;
    assertTrue(g.size() > 100_000, "size " + g.size());
    long t0 = System.nanoTime();
    PassManager pm = new PassManager(Pipeline.parse("optimize", PassRegistry.global()), PassContext.global());
    org.npuc.pass.TimingInstrumentation timer = new org.npuc.pass.TimingInstrumentation().withVerifier(pm.verifier());
    pm.addInstrumentation(timer).run(g);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    System.out.print(timer.report());
    System.out.println("optimize on " + blocks + " blocks: " + ms + " ms, " + g.size() + " ops left");
    assertEquals(List.of("input", "output"), PassChecks.opNames(g).stream().filter(s -> !s.equals("conv2d")).toList());
    assertEquals(blocks, PassChecks.opNames(g).stream().filter(s -> s.equals("conv2d")).count());
    assertTrue(ms < 60_000, "optimize took " + ms + " ms (quadratic somewhere?)");
  }
}

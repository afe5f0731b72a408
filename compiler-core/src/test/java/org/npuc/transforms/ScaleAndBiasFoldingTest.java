package org.npuc.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.npuc.transforms.PassChecks.opNames;
import static org.npuc.transforms.PassChecks.optimizeAndCompare;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.npuc.ir.Graph;
import org.npuc.ir.Value;

/** fold_old_batch_norms, merge_scale_to_conv and fuse_bias_add, numerically and structurally. */
class ScaleAndBiasFoldingTest {
  private static final int[] SAME = {1, 1, 1, 1};

  @Test
  void oldBatchNormsFoldIntoConvAndThroughConcat() {
    NetBuilder n = new NetBuilder(11);
    Value x = n.input("x", 1, 3, 6, 6);
    n.output("direct", n.batchNorm(n.conv(x, 4, 3, SAME, 1, true), 1));
    Value cat = n.op("concat", List.of(n.conv(x, 2, 3, SAME, 1, false), n.conv(x, 5, 1, new int[4], 1, true)), "axis", 1);
    n.output("cat", n.batchNorm(cat, 1));
    Value spatial = n.op("concat", List.of(n.conv(x, 3, 3, SAME, 1, true), n.conv(x, 3, 3, SAME, 1, true)), "axis", 2);
    n.output("spatial", n.batchNorm(spatial, 1));
    Graph g = optimizeAndCompare("fold_old_batch_norms", n.graph);
    assertEquals(0, opNames(g).stream().filter(s -> s.equals("batch_norm")).count(), opNames(g).toString());
  }

  @Test
  void oldBatchNormsLeaveMatmulAndMulChains() {
    NetBuilder n = new NetBuilder(12);
    Value x = n.input("x", 2, 4);
    n.output("mm", n.batchNorm(n.op("matmul", List.of(x, n.random(-1, 1, 4, 3))), 1));
    Value img = n.input("img", 1, 2, 4, 4);
    n.output("mul", n.op("mul", List.of(n.conv(img, 3, 3, SAME, 1, true), n.random(-1, 1, 3, 1, 1))));
    Graph g = optimizeAndCompare("fold_old_batch_norms", n.graph);
    assertEquals(List.of("input", "matmul", "batch_norm", "output", "input", "conv2d", "mul", "output"), opNames(g));
  }

  @Test
  void caffeBatchNormScaleIntoConvAndMergedElsewhere() {
    NetBuilder n = new NetBuilder(13);
    Value x = n.input("x", 1, 3, 6, 6);
    Value conv = n.batchNorm(n.conv(x, 4, 3, SAME, 1, true), 1);
    n.output("conv", n.op("scale", List.of(conv, n.random(-2, 2, 4), n.random(-1, 1, 4)), "axis", 1));
    Value pool = n.op("max_pool", List.of(x), "kernel", new int[] {2, 2}, "strides", new int[] {2, 2});
    Value bn = n.batchNorm(pool, 1);
    Value sc = n.op("scale", List.of(bn, n.random(-2, 2, 3)), "axis", 1);
    n.output("pool", n.op("bias_add", List.of(sc, n.random(-1, 1, 3)), "axis", 1));
    Graph g = optimizeAndCompare("merge_scale_to_conv", n.graph);
    assertEquals(List.of("input", "conv2d", "output", "max_pool", "scale", "output"), opNames(g));
  }

  @Test
  void scaleOverSeveralAxesIsLeft() {
    NetBuilder n = new NetBuilder(14);
    Value x = n.input("x", 1, 2, 3, 3);
    Value conv = n.conv(x, 2, 1, new int[4], 1, true);
    n.output("y", n.op("scale", List.of(conv, n.random(-1, 1, 2, 3, 3)), "axis", 1));
    Graph g = optimizeAndCompare("merge_scale_to_conv", n.graph);
    assertEquals(List.of("input", "conv2d", "scale", "output"), opNames(g));
  }

  @Test
  void biasAddAndPerChannelAddBecomeTheBias() {
    NetBuilder n = new NetBuilder(15);
    Value x = n.input("x", 1, 3, 5, 5);
    n.output("conv", n.op("relu", List.of(n.op("bias_add", List.of(n.conv(x, 4, 3, SAME, 1, false), n.random(-1, 1, 4)), "axis", 1))));
    Value v = n.input("v", 2, 6);
    Value mm = n.op("matmul", List.of(v, n.random(-1, 1, 5, 6), n.random(-1, 1, 5)), "transpose_b", true);
    n.output("mm", n.op("add", List.of(mm, n.random(-1, 1, 1, 5))));
    n.output("not_per_channel", n.op("add", List.of(n.conv(x, 2, 1, new int[4], 1, false), n.random(-1, 1, 1, 2, 5, 5))));
    Graph g = optimizeAndCompare("fuse_bias_add", n.graph);
    assertEquals(List.of("input", "conv2d", "relu", "output", "input", "matmul", "output", "conv2d", "add", "output"), opNames(g));
  }
}

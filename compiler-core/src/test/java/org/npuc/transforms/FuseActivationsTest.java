package org.npuc.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.npuc.transforms.PassChecks.only;
import static org.npuc.transforms.PassChecks.opNames;
import static org.npuc.transforms.PassChecks.optimizeAndCompare;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.npuc.ir.Graph;
import org.npuc.ir.Operation;
import org.npuc.ir.Value;
import org.npuc.pass.PassContext;

/** fuse_activations, including the QAT case across a fake_quant, numerically and structurally. */
class FuseActivationsTest {
  private static final int[] SAME = {1, 1, 1, 1};

  @Test
  void eachActivationIntoEachTarget() {
    NetBuilder n = new NetBuilder(21);
    Value x = n.input("x", 1, 3, 5, 5);
    n.output("relu", n.op("relu", List.of(n.conv(x, 2, 3, SAME, 1, true))));
    n.output("clip", n.op("clip", List.of(n.conv(x, 2, 3, SAME, 1, true)), "min", -0.5, "max", 0.25));
    Value w = n.random(-1, 1, 3, 2, 2, 2);
    n.output("leaky", n.op("leaky_relu", List.of(n.op("deconv2d", List.of(x, w), "strides", new int[] {2, 2})), "alpha", 0.1));
    Value v = n.input("v", 2, 4);
    n.output("relu6", n.op("relu6", List.of(n.op("mul", List.of(n.op("matmul", List.of(v, n.random(-4, 4, 4, 3))), n.constant(new float[] {3f}))))));
    n.output("add", n.op("relu6", List.of(n.op("add", List.of(v, n.random(-4, 4, 2, 4))))));
    Graph g = optimizeAndCompare("fuse_activations", n.graph);
    assertEquals(List.of("input", "conv2d", "output", "conv2d", "output", "deconv2d", "output", "input", "matmul", "mul", "relu6", "output", "add", "output"),
        opNames(g));
    assertEquals(0.1, only(g, "deconv2d").attributes().getDouble("act_alpha"), 1e-12);
  }

  @Test
  void refusesSecondReaderAndDisabledAdd() {
    NetBuilder n = new NetBuilder(22);
    Value x = n.input("x", 1, 3, 5, 5);
    Value c = n.conv(x, 2, 3, SAME, 1, true);
    n.output("act", n.op("relu", List.of(c)));
    n.output("raw", c);
    Value v = n.input("v", 2, 4);
    n.output("add", n.op("relu6", List.of(n.op("add", List.of(v, n.random(-4, 4, 2, 4))))));
    PassContext ctx = PassContext.global();
    Graph g = optimizeAndCompare("fuse_activations(add=false)", n.graph, ctx);
    assertEquals(List.of("input", "conv2d", "relu", "output", "output", "input", "add", "relu6", "output"), opNames(g));
    String r = ctx.remarks().toString();
    assertTrue(r.contains("has 2 readers") && r.contains("add=false"), r);
  }

  @Test
  void clampsCompose() {
    NetBuilder n = new NetBuilder(23);
    Value x = n.input("x", 1, 3, 4, 4);
    n.output("y", n.op("clip", List.of(n.op("relu6", List.of(n.conv(x, 2, 3, SAME, 1, true, "act", "relu")))), "min", 1.0, "max", 9.0));
    Graph g = optimizeAndCompare("fuse_activations", n.graph);
    Operation c = only(g, "conv2d");
    assertEquals("clip", c.attributes().getString("act", "none"));
    assertEquals(1.0, c.attributes().getDouble("act_min"));
    assertEquals(6.0, c.attributes().getDouble("act_max"));
  }

  /** The hand-written QAT graph: conv → bias_add → relu6 → fake_quant, weights fake-quantized. */
  static Graph qatGraph() {
    NetBuilder n = new NetBuilder(24);
    Value x = n.input("x", 1, 3, 6, 6);
    Value w = n.op("fake_quant", List.of(n.random(-1, 1, 4, 3, 3, 3)), "min", new double[] {-1, -1, -1, -1}, "max", new double[] {1, 1, 1, 1},
        "axis", 0, "narrow_range", true);
    Value c = n.op("conv2d", List.of(x, w), "pads", SAME);
    Value b = n.op("bias_add", List.of(c, n.random(-1, 1, 4)), "axis", 1);
    Value r = n.op("relu6", List.of(b));
    n.output("y", n.op("fake_quant", List.of(r), "min", 0.0, "max", 6.0));
    return n.graph;
  }

  @Test
  void qatReluSixFusedAndFakeQuantRangeOnTheFusedOutput() {
    Graph g = optimizeAndCompare("optimize", qatGraph());
    assertEquals(List.of("input", "fake_quant", "conv2d", "fake_quant", "output"), opNames(g));
    Operation conv = only(g, "conv2d");
    assertEquals("relu6", conv.attributes().getString("act", "none"));
    Operation out = g.outputs().get(0).operand(0).definingOp();
    assertSame(conv.result(), out.operand(0));
    assertArrayEquals(new double[] {0.0}, out.attributes().getDoubles("min", null));
    assertArrayEquals(new double[] {6.0}, out.attributes().getDoubles("max", null));
  }

  @Test
  void acrossFakeQuantOnlyWhenTheBoundsAreOnTheGrid() {
    NetBuilder n = new NetBuilder(25);
    Value x = n.input("x", 1, 3, 4, 4);
    // conv → fake_quant[-6, 6] → relu6: 0 and 6 are on that grid, so relu6 moves into the conv.
    n.output("on", n.op("relu6", List.of(n.op("fake_quant", List.of(n.conv(x, 2, 3, SAME, 1, true)), "min", -6.0, "max", 6.0))));
    // conv → fake_quant[-1, 1.7] → clip(0, 1.5): 1.5 is not on the grid and inside the range.
    n.output("off", n.op("clip", List.of(n.op("fake_quant", List.of(n.conv(x, 2, 3, SAME, 1, true)), "min", -1.0, "max", 1.7)), "min", 0.0, "max", 1.5));
    // leaky_relu does not commute with quantization.
    n.output("leaky", n.op("leaky_relu", List.of(n.op("fake_quant", List.of(n.conv(x, 2, 3, SAME, 1, true)), "min", -1.0, "max", 1.0))));
    PassContext ctx = PassContext.global();
    Graph g = optimizeAndCompare("fuse_activations", n.graph, ctx);
    assertEquals(List.of("input", "conv2d", "fake_quant", "output", "conv2d", "fake_quant", "clip", "output", "conv2d", "fake_quant", "leaky_relu", "output"),
        opNames(g));
    String r = ctx.remarks().toString();
    assertTrue(r.contains("neither on the fake_quant grid") && r.contains("does not commute"), r);
  }

  @Test
  void monotoneActivationsThroughMaxPoolWithPadding() {
    NetBuilder n = new NetBuilder(26);
    Value x = n.input("x", 1, 2, 5, 5);
    Value p = n.op("max_pool", List.of(n.conv(x, 3, 3, SAME, 1, true)), "kernel", new int[] {3, 3}, "strides", new int[] {2, 2},
        "pads", new int[] {1, 1, 1, 1}, "ceil_mode", true);
    n.output("y", n.op("leaky_relu", List.of(p), "alpha", 0.2));
    Value q = n.op("max_pool", List.of(n.conv(x, 3, 3, SAME, 1, true)), "kernel", new int[] {2, 2});
    n.output("z", n.op("hard_swish", List.of(q)));
    Graph g = optimizeAndCompare("fuse_activations(activation=leaky_relu,activation=hard_swish)", n.graph);
    assertEquals(List.of("input", "conv2d", "max_pool", "output", "conv2d", "max_pool", "hard_swish", "output"), opNames(g));
  }
}

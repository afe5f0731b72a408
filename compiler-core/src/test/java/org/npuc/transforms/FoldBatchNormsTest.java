package org.npuc.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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

/** fold_batch_norms numerically (interpreter before/after) and structurally. */
class FoldBatchNormsTest {
  private static final int[] SAME = {1, 1, 1, 1};

  @Test
  void convBatchNormWithAndWithoutBias() {
    for (boolean bias : new boolean[] {false, true}) {
      NetBuilder n = new NetBuilder(1);
      Value x = n.input("x", 2, 3, 6, 5);
      n.output("y", n.op("relu", List.of(n.batchNorm(n.conv(x, 4, 3, SAME, 1, bias), 1))));
      Graph g = optimizeAndCompare("fold_batch_norms", n.graph);
      assertEquals(List.of("input", "conv2d", "relu", "output"), opNames(g));
      assertEquals(3, only(g, "conv2d").numOperands());
    }
  }

  @Test
  void depthwiseAndGroupedDeconv() {
    NetBuilder n = new NetBuilder(2);
    Value x = n.input("x", 1, 4, 5, 5);
    Value dw = n.batchNorm(n.conv(x, 8, 3, SAME, 4, true), 1);
    Value w = n.random(-1, 1, 8, 3, 3, 3); // [C=8, O/g=3, 3, 3], group 2 -> 6 outputs
    Value de = n.op("deconv2d", List.of(dw, w), "strides", new int[] {2, 2}, "group", 2, "pads", new int[] {1, 1, 0, 0});
    n.output("y", n.batchNorm(de, 1));
    Graph g = optimizeAndCompare("fold_batch_norms", n.graph);
    assertEquals(List.of("input", "conv2d", "deconv2d", "output"), opNames(g));
  }

  @Test
  void matmulBothWeightLayouts() {
    for (boolean tb : new boolean[] {false, true}) {
      NetBuilder n = new NetBuilder(3);
      Value x = n.input("x", 3, 7);
      Value w = tb ? n.random(-1, 1, 5, 7) : n.random(-1, 1, 7, 5);
      Value m = n.op("matmul", List.of(x, w, n.random(-1, 1, 5)), "transpose_b", tb);
      n.output("y", n.batchNorm(m, 1));
      Graph g = optimizeAndCompare("fold_batch_norms", n.graph);
      assertEquals(List.of("input", "matmul", "output"), opNames(g));
    }
  }

  @Test
  void unfusedTensorFlowChainWithRsqrtAndFusedAct() {
    // conv -> sub(mean) -> mul(rsqrt(var + eps)) -> mul(gamma) -> add(beta){act=relu6}, constants laid [1,C,1,1].
    NetBuilder n = new NetBuilder(4);
    Value x = n.input("x", 1, 3, 6, 6);
    Value c = n.conv(x, 4, 3, new int[] {0, 0, 0, 0}, 1, false);
    Value centered = n.op("sub", List.of(c, n.random(-1, 1, 1, 4, 1, 1)));
    Value inv = n.op("rsqrt", List.of(n.op("add", List.of(n.random(0.1f, 2, 4, 1, 1), n.constant(new float[] {1e-3f})))));
    Value scaled = n.op("mul", List.of(n.op("mul", List.of(centered, inv)), n.random(-2, 2, 4, 1, 1)));
    n.output("y", n.op("add", List.of(n.random(-1, 1, 4, 1, 1), scaled), "act", "relu6"));
    Graph g = optimizeAndCompare("fold_batch_norms", n.graph);
    assertEquals(List.of("input", "conv2d", "output"), opNames(g));
    assertEquals("relu6", only(g, "conv2d").attributes().getString("act", "none"));
  }

  @Test
  void doesNotFireOnSecondReaderFusedActOrSpatialFactor() {
    NetBuilder n = new NetBuilder(5);
    Value x = n.input("x", 1, 3, 5, 5);
    Value shared = n.conv(x, 4, 3, SAME, 1, true);
    n.output("bn", n.batchNorm(shared, 1));
    n.output("raw", shared);
    Value act = n.conv(x, 4, 3, SAME, 1, true, "act", "relu");
    n.output("act", n.batchNorm(act, 1));
    Value spatial = n.conv(x, 4, 3, SAME, 1, true);
    n.output("spatial", n.op("mul", List.of(spatial, n.random(-1, 1, 1, 4, 5, 5))));
    PassContext ctx = PassContext.global();
    Graph g = optimizeAndCompare("fold_batch_norms", n.graph, ctx);
    assertEquals(2, g.ops().stream().filter(o -> o.is("batch_norm")).count());
    assertEquals(1, g.ops().stream().filter(o -> o.is("mul")).count());
    String remarks = ctx.remarks().toString();
    assertTrue(remarks.contains("result has 2 readers"), remarks);
    assertTrue(remarks.contains("already applies act=relu"), remarks);
  }

  @Test
  void fakeQuantWeightsKeepTheirGridScaledPerChannel() {
    NetBuilder n = new NetBuilder(6);
    Value x = n.input("x", 1, 2, 4, 4);
    Value w = n.op("fake_quant", List.of(n.random(-1, 1, 3, 2, 3, 3)), "min", -1.0, "max", 1.0, "narrow_range", true);
    Value c = n.op("conv2d", List.of(x, w), "pads", SAME);
    n.output("y", n.batchNorm(c, 1));
    Graph before = PassChecks.copy(n.graph);
    Graph g = optimizeAndCompare("fold_batch_norms", n.graph);
    assertEquals(List.of("input", "fake_quant", "conv2d", "output"), opNames(g));
    Operation fq = only(g, "fake_quant");
    assertEquals(0, fq.attributes().getInt("axis"));
    assertTrue(fq.attributes().getBool("narrow_range", false));
    // The range of channel o is [-|m_o|, |m_o|] for the batch norm factor m_o = gamma/sqrt(var+eps).
    Operation bn = only(before, "batch_norm");
    float[] gamma = bn.operand(1).constantValue().floats();
    float[] var = bn.operand(4).constantValue().floats();
    double[] max = fq.attributes().getDoubles("max", null);
    double[] min = fq.attributes().getDoubles("min", null);
    for (int o = 0; o < 3; o++) {
      double m = Math.abs(gamma[o] / Math.sqrt(var[o] + 1e-3));
      assertEquals(m, max[o], 1e-6 * m);
      assertEquals(-m, min[o], 1e-6 * m);
    }
  }

  @Test
  void fakeQuantOnAnotherAxisIsRefused() {
    NetBuilder n = new NetBuilder(7);
    Value x = n.input("x", 1, 2, 4, 4);
    Value w = n.op("fake_quant", List.of(n.random(-1, 1, 3, 2, 1, 1)), "min", new double[] {-1, -2}, "max", new double[] {1, 2}, "axis", 1);
    n.output("y", n.batchNorm(n.op("conv2d", List.of(x, w)), 1));
    PassContext ctx = PassContext.global();
    Graph g = optimizeAndCompare("fold_batch_norms", n.graph, ctx);
    assertEquals(List.of("input", "fake_quant", "conv2d", "batch_norm", "output"), opNames(g));
    assertTrue(ctx.remarks().toString().contains("fake_quant range cannot be scaled"), ctx.remarks().toString());
  }

  @Test
  void uniformFactorKeepsPerTensorFakeQuant() {
    NetBuilder n = new NetBuilder(8);
    Value x = n.input("x", 2, 6);
    Value w = n.op("fake_quant", List.of(n.random(-1, 1, 6, 4)), "min", -1.0, "max", 0.5);
    Value m = n.op("matmul", List.of(x, w));
    n.output("y", n.op("mul", List.of(m, n.constant(new float[] {-0.5f}))));
    Graph g = optimizeAndCompare("fold_batch_norms", n.graph);
    Operation fq = only(g, "fake_quant");
    assertTrue(!fq.attributes().has("axis"));
    assertArrayEquals(new double[] {-0.25}, fq.attributes().getDoubles("min", null), 1e-7);
    assertArrayEquals(new double[] {0.5}, fq.attributes().getDoubles("max", null), 1e-7);
  }

  @Test
  void fakeQuantDeconvAndPerColumnMatmul() {
    NetBuilder n = new NetBuilder(9);
    Value x = n.input("x", 1, 2, 3, 3);
    Value w = n.op("fake_quant", List.of(n.random(-1, 1, 2, 3, 2, 2)), "min", -1.0, "max", 1.0);
    n.output("de", n.batchNorm(n.op("deconv2d", List.of(x, w), "strides", new int[] {2, 2}), 1));
    Value v = n.input("v", 2, 4);
    Value k = n.op("fake_quant", List.of(n.random(-1, 1, 4, 3)), "min", new double[] {-1, -0.5, -2}, "max", new double[] {1, 0.5, 2}, "axis", 1);
    n.output("mm", n.batchNorm(n.op("matmul", List.of(v, k)), 1));
    Graph g = optimizeAndCompare("fold_batch_norms", n.graph);
    assertEquals(List.of("input", "fake_quant", "deconv2d", "output", "input", "fake_quant", "matmul", "output"), opNames(g));
    List<Operation> fqs = g.ops().stream().filter(o -> o.is("fake_quant")).toList();
    assertEquals(1, fqs.get(0).attributes().getInt("axis")); // deconv [C, O, kh, kw]: outputs on axis 1
    assertEquals(1, fqs.get(1).attributes().getInt("axis"));
  }
}

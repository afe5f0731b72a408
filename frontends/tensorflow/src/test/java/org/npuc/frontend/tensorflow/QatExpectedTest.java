package org.npuc.frontend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.npuc.ir.Attributes;
import org.npuc.ir.Graph;
import org.npuc.ir.Operation;
import org.npuc.ir.Tensor;
import org.npuc.ir.Value;
import org.npuc.ir.type.CalibratedType;
import org.npuc.quant.FakeQuantNudge;
import org.npuc.spi.ImportOptions;
import org.npuc.testing.Models;

/**
 * The quantization facts of shared/models/tf/qat/EXPECTED.md, recomputed from what the importer
 * produced (fake_quant attributes, .stats ranges) with TF's nudging. int8 zero points are the
 * nudged uint8 zero point - 128, as the TFLite converter gives them.
 */
class QatExpectedTest {

  private static List<Operation> fakeQuants(Graph g) {
    List<Operation> r = new ArrayList<>();
    for (Operation op : g) if (op.is("fake_quant")) r.add(op);
    return r;
  }

  private static FakeQuantNudge nudge(Attributes a, int channel) {
    return FakeQuantNudge.of(
        (float) a.getDoubles("min", null)[channel],
        (float) a.getDoubles("max", null)[channel],
        a.getInt("num_bits", 8),
        a.getBool("narrow_range", false));
  }

  /** The op that produces {@code v}, looking through layout-only ops (transpose, reshape). */
  private static Operation producer(Value v) {
    Operation op = v.definingOp();
    while (op.is("transpose") || op.is("reshape")) op = op.operand(0).definingOp();
    return op;
  }

  /**
   * The converter's own range-to-parameters step for ranges that are not FakeQuant nodes (command
   * line and .stats ranges): the same nudging, computed in double as MLIR does, uint8 [0, 255].
   */
  private static double[] rangeToParams(double min, double max) {
    double scale = (max - min) / 255.0;
    double zpFromMin = 0 - min / scale;
    double zp = zpFromMin < 0 ? 0 : zpFromMin > 255 ? 255 : Math.round(zpFromMin);
    return new double[] {scale, zp};
  }

  @ParameterizedTest
  @ValueSource(strings = {"fake_quant_per_channel", "fake_quant_without_identity"})
  void perChannelConv(String file) {
    Graph g = TfTesting.load(Models.require("tf/qat/" + file + ".pbtxt"));
    Operation conv = null;
    for (Operation op : g) if (op.is("conv2d")) conv = op;
    // Weights: per-channel FakeQuant on the OIHW weights, axis 0 (TF's last axis), narrow range.
    Operation wq = conv.operand(1).definingOp();
    assertTrue(wq.is("fake_quant"), TfTesting.dump(g));
    assertEquals(0, wq.attributes().getInt("axis"));
    assertTrue(wq.attributes().getBool("narrow_range", false));
    assertEquals(186, conv.operand(1).type().dim(0));
    double[] expectedFirst = {0.12581, 0.001755, 0.001908, 0.001967, 0.007431};
    for (int c = 0; c < 186; c++) {
      FakeQuantNudge n = nudge(wq.attributes(), c);
      assertEquals(0, n.zeroPoint() - 128, "weight zero point of channel " + c);
      if (c < expectedFirst.length)
        assertEquals(expectedFirst[c], n.scale(), 5e-7, "weight scale of channel " + c);
    }
    assertEquals(0.12581039038230116, nudge(wq.attributes(), 0).scale(), 1e-8);
    // Input range comes from the converter's command line (-33.614346 / 21.54917), not the graph.
    double[] in = rangeToParams(-33.614346, 21.54917);
    assertEquals(0.21632751372549019, in[0], 1e-9);
    assertEquals(27, (int) in[1] - 128);
    // Bias scale = input scale * weight scale (flatbuffer: 0.027216, 0.00038, ...).
    assertEquals(0.027216, in[0] * nudge(wq.attributes(), 0).scale(), 5e-7);
    assertEquals(0.00038, in[0] * nudge(wq.attributes(), 1).scale(), 5e-7);
    // Conv output and graph output: the activation FakeQuant, per-tensor.
    Operation out = g.outputs().get(0);
    assertEquals("output", out.attributes().getString("name"));
    Operation aq = producer(out.operand(0));
    assertTrue(aq.is("fake_quant"));
    assertFalse(aq.attributes().has("axis"));
    FakeQuantNudge a = nudge(aq.attributes(), 0);
    System.out.printf(
        "%s: weight scale[0] %.17g zp %d, activation scale %.17g zp %d%n",
        file,
        nudge(wq.attributes(), 0).scale(),
        nudge(wq.attributes(), 0).zeroPoint() - 128,
        a.scale(),
        a.zeroPoint() - 128);
    assertEquals(0.09363494573854933, a.scale(), 1e-8);
    assertEquals(22, a.zeroPoint() - 128);
    assertEquals(2, fakeQuants(g).size());
    // Weight range symmetric per channel; quantized weights and biases as the flatbuffer lists
    // them.
    double[] wmin = wq.attributes().getDoubles("min", null),
        wmax = wq.attributes().getDoubles("max", null);
    for (int c = 0; c < 186; c++) assertEquals(-wmax[c], wmin[c], 0.0, "channel " + c);
    Tensor w = wq.operand(0).constantValue();
    float s0 = nudge(wq.attributes(), 0).scale();
    assertEquals(8, Math.round(w.floats()[0] / s0), "first weight byte");
    Operation biasAdd = null;
    for (Operation op : g) if (op.is("bias_add")) biasAdd = op;
    Tensor bias = biasAdd.operand(1).constantValue();
    int[] expectedBias = {-11, -326, -299};
    for (int c = 0; c < 3; c++) {
      double scale = in[0] * nudge(wq.attributes(), c).scale();
      assertEquals(
          expectedBias[c], Math.round(bias.floats()[c] / scale), "bias int32 of channel " + c);
    }
    assertEquals(
        List.of(1, 6, 31),
        List.of(
            out.operand(0).type().dim(0),
            out.operand(0).type().dim(1),
            out.operand(0).type().dim(2)));
  }

  @Test
  void backToBack() {
    Graph g = TfTesting.load(Models.require("tf/qat/back2back_fake_quant.pbtxt"));
    List<Operation> fq = fakeQuants(g);
    assertEquals(8, fq.size(), "every FakeQuant is kept");
    Operation last = producer(g.outputs().get(0).operand(0));
    assertTrue(last.is("fake_quant"));
    FakeQuantNudge correct = nudge(last.attributes(), 0);
    Operation before = producer(last.operand(0));
    assertTrue(before.is("fake_quant"), "quant_dense_2/oquant precedes the output FakeQuant");
    FakeQuantNudge produced = nudge(before.attributes(), 0);
    System.out.printf(
        "back2back: output FakeQuant scale %.6f zp %d (CORRECT1), preceding %.6f zp %d (RESULT1)%n",
        correct.scale(), correct.zeroPoint(), produced.scale(), produced.zeroPoint());
    assertEquals(0.0078125, correct.scale(), 1e-7);
    assertEquals(128, correct.zeroPoint());
    assertEquals(0.007523, produced.scale(), 5e-7);
    assertEquals(116, produced.zeroPoint());
    for (Operation op : fq) {
      assertEquals(8, op.attributes().getInt("num_bits", 0));
      assertFalse(op.attributes().getBool("narrow_range", true));
    }
  }

  @Test
  void quantStatsFromStatsFile() {
    ImportOptions o = new ImportOptions(Models.require("tf/qat/quant_stats.pbtxt"));
    o.inputShapes().put("input0", new int[] {4});
    o.inputShapes().put("input1", new int[] {4});
    Graph g = TfTesting.load(o);
    Value add = g.outputs().get(0).operand(0);
    CalibratedType t = (CalibratedType) add.type().elementType();
    assertEquals(-1.0, t.min());
    assertEquals(1.0, t.max());
    double[] n = rangeToParams(t.min(), t.max());
    assertEquals(0.0078431372549019607, n[0], 1e-12);
    assertEquals(128, (int) n[1]);
    // Input ranges come from the converter's command line.
    assertEquals(0.015686274509803921, rangeToParams(-2, 2)[0], 1e-12);
    assertEquals(128, (int) rangeToParams(-2, 2)[1]);
    assertEquals(0.023529411764705882, rangeToParams(-3, 3)[0], 1e-12);
    assertEquals(128, (int) rangeToParams(-3, 3)[1]);
  }

  @Test
  void conv2dAndAddAreFloatAndInt() {
    Graph conv = TfTesting.load(Models.require("tf/qat/conv_2d.pbtxt"));
    assertEquals("input", conv.inputs().get(0).attributes().getString("name"));
    assertEquals("output_0", conv.outputs().get(0).attributes().getString("name"));
    assertTrue(fakeQuants(conv).isEmpty());
    ImportOptions o = new ImportOptions(Models.require("tf/qat/add.pbtxt"));
    o.inputShapes().put("input0", new int[] {4});
    o.inputShapes().put("input1", new int[] {4});
    Graph add = TfTesting.load(o);
    assertEquals("tensor<4xi32>", add.outputs().get(0).operand(0).type().toText());
  }
}

package org.npuc.frontend.tflite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.npuc.interp.Interpreter;
import org.npuc.io.RgbImage;
import org.npuc.ir.Graph;
import org.npuc.ir.Operation;
import org.npuc.ir.Tensor;
import org.npuc.ir.type.UniformPerAxisType;
import org.npuc.ir.type.UniformQuantType;
import org.npuc.spi.ImportOptions;
import org.npuc.testing.Models;

/**
 * The MLPerf Tiny int8 models (visual wake words, keyword spotting) import with their per-channel
 * weights and run through the integer kernels. No reference outputs are stored for them, so the
 * checks are structural plus a softmax that sums to one (256 units of 1/256, within rounding).
 */
class TinyModelsTest {
  private static Map<String, Integer> opCounts(Graph g) {
    Map<String, Integer> r = new TreeMap<>();
    for (Operation op : g) r.merge(op.name(), 1, Integer::sum);
    return r;
  }

  private static int softmaxSum(Tensor out) {
    int s = 0;
    for (int v : out.ints()) s += v + 128;
    return s;
  }

  @Test
  void visualWakeWords() {
    Graph g = new TfliteFrontend().importModel(new ImportOptions(Models.require("tflite/vww_96_int8.tflite")));
    Map<String, Integer> ops = opCounts(g);
    assertEquals(27, ops.get("conv2d")); // 14 CONV_2D + 13 DEPTHWISE_CONV_2D
    assertEquals(1, ops.get("matmul"));
    Operation in = g.inputs().get(0);
    assertEquals("tensor<1x96x96x3xuniform<i8:f32, 0.003921568859368563:-128>>", in.result().type().toText());
    // depthwise weights: TFLite's quantized dimension 3 of [1,H,W,C] lands on axis 0 of [C,1,H,W]
    for (Operation op : g) {
      if (op.is("conv2d")) assertTrue(op.operand(1).type().elementType() instanceof UniformPerAxisType p && p.axis() == 0);
    }
    // q = pixel - 128 for 0..255 RGB pixels (scale 1/255, zero point -128)
    int[] px = RgbImage.read(Models.require("data/images/face.jpg")).centerSquare().resizeArea(96, 96).pixels();
    int[] q = new int[px.length];
    for (int i = 0; i < q.length; i++) q[i] = px[i] - 128;
    Tensor out = new Interpreter(g).run(Map.of(in.attributes().getString("name"),
        Tensor.ofInts(new int[] {1, 96, 96, 3}, in.result().type().elementType(), q))).values().iterator().next();
    assertArrayEquals(new int[] {1, 2}, out.shape());
    assertTrue(Math.abs(softmaxSum(out) - 256) <= 2, "softmax sums to " + softmaxSum(out));
  }

  @Test
  void keywordSpotting() {
    Graph g = new TfliteFrontend().importModel(new ImportOptions(Models.require("tflite/kws_ref_model.tflite")));
    assertEquals(9, opCounts(g).get("conv2d"));
    Operation in = g.inputs().get(0);
    UniformQuantType t = (UniformQuantType) in.result().type().elementType();
    assertEquals(83, t.zeroPoint());
    // A synthetic MFCC-like pattern: q = round(f / scale) + zp.
    int[] q = new int[49 * 10];
    for (int i = 0; i < q.length; i++) q[i] = (int) Math.max(-128, Math.min(127, Math.round(10 * Math.sin(i * 0.37) / t.scale()) + 83));
    Tensor out = new Interpreter(g).run(Map.of(in.attributes().getString("name"),
        Tensor.ofInts(new int[] {1, 49, 10, 1}, t, q))).values().iterator().next();
    assertArrayEquals(new int[] {1, 12}, out.shape());
    assertTrue(Math.abs(softmaxSum(out) - 256) <= 6, "softmax sums to " + softmaxSum(out));
  }
}

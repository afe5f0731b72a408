package org.npuc.frontend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.npuc.interp.Interpreter;
import org.npuc.ir.Graph;
import org.npuc.ir.Operation;
import org.npuc.ir.Tensor;
import org.npuc.ir.type.CalibratedType;
import org.npuc.ir.type.UniformPerAxisType;
import org.npuc.ir.type.UniformQuantType;
import org.npuc.pass.PassContext;
import org.npuc.pass.PassManager;
import org.npuc.quant.calib.CalibrationTable;
import org.npuc.quant.lower.QuantizeFlow;
import org.npuc.quant.lower.QuantizeOptions;
import org.npuc.testing.Models;
import org.npuc.transforms.ImportQatRangesPass;

/**
 * import_qat_ranges and the int8 lowering on shared/models/tf/qat/fake_quant_per_channel.pbtxt,
 * checked against the converter's output listed in EXPECTED.md: scales, zero points, the stored
 * weights and the first int32 biases of the flatbuffer.
 */
class QatLoweringTest {
  private static Graph prepared() {
    Graph g = TfTesting.load(Models.require("tf/qat/fake_quant_per_channel.pbtxt"));
    PassManager.parse("optimize,import_qat_ranges", PassContext.global()).run(g);
    return g;
  }

  private static Operation only(Graph g, String name) {
    Operation r = null;
    for (Operation op : g) if (op.is(name)) r = op;
    return r;
  }

  @Test
  void rangesImportedAndFakeQuantsRemoved() {
    Graph before = TfTesting.load(Models.require("tf/qat/fake_quant_per_channel.pbtxt"));
    PassManager.parse("optimize", PassContext.global()).run(before);
    Graph g = prepared();
    assertEquals(null, only(g, "fake_quant"), "fake_quant ops are gone");
    Operation conv = only(g, "conv2d");
    Operation dq = conv.operand(1).definingOp();
    assertTrue(dq.is("dequantize"));
    Tensor w = dq.operand(0).constantValue();
    UniformPerAxisType wt = (UniformPerAxisType) w.elementType();
    assertEquals(0, wt.axis());
    assertEquals(186, wt.channels());
    assertEquals(-127, wt.storageMin());
    assertEquals(127, wt.storageMax());
    assertEquals(0.12581039038230116, wt.scale(0), 1e-8);
    for (int c = 0; c < 186; c++) assertEquals(0, wt.zeroPoint(c));
    assertEquals(8, w.ints()[0]); // round(1.0 / 0.12581), as the flatbuffer's weight buffer starts
    CalibratedType act = (CalibratedType) conv.result().type().elementType();
    // TF's nudging of [-14.066669, 9.810242]: same scale, zero point 150 (int8 22), range shifted.
    org.npuc.quant.FakeQuantNudge n = org.npuc.quant.FakeQuantNudge.of(-14.066669464111328f, 9.81024169921875f, 8, false);
    assertEquals(n.nudgedMin(), act.min(), 0.0);
    assertEquals(n.nudgedMax(), act.max(), 0.0);
    assertEquals(0.09363494573854933, (act.max() - act.min()) / 255, 1e-8);
    assertEquals(-150.0, act.min() / n.scale(), 1e-4);
    assertEquals(List.of("input"), ImportQatRangesPass.missingRanges(g).subList(0, 1));
    // The float graph still computes what the fake_quant ops did.
    float[] x = new float[256];
    for (int i = 0; i < x.length; i++) x[i] = (float) Math.sin(i) * 20;
    Map<String, Tensor> in = Map.of("input", Tensor.ofFloats(new int[] {1, 1, 1, 256}, x));
    assertFalse(Arrays.equals(new float[186], new Interpreter(g).run(in).get("output").floats()));
  }

  @Test
  void loweredParametersMatchTheConverter() {
    Graph g = prepared();
    // The input range comes from the converter's command line in EXPECTED.md.
    CalibrationTable t = new CalibrationTable("command line");
    t.put(new CalibrationTable.Entry("input", 33.614346, -33.614346, 21.54917));
    Graph q = QuantizeFlow.lower(g, t, new QuantizeOptions()).graph();
    UniformQuantType in = (UniformQuantType) only(q, "quantize").result().type().elementType();
    assertEquals(0.21632751372549019, in.scale(), 1e-9);
    assertEquals(27, in.zeroPoint());
    Operation conv = only(q, "conv2d");
    UniformQuantType out = (UniformQuantType) conv.result().type().elementType();
    assertEquals(0.09363494573854933, out.scale(), 1e-8);
    assertEquals(22, out.zeroPoint());
    Tensor bias = conv.operand(2).constantValue();
    UniformPerAxisType bt = (UniformPerAxisType) bias.elementType();
    assertEquals(0.027216, bt.scale(0), 5e-7);
    assertEquals(0.00038, bt.scale(1), 5e-7);
    assertArrayEquals(new int[] {-11, -326, -299}, Arrays.copyOf(bias.ints(), 3));
    Operation reshape = null;
    for (Operation op : q) if (op.is("reshape") && op.result().type().rank() == 3) reshape = op;
    assertEquals(out, reshape.result().type().elementType(), "the output reshape keeps the conv's parameters");
  }
}

package org.npuc.quant.lower;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.npuc.interp.Interpreter;
import org.npuc.ir.Graph;
import org.npuc.ir.Operation;
import org.npuc.ir.Tensor;
import org.npuc.ir.Value;
import org.npuc.ir.Verifier;
import org.npuc.ir.text.IrParser;
import org.npuc.ir.type.UniformQuantType;
import org.npuc.quant.calib.CalibrationTable;
import org.npuc.quant.calib.ThresholdMethods;

/** The int8 lowering: bit-exact on a hand-computed layer, and close to float on a small CNN. */
class Int8LoweringTest {
  private static final String FC =
      "graph @fc {\n"
          + "  %x = input() {name = \"x\"} : () -> tensor<1x2xcalibrated<f32, 0.0, 3.984375>> loc(\"x\")\n"
          + "  %w = constant() {value = dense<[[0.9921875, 0.0], [0.0, -0.49609375]]>} : () -> tensor<2x2xf32> loc(\"fc\")\n"
          + "  %b = constant() {value = dense<[0.5, -0.25]>} : () -> tensor<2xf32> loc(\"fc\")\n"
          + "  %m = matmul(%x, %w, %b) {act = \"relu\", transpose_b = true} : (tensor<1x2xcalibrated<f32, 0.0, 3.984375>>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xcalibrated<f32, 0.0, 7.96875>> loc(\"fc\")\n"
          + "  output(%m) {name = \"y\"} : (tensor<1x2xcalibrated<f32, 0.0, 7.96875>>) -> ()\n"
          + "}\n";

  /**
   * By hand: x = [1, 2] → q = x·64 - 128 = [-64, 0]; w → [[127, 0], [0, -127]]; bias → [4096,
   * -4096]. acc0 = 64·127 + 4096 = 12224, ·(1/64·1/128)/(1/32) = 47.75 → 48, - 128 = -80 (1.5);
   * acc1 = 128·(-127) - 4096 = -20352, ·1/512 = -39.75 → -40 - 128 = -168, relu clamps to -128 (0).
   */
  @Test
  void fullyConnectedIsBitExactByHand() {
    Graph g = IrParser.parse(FC, "fc");
    Int8Lowering.Result r = Int8Lowering.lower(g, new QuantizeOptions());
    Verifier.verify(g);
    assertEquals(1, r.quantizedOps().size());
    Map<Value, Tensor> all = new Interpreter(g).runAll(Map.of("x", Tensor.ofFloats(new int[] {1, 2}, new float[] {1f, 2f})));
    Operation mm = null;
    for (Operation op : g) if (op.is("matmul")) mm = op;
    Tensor q = all.get(mm.result());
    assertArrayEquals(new int[] {-80, -128}, q.ints());
    assertEquals(new UniformQuantType(org.npuc.ir.type.ScalarType.I8, org.npuc.ir.type.ScalarType.F32, 1.0 / 32, -128, -128, 127), q.elementType());
    Tensor y = new Interpreter(g).run(Map.of("x", Tensor.ofFloats(new int[] {1, 2}, new float[] {1f, 2f}))).get("y");
    assertArrayEquals(new float[] {1.5f, 0f}, y.floats());
  }

  @Test
  void smallCnnStaysCloseToFloat() {
    Graph f = TestNets.cnn(7);
    SampleSet calib = TestNets.inputs(1, 32);
    CalibrationTable t = QuantizeFlow.table(f, calib, 8, ThresholdMethods.parse("max"));
    QuantizeFlow.Lowered q = QuantizeFlow.lower(f, t, new QuantizeOptions());
    Verifier.verify(q.graph());
    assertTrue(q.result().floatOps().isEmpty(), "all ops have integer lowerings: " + q.result().floatOps().values());
    SampleSet test = TestNets.inputs(2, 16);
    Map<String, Tensor> x = test.batch(0, 16);
    Tensor fl = new Interpreter(f).run(x).get("logits");
    Tensor ql = new Interpreter(q.graph()).run(x).get("logits");
    float[] a = fl.floats();
    float[] b = LayerCompare.real(ql);
    double cos = LayerCompare.cosine(a, b);
    assertTrue(cos > 0.995, "logits cosine " + cos);
    // Each logit within a few output steps of float (8-bit rounding through six layers).
    double step = 0;
    for (Operation op : q.graph()) if (op.is("matmul")) step = ((UniformQuantType) op.result().type().elementType()).scale();
    for (int i = 0; i < a.length; i++) assertTrue(Math.abs(a[i] - b[i]) <= 6 * step, "logit " + i + ": " + a[i] + " vs " + b[i]);
    LayerCompare cmp = new LayerCompare(f, q.graph());
    cmp.add(x);
    for (LayerCompare.Row row : cmp.rows()) assertTrue(row.cosine() > 0.99 && row.quantized(), row.toString());
  }

  @Test
  void symmetricUint8PerTensorRuns() {
    Graph f = TestNets.cnn(7);
    CalibrationTable t = QuantizeFlow.table(f, TestNets.inputs(1, 32), 8, ThresholdMethods.parse("max"));
    QuantizeOptions o = new QuantizeOptions().activations(org.npuc.ir.type.ScalarType.U8, true).perChannelWeights(false);
    Graph q = QuantizeFlow.lower(f, t, o).graph();
    Map<String, Tensor> x = TestNets.inputs(2, 16).batch(0, 16);
    double cos = LayerCompare.cosine(new Interpreter(f).run(x).get("logits").floats(), LayerCompare.real(new Interpreter(q).run(x).get("logits")));
    assertTrue(cos > 0.98, "logits cosine " + cos);
    for (Operation op : q) {
      if (op.is("conv2d")) assertEquals(org.npuc.ir.type.ScalarType.U8, op.result().type().elementType().storageType());
    }
  }
}

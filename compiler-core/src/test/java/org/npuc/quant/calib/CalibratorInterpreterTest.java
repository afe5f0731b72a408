package org.npuc.quant.calib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.npuc.interp.Interpreter;
import org.npuc.ir.Graph;
import org.npuc.ir.Tensor;
import org.npuc.ir.text.IrParser;
import org.npuc.ir.type.CalibratedType;
import org.npuc.ir.type.ScalarType;
import org.npuc.quant.QuantParams;
import org.npuc.quant.QuantScheme;

/** The calibrator driving the reference interpreter on a small conv net written in IR text. */
class CalibratorInterpreterTest {
  private static final String NET = """
      graph @tiny {
        %data = input() {name = "data"} : () -> tensor<1x1x6x6xf32> loc("data")
        %w = constant() {value = dense<[0.5, -1.0, 0.25, 2.0, 1.0, -0.5, 0.75, 0.0, -2.0, 1.5, -0.25, 1.0, 0.5, 0.5, -1.0, 2.0, 0.0, 1.0]>} : () -> tensor<2x1x3x3xf32> loc("conv1")
        %b = constant() {value = dense<[0.1, -0.2]>} : () -> tensor<2xf32> loc("conv1")
        %conv = conv2d(%data, %w, %b) {strides = [1, 1], pads = [1, 1, 1, 1]} : (tensor<1x1x6x6xf32>, tensor<2x1x3x3xf32>, tensor<2xf32>) -> tensor<1x2x6x6xf32> loc("conv1")
        %relu = relu(%conv) : (tensor<1x2x6x6xf32>) -> tensor<1x2x6x6xf32> loc("relu1")
        %pool = max_pool(%relu) {kernel = [2, 2], strides = [2, 2]} : (tensor<1x2x6x6xf32>) -> tensor<1x2x3x3xf32> loc("pool1")
        %flat = reshape(%pool) {shape = [1, 18]} : (tensor<1x2x3x3xf32>) -> tensor<1x18xf32> loc(in "tiny.txt")
        %out = softmax(%flat) {axis = -1} : (tensor<1x18xf32>) -> tensor<1x18xf32> loc("prob")
        output(%out) {name = "prob"} : (tensor<1x18xf32>) -> () loc("prob")
      }
      """;

  @Test
  void calibratesEveryActivationOfARealGraph() {
    Graph g = IrParser.parse(NET, "tiny.txt");
    Interpreter interp = new Interpreter(g);
    Calibrator c = new Calibrator(g, interp::runAll);
    assertEquals(List.of("data", "conv1", "relu1", "pool1", "flat", "prob"), c.names());

    List<Map<String, Tensor>> samples = new ArrayList<>();
    float[] all = Samples.gaussian(21, 36 * 30, 0, 1);
    for (int i = 0; i < 30; i++) {
      float[] v = new float[36];
      System.arraycopy(all, 36 * i, v, 0, 36);
      samples.add(Map.of("data", Tensor.ofFloats(new int[] {1, 1, 6, 6}, v)));
    }
    CalibrationStats stats = c.collect(samples.iterator(), samples.size(), Calibrator.Progress.NONE);
    assertEquals(30 * 72, stats.get("relu1").count());
    assertEquals(0.0, stats.get("relu1").min());
    assertEquals(stats.get("relu1").max(), stats.get("pool1").max()); // max pooling keeps the largest value
    assertTrue(stats.get("prob").min() >= 0 && stats.get("prob").max() <= 1);

    CalibrationTable t = CalibrationTable.of(stats, ThresholdMethods.parse("max"));
    CalibrationTable.Entry relu = t.get("relu1");
    assertEquals(0.0, relu.min());
    QuantParams p = QuantScheme.DEFAULT_ACTIVATIONS.params(relu);
    assertEquals(-128, p.zeroPoint()); // a ReLU output uses the whole int8 range for [0, max]
    assertEquals(relu.max() / 255, p.scale(), 1e-15 * relu.max());

    // the ranges go into the graph as calibrated types; the float function is unchanged
    Map<String, Tensor> before = interp.run(samples.get(0));
    CalibrationTable kl = CalibrationTable.of(stats, ThresholdMethods.parse("kl"));
    kl.put(new CalibrationTable.Entry("conv1", 4.0, -3.0, 4.0));
    CalibrationTable partial = new CalibrationTable("max");
    for (CalibrationTable.Entry e : kl.entries()) if (!e.name().equals("prob")) partial.put(e);
    assertEquals(List.of("prob"), Calibrator.annotate(g, partial, false));
    assertEquals(new CalibratedType(ScalarType.F32, -3.0, 4.0), c.targets().get(1).value().type().elementType());
    Calibrator.annotate(g, partial, true);
    assertEquals(new CalibratedType(ScalarType.F32, -4.0, 4.0), c.targets().get(1).value().type().elementType());
    assertTrue(new Interpreter(g).run(samples.get(0)).get("prob").contentEquals(before.get("prob")));
  }
}

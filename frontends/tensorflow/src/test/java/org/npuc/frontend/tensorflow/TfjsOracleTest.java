package org.npuc.frontend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.npuc.interp.Interpreter;
import org.npuc.io.Npy;
import org.npuc.ir.Graph;
import org.npuc.ir.Tensor;
import org.npuc.testing.Models;

/**
 * The TF.js graph models on their stored inputs against the outputs TF.js computed
 * (tfjs/ORACLE.md): within 1e-4 of the output's peak magnitude. selfie stores float16 weights.
 */
class TfjsOracleTest {

  @ParameterizedTest
  @ValueSource(strings = {"emotion", "selfie", "mobileface"})
  void matchesTfjs(String model) {
    Graph g = TfTesting.load(Models.require("tfjs/" + model + "/model.json"));
    Tensor input = Npy.read(Models.require("tfjs/" + model + "/input.npy"));
    Tensor expected = Npy.read(Models.require("tfjs/" + model + "/expected_0.npy"));
    String in = g.inputs().get(0).attributes().getString("name");
    int n = input.dim(0);
    int per = input.size() / n;
    int outPer = expected.size() / n;
    Interpreter interp = new Interpreter(g);
    float[] got = new float[expected.size()];
    int[] one = input.shape();
    one[0] = 1;
    for (int i = 0; i < n; i++) {
      float[] x = Arrays.copyOfRange(input.floats(), i * per, (i + 1) * per);
      Map<String, Tensor> out = interp.run(Map.of(in, Tensor.ofFloats(one, x)));
      Tensor y = out.values().iterator().next();
      int[] ys = y.shape();
      int[] es = expected.shape();
      es[0] = 1;
      assertArrayEquals(es, ys, model + " output shape");
      System.arraycopy(y.floats(), 0, got, i * outPer, outPer);
    }
    double peak = 0, diff = 0;
    for (int i = 0; i < got.length; i++) {
      peak = Math.max(peak, Math.abs(expected.floats()[i]));
      diff = Math.max(diff, Math.abs(got[i] - expected.floats()[i]));
    }
    System.out.printf(
        "tfjs/%s: max |npuc - tfjs| = %.3g, peak %.4g, relative %.3g%n",
        model, diff, peak, diff / peak);
    assertTrue(diff <= 1e-4 * peak, model + ": max diff " + diff + " > 1e-4 * peak " + peak);
  }
}

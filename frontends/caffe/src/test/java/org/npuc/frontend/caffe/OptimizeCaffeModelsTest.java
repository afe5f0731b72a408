package org.npuc.frontend.caffe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.npuc.ir.Graph;
import org.npuc.ir.Tensor;
import org.npuc.testing.Models;
import org.npuc.testing.OptimizeCheck;

/**
 * The {@code optimize} pipeline on the Caffe models in shared/models (MTCNN, LeNet, and the BVLC
 * deploy nets with seeded random weights): outputs within 1e-5 (relative to the largest output)
 * of the unoptimized graph, op counts printed.
 */
class OptimizeCaffeModelsTest {
  private static void check(String name, Graph g, int seeds) {
    OptimizeCheck.Result r = OptimizeCheck.run(g, "optimize", seeds, -1f, 1f);
    System.out.println(r.summary(name));
    for (String line : r.statistics().split("\n")) if (line.matches("\\s+[1-9].*")) System.out.println(line);
    assertTrue(r.opsAfter() <= r.opsBefore(), name);
  }

  @Test
  void mtcnn() {
    int[][] shapes = {{1, 3, 30, 40}, {1, 3, 24, 24}, {1, 3, 48, 48}};
    for (int i = 1; i <= 3; i++) {
      String net = "caffe/mtcnn/det" + i;
      Graph g = CaffeTesting.importNet(Models.require(net + ".prototxt"), Models.require(net + ".caffemodel"), Map.of("data", shapes[i - 1]));
      check(net, g, 2);
    }
  }

  private static Tensor random(Random r, float lo, float hi, int... shape) {
    float[] d = new float[(int) Tensor.count(shape)];
    for (int i = 0; i < d.length; i++) d[i] = lo + (hi - lo) * r.nextFloat();
    return Tensor.ofFloats(shape, d);
  }

  /** Convolution → BatchNorm → Scale → ReLU and Convolution → Bias, as the Caffe frontend imports them. */
  @Test
  void batchNormScaleAndBiasFoldIntoConvolutions(@TempDir Path dir) throws Exception {
    Random r = new Random(5);
    String conv = "convolution_param { num_output: 4 kernel_size: 3 pad: 1 } ";
    TestNet net = new TestNet().input("data", random(r, -1, 1, 1, 3, 8, 8))
        .layer("layer { name: \"conv1\" type: \"Convolution\" bottom: \"data\" top: \"conv1\" " + conv
            + TestNet.blob(random(r, -1, 1, 4, 3, 3, 3)) + TestNet.blob(random(r, -1, 1, 4)) + " }")
        .layer("layer { name: \"bn1\" type: \"BatchNorm\" bottom: \"conv1\" top: \"conv1\" batch_norm_param { eps: 0.001 } "
            + TestNet.blob(random(r, -1, 1, 4)) + TestNet.blob(random(r, 0.5f, 2, 4)) + TestNet.blob(Tensor.ofFloats(new int[] {1}, new float[] {1f})) + " }")
        .layer("layer { name: \"scale1\" type: \"Scale\" bottom: \"conv1\" top: \"conv1\" scale_param { bias_term: true } "
            + TestNet.blob(random(r, -2, 2, 4)) + TestNet.blob(random(r, -1, 1, 4)) + " }")
        .layer("layer { name: \"relu1\" type: \"ReLU\" bottom: \"conv1\" top: \"conv1\" }")
        .layer("layer { name: \"conv2\" type: \"Convolution\" bottom: \"conv1\" top: \"conv2\" convolution_param { num_output: 2 kernel_size: 1 bias_term: false } "
            + TestNet.blob(random(r, -1, 1, 2, 4, 1, 1)) + " }")
        .layer("layer { name: \"bias2\" type: \"Bias\" bottom: \"conv2\" top: \"out\" " + TestNet.blob(random(r, -1, 1, 2)) + " }");
    Graph g = net.graph(dir);
    OptimizeCheck.Result res = OptimizeCheck.run(g, "optimize", 2, -1f, 1f);
    System.out.println(res.summary("Conv+BatchNorm+Scale+ReLU, Conv+Bias"));
    assertEquals(Map.of("conv2d", 2, "input", 1, "output", 1), res.countsAfter());
  }

  @Test
  void lenet() {
    Graph g = CaffeTesting.importNet(Models.require("caffe/lenet/lenet.prototxt"), Models.require("caffe/lenet/lenet_iter_9000.caffemodel"),
        Map.of("data", new int[] {2, 1, 28, 28}));
    check("caffe/lenet", g, 2);
  }

  @Test
  void bvlcWithRandomWeights() {
    for (String net : new String[] {"bvlc_alexnet", "bvlc_reference_caffenet"}) {
      Graph g = CaffeTesting.importRandom(Models.require("caffe/bvlc/" + net + ".deploy.prototxt"), 7, Map.of("data", new int[] {1, 3, 227, 227}));
      check("caffe/bvlc/" + net, g, 1);
    }
  }
}

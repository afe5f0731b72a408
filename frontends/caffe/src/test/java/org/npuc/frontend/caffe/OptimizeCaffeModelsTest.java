package org.npuc.frontend.caffe;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.npuc.ir.Graph;
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

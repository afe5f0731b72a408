package org.npuc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.npuc.ir.Graph;
import org.npuc.ir.text.IrParser;

/** {@code npuc opt}, {@code passes}, {@code ops}, {@code --version} and error reporting. */
class OptCommandTest {
  private static final String EXAMPLE = "../examples/mnist_cnn.npuir";

  @TempDir Path tmp;

  @Test
  void optPrintsOptimizedIr() {
    CliTestSupport.Result r = CliTestSupport.run("opt", EXAMPLE, "--pipeline", "optimize", "--stats", "--timing");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("graph @mnist_cnn"), r.out());
    assertFalse(r.out().contains("identity("), r.out());
    assertTrue(r.out().contains("dense_elided<"), "large constants are elided on screen");
    assertTrue(r.err().contains("===-- pass statistics --===") && r.err().contains("ops: 28 before, 16 after"), r.err());
    assertTrue(r.err().contains("===-- pass timing (wall clock) --===") && r.err().contains("100.0%  total"), r.err());
  }

  @Test
  void optWritesFullIrThatParsesBack() throws Exception {
    Path out = tmp.resolve("opt.npuir");
    CliTestSupport.Result r = CliTestSupport.run("opt", EXAMPLE, "-p", "fold_constants", "-o", out.toString());
    assertEquals(0, r.code(), r.err());
    assertEquals("", r.out());
    String text = Files.readString(out);
    assertFalse(text.contains("dense_elided"));
    Graph g = IrParser.parse(out);
    assertEquals(26, g.size()); // mul(weights, scale) and its two constants became one constant
    // the record of applied passes survives the file, for later "must run after" checks
    org.junit.jupiter.api.Assertions.assertArrayEquals(new String[] {"fold_constants"},
        g.attributes().getStrings(org.npuc.pass.PassManager.APPLIED, null));
    try (var files = Files.list(tmp)) {
      assertEquals(1, files.count(), "no temporary files left");
    }
  }

  @Test
  void misspelledPassGivesColumnNearestNameAndList() {
    CliTestSupport.Result r = CliTestSupport.run("opt", EXAMPLE, "--pipeline", "remove_nodes(op=identity),fold_constnts,cse");
    assertEquals(Main.EXIT_USER_ERROR, r.code());
    String e = r.err();
    assertTrue(e.startsWith("npuc: error: unknown pass 'fold_constnts' at column 27 of the pipeline:"), e);
    assertTrue(e.contains("\n  remove_nodes(op=identity),fold_constnts,cse\n                            ^\n"), e);
    assertTrue(e.contains("did you mean 'fold_constants'? Passes: cse, eliminate_dead_code, "), e);
    assertTrue(e.contains(", fold_constants, "), e);
    assertFalse(e.contains("\tat org."), "no stack trace: " + e);
    assertEquals("", r.out());
  }

  @Test
  void debugShowsTheTrace() {
    CliTestSupport.Result r = CliTestSupport.run("opt", EXAMPLE, "--pipeline", "nope", "--debug");
    assertEquals(Main.EXIT_USER_ERROR, r.code());
    assertTrue(r.err().contains("\tat org.npuc.pass.Pipeline"), r.err());
  }

  @Test
  void internalErrorsAreLabelledAndTracedOnlyWithDebug() {
    StringWriter plain = new StringWriter();
    assertEquals(Main.EXIT_INTERNAL, Main.report(new IllegalStateException("boom"), new PrintWriter(plain), false));
    assertTrue(plain.toString().startsWith("npuc: internal error (a bug in npuc): java.lang.IllegalStateException: boom"), plain.toString());
    assertFalse(plain.toString().contains("\tat "));
    StringWriter debug = new StringWriter();
    Main.report(new IllegalStateException("boom"), new PrintWriter(debug), true);
    assertTrue(debug.toString().contains("\tat "), debug.toString());
  }

  @Test
  void printIrAroundPasses() {
    CliTestSupport.Result r = CliTestSupport.run("opt", EXAMPLE, "-p", "cse,fold_constants", "--print-ir-before=fold_constants", "--print-ir-after-change");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("// ----- IR before fold_constants -----\ngraph @mnist_cnn"), r.err());
    assertFalse(r.err().contains("// ----- IR after cse -----"), "cse changes nothing here, so it is not printed: " + r.err());
    assertTrue(r.err().contains("// ----- IR after fold_constants -----"), r.err());
    CliTestSupport.Result bad = CliTestSupport.run("opt", EXAMPLE, "-p", "cse", "--print-ir-after=cze");
    assertEquals(Main.EXIT_USER_ERROR, bad.code());
    assertTrue(bad.err().contains("--print-ir-after: unknown pass 'cze'; did you mean 'cse'?"), bad.err());
  }

  @Test
  void printConstantsKeepsEveryValue() {
    CliTestSupport.Result r = CliTestSupport.run("opt", EXAMPLE, "--print-constants");
    assertEquals(0, r.code(), r.err());
    assertFalse(r.out().contains("dense_elided"));
  }

  @Test
  void invalidInputIrIsAUserError() throws Exception {
    Path bad = tmp.resolve("bad.npuir");
    Files.writeString(bad, "graph @g {\n  %x = input() {name = \"x\"} : () -> tensor<4xf32>\n"
        + "  %r = relu(%x) : (tensor<4xf32>) -> tensor<5xf32> loc(\"r\")\n  output(%r) {name = \"y\"} : (tensor<5xf32>) -> ()\n}\n");
    CliTestSupport.Result r = CliTestSupport.run("opt", bad.toString(), "-p", "cse");
    assertEquals(Main.EXIT_USER_ERROR, r.code());
    assertTrue(r.err().startsWith("npuc: error: relu at 'r': invalid input IR: result #0 has type tensor<5xf32>"), r.err());
    CliTestSupport.Result skipped = CliTestSupport.run("opt", bad.toString(), "-p", "cse", "--no-verify");
    assertEquals(0, skipped.code(), skipped.err());
  }

  @Test
  void missingAndUnrecognizedFiles() throws Exception {
    CliTestSupport.Result r = CliTestSupport.run("opt", tmp.resolve("nope.pb").toString());
    assertEquals(Main.EXIT_USER_ERROR, r.code());
    assertTrue(r.err().contains("nope.pb: no such file"), r.err());
    Path junk = tmp.resolve("junk.bin");
    Files.write(junk, new byte[] {1, 2, 3, 4, 5});
    r = CliTestSupport.run("opt", junk.toString());
    assertEquals(Main.EXIT_USER_ERROR, r.code());
    assertTrue(r.err().contains("cannot tell the format of " + junk + ": ") && r.err().contains("npuir text (.npuir)"), r.err());
  }

  @Test
  void passesListsOptionsAndPipelines() {
    CliTestSupport.Result r = CliTestSupport.run("passes");
    assertEquals(0, r.code());
    assertTrue(r.out().contains("  strip_unused_nodes     keep only what the outputs need"), r.out());
    assertTrue(r.out().contains("shape=<int list>"), r.out());
    assertTrue(r.out().contains("max_elements=<int, default 0>"), r.out());
    assertTrue(r.out().contains("= " + org.npuc.transforms.Passes.OPTIMIZE), r.out());
  }

  @Test
  void opsVersionAndHelp() {
    CliTestSupport.Result ops = CliTestSupport.run("ops");
    assertEquals(0, ops.code());
    assertTrue(ops.out().contains("  conv2d ") && ops.out().contains("  identity "), ops.out());
    CliTestSupport.Result v = CliTestSupport.run("--version");
    assertEquals(0, v.code());
    assertTrue(v.out().startsWith("npuc "), v.out());
    for (String cmd : new String[] {"opt", "run", "import", "passes", "ops"}) {
      CliTestSupport.Result h = CliTestSupport.run(cmd, "--help");
      assertEquals(0, h.code(), cmd);
      assertTrue(h.out().contains("Usage: npuc " + cmd), h.out());
    }
    CliTestSupport.Result usage = CliTestSupport.run("opt");
    assertEquals(Main.EXIT_USAGE, usage.code());
    assertTrue(usage.err().contains("Missing required parameter: 'FILE'"), usage.err());
  }
}

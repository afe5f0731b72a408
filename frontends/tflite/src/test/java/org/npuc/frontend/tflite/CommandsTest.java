package org.npuc.frontend.tflite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.npuc.cli.Main;
import org.npuc.testing.Models;

/** {@code npuc agree} and {@code npuc classify} on the real TFLite models (the frontend is found by ServiceLoader). */
class CommandsTest {
  private static String[] run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(args, new PrintWriter(out), new PrintWriter(err));
    return new String[] {Integer.toString(code), out.toString(), err.toString()};
  }

  @Test
  void agreePrintsTheFiguresAndPasses() {
    Path model = Models.require("tflite/mobilenet_v1_0.25_128_quant.tflite");
    Path dir = Models.require("tflite/expected");
    String n = "mobilenet_v1_0.25_128_quant";
    String[] r = run("agree", model.toString(), "--input", dir.resolve(n + ".input.npy").toString(),
        "--ref", dir.resolve(n + ".expected.npy").toString(), "--ref", dir.resolve(n + ".alt.npy").toString());
    assertEquals("0", r[0], r[1] + r[2]);
    assertTrue(r[1].contains("references agree with each other: 9974 (0.9964)"), r[1]);
    assertTrue(r[1].contains("verdict: PASS"), r[1]);
  }

  @Test
  void agreeNeedsTwoReferences() {
    Path model = Models.require("tflite/resnet8_cifar10_int8.tflite");
    Path dir = Models.require("tflite/expected");
    String[] r = run("agree", model.toString(), "--input", dir.resolve("resnet8_cifar10_int8.input.npy").toString(),
        "--ref", dir.resolve("resnet8_cifar10_int8.alt.npy").toString());
    assertEquals("1", r[0]);
    assertTrue(r[2].contains("give exactly two reference outputs"), r[2]);
  }

  @Test
  void classifyHandlesTheBackgroundOffset() {
    Path model = Models.require("tflite/mobilenet_v1_0.25_128_quant.tflite");
    Path images = Models.require("data/imagenet-sample");
    Path labels = Models.require("data/images/imagenet_labels.txt");
    String[] r = run("classify", model.toString(), "--images", images.toString(), "--labels", labels.toString(), "--limit", "4", "-v");
    assertEquals("0", r[0], r[1] + r[2]);
    // 1001 outputs and 1001 label lines (background at 0): no offset. The stored references give
    // top-1 classes 1, 2, 3, 4 (tench, goldfish, great white shark, tiger shark) for these images.
    assertTrue(r[1].contains("label offset: 0"), r[1]);
    assertTrue(r[1].contains("top-1: 1.000 (4/4)"), r[1]);
  }
}

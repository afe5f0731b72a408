package org.npuc.ir.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.npuc.ir.Attributes;
import org.npuc.ir.Graph;
import org.npuc.ir.GraphEquivalence;
import org.npuc.ir.Location;
import org.npuc.ir.Tensor;
import org.npuc.ir.Value;
import org.npuc.ir.type.TensorType;

/** The printed form: layout, value names, elision of large constants, locations, file output. */
class IrPrinterTest {

  private static Graph small() {
    Graph g = new Graph("net");
    g.attributes().set("source", "caffe");
    Value x =
        g.append(
                "input",
                List.of(),
                Attributes.of("name", "data"),
                List.of(TensorType.f32(1, 4)),
                Location.of("data", "net.prototxt"))
            .result()
            .setName("data");
    float[] w = new float[20];
    for (int i = 0; i < w.length; i++) w[i] = i * 0.5f;
    Value wv = IrRoundTripApiTest.constant(g, "fc/weights:0", Tensor.ofFloats(new int[] {5, 4}, w));
    Value y =
        g.append(
                "matmul",
                List.of(x, wv),
                Attributes.of("transpose_b", true),
                List.of(TensorType.f32(1, 5)),
                Location.fused(Location.of("fc"), Location.of("relu", "net.prototxt")))
            .result();
    g.append(
        "split",
        List.of(y),
        Attributes.of("axis", 1, "sizes", new long[] {2, 3}),
        List.of(TensorType.f32(1, 2), TensorType.f32(1, 3)),
        null);
    g.append("output", List.of(y), Attributes.of("name", "prob"), List.of(), Location.of("prob"));
    return g;
  }

  @Test
  void printsTheDocumentedLayout() {
    String expected =
        """
graph @net {source = "caffe"} {
  %data = input() {name = "data"} : () -> tensor<1x4xf32> loc("data" in "net.prototxt")
  %fc_weights_0 = constant() {value = dense_elided<"HASH">} : () -> tensor<5x4xf32> loc("fc/weights:0")
  %0 = matmul(%data, %fc_weights_0) {transpose_b = true} : (tensor<1x4xf32>, tensor<5x4xf32>) -> tensor<1x5xf32> loc("fc", "relu" in "net.prototxt")
  %1, %2 = split(%0) {axis = 1, sizes = [2, 3]} : (tensor<1x5xf32>) -> (tensor<1x2xf32>, tensor<1x3xf32>)
  output(%0) {name = "prob"} : (tensor<1x5xf32>) -> () loc("prob")
}
""";
    Graph g = small();
    String hash = g.ops().get(1).attributes().getTensor("value").contentHash();
    assertEquals(expected.replace("HASH", hash), new IrPrinter().print(g));
  }

  @Test
  void fullModeKeepsConstantsAndElisionFollowsTheThreshold() {
    Graph g = small();
    String full = IrPrinter.full().print(g);
    assertTrue(full.contains("dense<b64\""), full);
    assertFalse(full.contains("dense_elided"));
    assertTrue(
        new IrPrinter().withElideThreshold(20).print(g).contains("dense<b64\""),
        "20 elements are not more than 20");
    assertTrue(new IrPrinter().withElideThreshold(19).print(g).contains("dense_elided"));
    assertFalse(new IrPrinter().withElideThreshold(-1).print(g).contains("dense_elided"));
    assertTrue(new IrPrinter().elides());
    assertFalse(IrPrinter.full().elides());
  }

  @Test
  void locationsCanBeLeftOut() {
    String text = new IrPrinter().withLocations(false).print(small());
    assertFalse(text.contains("loc("), text);
  }

  @Test
  void smallAndSplatConstantsPrintOnScreen() {
    Graph g = new Graph("c");
    IrRoundTripApiTest.constant(
        g, "small", Tensor.ofFloats(new int[] {2, 2}, new float[] {1, 2, 3, 4}));
    IrRoundTripApiTest.constant(g, "zeros", Tensor.zeros(TensorType.f32(512, 512)));
    String text = new IrPrinter().withLocations(false).print(g);
    assertEquals(
        """
        graph @c {
          %small = constant() {value = dense<[[1.0, 2.0], [3.0, 4.0]]>} : () -> tensor<2x2xf32>
          %zeros = constant() {value = dense<0.0>} : () -> tensor<512x512xf32>
        }
        """,
        text);
  }

  @Test
  void valueNamesAreSanitizedUniqueAndNumbered() {
    Graph g = new Graph("names");
    String[] hints = {"a", "a", "a_1", "conv1/w:0", "7", null, "", "x y", "a"};
    for (String h : hints) {
      g.append("input", List.of(), Attributes.of("name", "n"), List.of(TensorType.f32()), null)
          .result()
          .setName(h);
    }
    String text = new IrPrinter().print(g);
    List<String> printed =
        text.lines().skip(1).filter(l -> l.contains("=")).map(l -> l.trim().split(" ")[0]).toList();
    assertEquals(
        List.of("%a", "%a_1", "%a_1_1", "%conv1_w_0", "%_7", "%0", "%1", "%x_y", "%a_2"), printed);
    Graph back = IrParser.parse(text, "names", IrRoundTripTest.OPS);
    assertEquals("a_1_1", back.ops().get(2).result().name());
    assertEquals(null, back.ops().get(5).result().name(), "numbered values have no name hint");
  }

  @Test
  void graphNamesThatAreNotIdentifiersAreQuoted() {
    assertTrue(new IrPrinter().print(new Graph("my model")).startsWith("graph @\"my model\" {"));
    assertTrue(
        new IrPrinter()
            .print(new Graph("mobilenet_v1.0-224"))
            .startsWith("graph @mobilenet_v1.0-224 {"));
    assertTrue(new IrPrinter().print(new Graph(null)).startsWith("graph {"));
  }

  @Test
  void streamingAndStringPrintingAgree() {
    Graph g = small();
    StringWriter w = new StringWriter();
    IrPrinter.full().print(g, w);
    assertEquals(IrPrinter.full().print(g), w.toString());
  }

  @Test
  void operandsFromOutsideTheGraphAreABug() {
    Graph other = new Graph("other");
    Value v =
        other
            .append("input", List.of(), Attributes.of("name", "x"), List.of(TensorType.f32()), null)
            .result();
    Graph g = new Graph("g");
    g.append("output", List.of(v), Attributes.of("name", "y"), List.of(), null);
    assertThrows(IllegalStateException.class, () -> new IrPrinter().print(g));
  }

  @Test
  void writeFileKeepsEveryConstantAndReplacesAtomically(@TempDir Path dir) throws IOException {
    Graph g = small();
    Path out = dir.resolve("out.npuir");
    Files.writeString(out, "old");
    IrPrinter.writeFile(g, out);
    String text = Files.readString(out);
    assertFalse(text.contains("dense_elided"));
    // Names are sanitized on the way (fc/weights:0 -> fc_weights_0); everything else is identical.
    assertEquals(
        null,
        GraphEquivalence.strict()
            .ignoringValueNames()
            .compare(g, IrParser.parse(out, IrRoundTripTest.OPS)));
    try (var files = Files.list(dir)) {
      assertEquals(List.of(out), files.toList(), "no temporary file is left behind");
    }
  }
}

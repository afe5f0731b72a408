package org.npuc.frontend.caffe;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.npuc.diag.UserError;
import org.npuc.testing.Models;

/** A user's broken files give one clear UserError naming the file, layer and fix; never a trace or a hang. */
class BadInputTest {
  @TempDir Path dir;

  private static final String CONV_NET = """
      name: "t"
      input: "data"
      input_shape { dim: 1 dim: 2 dim: 5 dim: 5 }
      layer { name: "conv" type: "Convolution" bottom: "data" top: "conv"
        convolution_param { num_output: 3 kernel_size: 3 } }
      """;

  private static String message(Runnable r) {
    UserError e = assertThrows(UserError.class, r::run);
    return e.getMessage();
  }

  private static void assertContains(String msg, String... parts) {
    for (String p : parts) assertTrue(msg.contains(p), "message lacks '" + p + "': " + msg);
  }

  @Test
  void syntaxErrorGivesLineAndColumn() throws IOException {
    Path p = CaffeTesting.write(dir, "bad.prototxt", "name: \"x\"\nlayer {\n  name: \"a\"\n  kernel_sise: 3\n}\n");
    assertContains(message(() -> CaffeTesting.importRandom(p, 0, Map.of())), "bad.prototxt:4:3:", "kernel_sise");
    Path q = CaffeTesting.write(dir, "unclosed.prototxt", "layer {\n  name: \"a\"\n");
    assertContains(message(() -> CaffeTesting.importRandom(q, 0, Map.of())), "unclosed.prototxt:3:");
  }

  @Test
  void unknownLayerTypesAreAllListedAtOnce() throws IOException {
    Path p = CaffeTesting.write(dir, "u.prototxt", CONV_NET + """
        layer { name: "pb" type: "PriorBox" bottom: "conv" top: "pb" }
        layer { name: "x1" type: "Foo" bottom: "conv" top: "x1" }
        layer { name: "x2" type: "Foo" bottom: "conv" top: "x2" }
        layer { name: "r" type: "Relu" bottom: "conv" top: "r" }
        """);
    String m = message(() -> CaffeTesting.importRandom(p, 0, Map.of()));
    assertContains(m, "u.prototxt", "PriorBox (layer 'pb')", "Foo (layers 'x1', 'x2')", "Relu (layer 'r')", "did you mean 'ReLU'", "Supported:");
  }

  @Test
  void forkLayersWithUnknownParametersAreListedAsUnsupported() throws IOException {
    Path p = CaffeTesting.write(dir, "ssd.prototxt", CONV_NET + """
        layer { name: "norm" type: "Normalize" bottom: "conv" top: "norm" norm_param { across_spatial: false } }
        layer { name: "prior" type: "PriorBox" bottom: "norm" top: "prior" prior_box_param { min_size: 30 } }
        """);
    assertContains(message(() -> CaffeTesting.importRandom(p, 0, Map.of())), "Normalize (layer 'norm')", "PriorBox (layer 'prior')");
    // A misspelled field of a supported layer stays a parse error at its position.
    Path q = CaffeTesting.write(dir, "typo.prototxt", CONV_NET.replace("num_output", "num_outputs"));
    assertContains(message(() -> CaffeTesting.importRandom(q, 0, Map.of())), "typo.prototxt:5:", "num_outputs");
  }

  @Test
  void bottomThatNoLayerProducesIsNamed() throws IOException {
    Path p = CaffeTesting.write(dir, "b.prototxt", CONV_NET + """
        layer { name: "relu" type: "ReLU" bottom: "convv" top: "relu" }
        layer { name: "pool" type: "Pooling" bottom: "nothing" top: "pool" pooling_param { kernel_size: 2 } }
        """);
    String m = message(() -> CaffeTesting.importRandom(p, 0, Map.of()));
    assertContains(m, "layer 'relu' reads blob 'convv'", "did you mean 'conv'", "layer 'pool' reads blob 'nothing'");
  }

  @Test
  void blobShapeMismatchNamesLayerExpectedAndFound() throws IOException {
    Path p = CaffeTesting.write(dir, "s.prototxt", CONV_NET);
    var net = CaffeFiles.readPrototxt(p);
    var w = CaffemodelWriter.write(dir.resolve("s.caffemodel"), net, Map.of("conv", java.util.List.of(
        org.npuc.ir.Tensor.ofFloats(new int[] {3, 2, 5, 5}, new float[150]), org.npuc.ir.Tensor.ofFloats(new int[] {3}, new float[3]))));
    String m = message(() -> CaffeTesting.importNet(p, w, Map.of()));
    assertContains(m, "layer 'conv'", "expected shape [3, 2, 3, 3]", "found [3, 2, 5, 5]", "s.caffemodel");
  }

  @Test
  void layerWithoutWeightsAndMissingWeightsFile() throws IOException {
    Path p = CaffeTesting.write(dir, "w.prototxt", CONV_NET);
    assertContains(message(() -> CaffeTesting.importNet(p, null, Map.of())), "layer 'conv' (Convolution) has no weights", "--random-weights");
    Path lenet = Models.require("caffe/lenet/lenet_iter_9000.caffemodel");
    assertContains(message(() -> CaffeTesting.importNet(p, lenet, Map.of())), "layer 'conv' (Convolution) has no weights in lenet_iter_9000.caffemodel");
  }

  @Test
  void truncatedAndCorruptCaffemodel() throws IOException {
    Path proto = Models.require("caffe/lenet/lenet.prototxt");
    byte[] good = Files.readAllBytes(Models.require("caffe/lenet/lenet_iter_9000.caffemodel"));
    Path cut = dir.resolve("cut.caffemodel");
    Files.write(cut, Arrays.copyOf(good, good.length / 2));
    assertContains(message(() -> CaffeTesting.importNet(proto, cut, Map.of())), "cut.caffemodel", "truncated or corrupt");
    Path junk = dir.resolve("junk.caffemodel");
    byte[] j = new byte[1000];
    new java.util.Random(1).nextBytes(j);
    j[0] = 0; // binary, not text
    Files.write(junk, j);
    assertContains(message(() -> CaffeTesting.importNet(proto, junk, Map.of())), "junk.caffemodel");
    Path missing = dir.resolve("none.caffemodel");
    assertContains(message(() -> CaffeTesting.importNet(proto, missing, Map.of())), "not found", "none.caffemodel");
  }

  @Test
  void hugeDeclaredSizeFailsFastWithoutAllocating() throws IOException {
    // field 100 (layer), length-delimited, declaring ~2 GB of content in a 12-byte file.
    byte[] b = {(byte) 0xA2, 0x06, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07, 0x0A, 0x01, 0x61, 0x00, 0x00};
    Path huge = dir.resolve("huge.caffemodel");
    Files.write(huge, b);
    Path proto = Models.require("caffe/lenet/lenet.prototxt");
    assertContains(message(() -> CaffeTesting.importNet(proto, huge, Map.of())), "huge.caffemodel", "truncated or corrupt");
  }

  @Test
  void absurdLayerSizesAreRejectedBeforeAllocating() throws IOException {
    Path p = CaffeTesting.write(dir, "big.prototxt", CONV_NET + """
        layer { name: "ip" type: "InnerProduct" bottom: "conv" top: "ip" inner_product_param { num_output: 2000000000 } }
        """);
    assertContains(message(() -> CaffeTesting.importRandom(p, 0, Map.of())), "layer 'ip' (InnerProduct)", "[2000000000, 27]");
  }

  @Test
  void swappedFilesAreRecognized() {
    Path proto = Models.require("caffe/lenet/lenet.prototxt");
    Path model = Models.require("caffe/lenet/lenet_iter_9000.caffemodel");
    assertContains(message(() -> CaffeTesting.importNet(model, proto, Map.of())), "binary, not a text prototxt");
  }

  @Test
  void unknownInputShapeAndBadOverride() throws IOException {
    Path p = CaffeTesting.write(dir, "d.prototxt", """
        layer { name: "data" type: "Data" top: "data" top: "label" data_param { source: "train_lmdb" batch_size: 4 } }
        layer { name: "relu" type: "ReLU" bottom: "data" top: "r" }
        """);
    assertContains(message(() -> CaffeTesting.importRandom(p, 0, Map.of())), "train_lmdb", "--input-shape data=N,C,H,W");
    Path q = CaffeTesting.write(dir, "c.prototxt", CONV_NET);
    assertContains(message(() -> CaffeTesting.importRandom(q, 0, Map.of("dta", new int[] {1, 2, 5, 5}))), "'dta'", "[data]");
    assertContains(message(() -> CaffeTesting.importRandom(q, 0, Map.of("data", new int[] {1, 2, 2, 2}))), "layer 'conv'", "does not fit");
  }

  @Test
  void v0FormatAndMixedFormatsAreRejectedWithUpgradeAdvice() throws IOException {
    Path p = CaffeTesting.write(dir, "mixed.prototxt", CONV_NET + "layers { name: \"old\" type: RELU bottom: \"conv\" top: \"conv\" }\n");
    assertContains(message(() -> CaffeTesting.importRandom(p, 0, Map.of())), "upgrade_net_proto_text");
    Path v0 = CaffeTesting.write(dir, "v0.prototxt", "name: \"v0\"\nlayers {\n  layer {\n    name: \"conv1\"\n    type: \"conv\"\n  }\n}\n");
    assertContains(message(() -> CaffeTesting.importRandom(v0, 0, Map.of())), "v0.prototxt:3:", "V0 format", "upgrade_net_proto_text");
  }
}

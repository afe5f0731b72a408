package org.npuc.frontend.caffe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.npuc.ir.Graph;
import org.npuc.ir.Tensor;
import org.npuc.spi.Frontend;
import org.npuc.spi.ImportOptions;
import org.npuc.testing.Models;

/** Data layers with transform_param, the TEST-phase filter, the V1 format, input/output choices, discovery. */
class DataLayersAndFormatsTest {
  @TempDir Path dir;

  private static Tensor ramp(int... shape) {
    float[] f = new float[(int) Tensor.count(shape)];
    for (int i = 0; i < f.length; i++) f[i] = i;
    return Tensor.ofFloats(shape, f);
  }

  @Test
  void imageDataTransformBecomesCropMeanScaleOps() throws Exception {
    Path p = CaffeTesting.write(dir, "img.prototxt", """
        name: "img"
        layer { name: "data" type: "ImageData" top: "data" top: "label"
          transform_param { crop_size: 2 mean_value: 10 mean_value: 20 mean_value: 30 scale: 0.5 mirror: true }
          image_data_param { source: "list.txt" batch_size: 1 new_height: 4 new_width: 5 } }
        layer { name: "relu" type: "ReLU" bottom: "data" top: "data" }
        layer { name: "loss" type: "SoftmaxWithLoss" bottom: "data" bottom: "label" top: "loss" }
        layer { name: "acc" type: "Accuracy" bottom: "data" bottom: "label" top: "acc" include { phase: TEST } }
        layer { name: "train_only" type: "Foo" bottom: "data" top: "t" include { phase: TRAIN } }
        """);
    Graph g = CaffeTesting.importNet(p, null, Map.of());
    assertArrayEquals(new int[] {1, 3, 4, 5}, g.inputs().get(0).result().type().shape());
    assertEquals(List.of("input", "slice", "sub", "mul", "relu", "output"), CaffeTesting.opNames(g));
    assertEquals("data", g.outputs().get(0).attributes().getString("name"));
    Tensor x = ramp(1, 3, 4, 5);
    Tensor y = CaffeTesting.run(g, Map.of("data", x)).get("data");
    // Centre crop of 4x5 to 2x2 starts at (1, 1): rows 1..2, columns 1..2.
    float[] want = new float[12];
    float[] mean = {10, 20, 30};
    for (int c = 0; c < 3; c++)
      for (int h = 0; h < 2; h++)
        for (int w = 0; w < 2; w++) want[(c * 2 + h) * 2 + w] = Math.max(0, (x.floats()[(c * 4 + h + 1) * 5 + w + 1] - mean[c]) * 0.5f);
    CaffeTesting.assertClose(want, y, 0, "crop, mean, scale, relu");
  }

  @Test
  void dataLayerMeanFileIsCroppedAtTheSameOffset() throws Exception {
    Tensor mean = ramp(1, 2, 5, 4);
    Files.write(dir.resolve("mean.binaryproto"), CaffemodelWriter.blob(mean).toByteArray());
    Path p = CaffeTesting.write(dir, "db.prototxt", """
        layer { name: "data" type: "Data" top: "data" top: "label"
          data_param { source: "val_lmdb" batch_size: 2 scale: 2 crop_size: 3 mean_file: "mean.binaryproto" } }
        """);
    Graph g = CaffeTesting.importNet(p, null, Map.of("data", new int[] {2, 2, 5, 4}));
    Tensor x = CaffeTesting.tensor(new int[] {2, 2, 5, 4}, CaffeTesting.data(80, 31));
    Tensor y = CaffeTesting.run(g, Map.of("data", x)).get("data");
    CaffeTesting.assertShape(new int[] {2, 2, 3, 3}, y, "cropped");
    float[] want = new float[36];
    for (int n = 0; n < 2; n++)
      for (int c = 0; c < 2; c++)
        for (int h = 0; h < 3; h++)
          for (int w = 0; w < 3; w++) {
            int src = (c * 5 + h + 1) * 4 + w; // offsets (5-3)/2 = 1, (4-3)/2 = 0
            want[((n * 2 + c) * 3 + h) * 3 + w] = (x.floats()[n * 40 + src] - mean.floats()[src]) * 2;
          }
    CaffeTesting.assertClose(want, y, 1e-6f, "legacy data_param transform with mean_file");
  }

  @Test
  void v1LayersFormatIsConverted() throws Exception {
    Path p = CaffeTesting.write(dir, "v1.prototxt", """
        name: "old"
        input: "data"
        input_dim: 1 input_dim: 1 input_dim: 2 input_dim: 2
        layers { name: "ip" type: INNER_PRODUCT bottom: "data" top: "ip" inner_product_param { num_output: 2 }
          blobs { num: 1 channels: 1 height: 2 width: 4 data: 1 data: 0 data: 0 data: 0 data: 0 data: 0 data: 0 data: -1 }
          blobs { num: 1 channels: 1 height: 1 width: 2 data: 0.5 data: 0 } }
        layers { name: "relu" type: RELU bottom: "ip" top: "ip" }
        layers { name: "prob" type: SOFTMAX bottom: "ip" top: "prob" }
        """);
    Graph g = CaffeTesting.importNet(p, null, Map.of());
    var out = CaffeTesting.run(g, Map.of("data", CaffeTesting.tensor(new int[] {1, 1, 2, 2}, 2f, 5f, 5f, 3f)));
    // ip = [2 + 0.5, -3] -> relu [2.5, 0] -> softmax
    double e = Math.exp(2.5);
    CaffeTesting.assertClose(new float[] {(float) (e / (e + 1)), (float) (1 / (e + 1))}, out.get("prob"), 1e-6f, "V1 net");
  }

  @Test
  void chosenInputsAndOutputsCutTheGraph() throws Exception {
    Path proto = Models.require("caffe/lenet/lenet.prototxt");
    ImportOptions o = new ImportOptions(proto).weights(Models.require("caffe/lenet/lenet_iter_9000.caffemodel"));
    o.inputs().add("pool2");
    o.outputs().add("ip1");
    o.inputShapes().put("pool2", new int[] {1, 50, 4, 4});
    Graph g = new CaffeFrontend().importModel(o);
    // relu1 works in place on blob ip1, so the blob's final version (as Caffe leaves it) is the output.
    assertEquals(List.of("input", "reshape", "matmul", "relu", "output"), CaffeTesting.opNames(g));
    assertEquals(List.of("pool2"), g.inputs().stream().map(i -> i.attributes().getString("name")).toList());
    assertEquals("ip1", g.outputs().get(0).attributes().getString("name"));
    var y = CaffeTesting.run(g, Map.of("pool2", CaffeTesting.tensor(new int[] {1, 50, 4, 4}, CaffeTesting.data(800, 3)))).get("ip1");
    CaffeTesting.assertShape(new int[] {1, 500}, y, "ip1");
    for (float v : y.floats()) assertTrue(v >= 0);
  }

  @Test
  void discoveredByServiceLoaderAndSniffsContent() throws Exception {
    Frontend f = ServiceLoader.load(Frontend.class).stream().map(ServiceLoader.Provider::get)
        .filter(x -> x.name().equals("caffe")).findFirst().orElseThrow();
    Path proto = Models.require("caffe/mtcnn/det1.prototxt");
    Path model = Models.require("caffe/mtcnn/det1.caffemodel");
    assertTrue(f.accepts(proto, head(proto)));
    assertTrue(f.accepts(Models.require("caffe/bvlc/bvlc_googlenet.deploy.prototxt"), head(Models.require("caffe/bvlc/bvlc_googlenet.deploy.prototxt"))));
    assertFalse(f.accepts(model, head(model)));
    assertFalse(f.accepts(dir.resolve("g.pbtxt"), "node {\n  name: \"x\"\n  op: \"Const\"\n}\n".getBytes()));
    assertFalse(f.accepts(dir.resolve("e"), new byte[0]));
  }

  private static byte[] head(Path p) throws Exception {
    byte[] b = Files.readAllBytes(p);
    return java.util.Arrays.copyOf(b, Math.min(b.length, 4096));
  }
}

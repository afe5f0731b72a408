package org.npuc.frontend.caffe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.npuc.ir.Graph;
import org.npuc.ir.Operation;
import org.npuc.ir.Tensor;
import org.npuc.spi.ImportOptions;
import org.npuc.testing.Models;

/**
 * AlexNet, CaffeNet and GoogLeNet deploy prototxts with seeded random weights: every layer's
 * output shape equals OpenCV dnn's, and the outputs agree with OpenCV run on the same weights
 * (written into a caffemodel here). Batch 1, one run each, to stay cheap.
 */
class BvlcOpenCvTest {
  @TempDir Path dir;

  @Test
  void alexnet() throws Exception {
    check("caffe/bvlc/bvlc_alexnet.deploy.prototxt", new int[] {1, 3, 227, 227}, List.of("fc8", "prob"));
  }

  @Test
  void caffenet() throws Exception {
    check("caffe/bvlc/bvlc_reference_caffenet.deploy.prototxt", new int[] {1, 3, 227, 227}, List.of("fc8", "prob"));
  }

  @Test
  void googlenet() throws Exception {
    check("caffe/bvlc/bvlc_googlenet.deploy.prototxt", new int[] {1, 3, 224, 224}, List.of("loss3/classifier", "prob"));
  }

  private void check(String model, int[] inputShape, List<String> outputs) throws Exception {
    Path proto = Models.require(model);
    ImportOptions o = new ImportOptions(proto).randomWeights(true).seed(42);
    o.inputShapes().put("data", inputShape);
    CaffeImporter importer = new CaffeImporter(o);
    Graph g = importer.run();
    Path weights = CaffemodelWriter.write(dir.resolve("random.caffemodel"), CaffeFiles.readPrototxt(proto), importer.usedWeights());
    OpenCvOracle cv = new OpenCvOracle(proto, weights);
    Tensor x = Tensor.ofFloats(inputShape, CaffeTesting.data((int) Tensor.count(inputShape), 5));

    // Every layer's output shape: OpenCV's blob for the layer vs the last op emitted for it.
    Map<String, Operation> lastOpOfLayer = new LinkedHashMap<>();
    for (Operation op : g) {
      if (!op.is("constant") && !op.is("output") && !op.is("input")) lastOpOfLayer.put(op.location().primaryName(), op);
    }
    List<String> layers = new ArrayList<>(lastOpOfLayer.keySet());
    Map<String, Tensor> all = cv.run(Map.of("data", x), layers);
    int compared = 0;
    for (String layer : layers) {
      int[] ours = lastOpOfLayer.get(layer).result(0).type().shape();
      assertArrayEquals(all.get(layer).shape(), ours, "shape of layer " + layer);
      compared++;
    }
    assertTrue(compared > 20, "compared " + compared + " layer shapes");

    // Numbers: our graph, cut at the logits and the softmax, against OpenCV on the same weights.
    ImportOptions o2 = new ImportOptions(proto).weights(weights);
    o2.inputShapes().put("data", inputShape);
    o2.outputs().addAll(outputs);
    Graph withFile = new CaffeFrontend().importModel(o2);
    Map<String, Tensor> got = CaffeTesting.run(withFile, Map.of("data", x));
    for (String out : outputs) {
      Tensor want = all.containsKey(out) ? all.get(out) : cv.run(Map.of("data", x), List.of(out)).get(out);
      float scale = 0;
      for (float f : want.floats()) scale = Math.max(scale, Math.abs(f));
      float diff = CaffeTesting.maxAbsDiff(want.floats(), got.get(out).floats());
      System.out.printf("%s %s: max |ours - OpenCV| = %.3g (max |OpenCV| %.3g)%n", model, out, diff, scale);
      assertTrue(diff <= 1e-4f, model + " " + out + ": max diff " + diff + " (max magnitude " + scale + ")");
    }
  }
}

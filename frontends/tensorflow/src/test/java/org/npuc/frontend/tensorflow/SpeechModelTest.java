package org.npuc.frontend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.npuc.frontend.tensorflow.NhwcRef.assertClose;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.npuc.frontend.tensorflow.proto.GraphDef;
import org.npuc.frontend.tensorflow.proto.NodeDef;
import org.npuc.interp.Interpreter;
import org.npuc.ir.Graph;
import org.npuc.ir.Tensor;
import org.npuc.spi.ImportOptions;
import org.npuc.testing.Models;

/**
 * conv_actions_frozen.pb cut after its audio front end (--inputs Mfcc:1,99,40): the network part
 * against a direct NHWC computation from the GraphDef's own weights and attributes, which checks
 * the NHWC→NCHW handling including the Reshape that flattens an NHWC feature map.
 */
class SpeechModelTest {

  @Test
  void networkAfterMfccMatchesNhwcReference() throws IOException {
    Path model = Models.require("tf/mnist/conv_actions_frozen.pb");
    ImportOptions o = new ImportOptions(model);
    o.inputs().add("Mfcc:1,99,40");
    o.outputs().add("labels_softmax");
    Graph g = TfTesting.load(o);
    assertEquals(
        List.of("Mfcc"), g.inputs().stream().map(op -> op.attributes().getString("name")).toList());

    GraphDef gd = GraphDef.parseFrom(Files.readAllBytes(model));
    Map<String, NodeDef> nodes = new HashMap<>();
    for (NodeDef n : gd.getNodeList()) nodes.put(n.getName(), n);
    Tensor w1 = weight(nodes, "Variable"),
        b1 = weight(nodes, "Variable_1"),
        w2 = weight(nodes, "Variable_2"),
        b2 = weight(nodes, "Variable_3");
    Tensor w3 = weight(nodes, "Variable_4"), b3 = weight(nodes, "Variable_5");

    float[] mfcc = NhwcRef.random(99 * 40, 41);
    for (int i = 0; i < mfcc.length; i++) mfcc[i] *= 10;
    int[] xs = {1, 99, 40, 1};
    int[] os = new int[4];
    float[] y =
        NhwcRef.conv(
            mfcc,
            xs,
            w1.floats(),
            w1.shape(),
            new int[] {1, 1},
            new int[] {1, 1},
            samePads(99, 40, w1),
            false,
            os);
    y = biasRelu(y, b1.floats());
    int[] ps = os.clone();
    int[] ph = NhwcRef.same(ps[1], 2, 2, 1), pw = NhwcRef.same(ps[2], 2, 2, 1);
    y =
        NhwcRef.pool(
            y,
            ps,
            new int[] {2, 2},
            new int[] {2, 2},
            new int[] {ph[0], ph[1], pw[0], pw[1]},
            true,
            os);
    int[] cs = os.clone();
    y =
        NhwcRef.conv(
            y,
            cs,
            w2.floats(),
            w2.shape(),
            new int[] {1, 1},
            new int[] {1, 1},
            samePads(cs[1], cs[2], w2),
            false,
            os);
    y = biasRelu(y, b2.floats());
    // Reshape_1 flattens the NHWC map in TF's row-major order, then MatMul + bias + softmax.
    int k = y.length, n = w3.shape()[1];
    float[] logits = new float[n];
    for (int j = 0; j < n; j++) {
      double acc = b3.floats()[j];
      for (int i = 0; i < k; i++) acc += y[i] * w3.floats()[i * n + j];
      logits[j] = (float) acc;
    }
    float max = Float.NEGATIVE_INFINITY;
    for (float v : logits) max = Math.max(max, v);
    double sum = 0;
    for (float v : logits) sum += Math.exp(v - max);
    float[] expected = new float[n];
    for (int j = 0; j < n; j++) expected[j] = (float) (Math.exp(logits[j] - max) / sum);

    Tensor out =
        new Interpreter(g)
            .run(Map.of("Mfcc", Tensor.ofFloats(new int[] {1, 99, 40}, mfcc)))
            .get("labels_softmax");
    NhwcRef.assertShape(new int[] {1, 12}, out);
    assertClose(expected, out, 1e-5);
  }

  private static int[] samePads(int h, int w, Tensor filter) {
    int[] a = NhwcRef.same(h, filter.shape()[0], 1, 1),
        b = NhwcRef.same(w, filter.shape()[1], 1, 1);
    return new int[] {a[0], a[1], b[0], b[1]};
  }

  private static float[] biasRelu(float[] y, float[] b) {
    for (int i = 0; i < y.length; i++) y[i] = Math.max(0, y[i] + b[i % b.length]);
    return y;
  }

  private static Tensor weight(Map<String, NodeDef> nodes, String name) {
    return TensorProtos.decode(nodes.get(name).getAttrOrThrow("value").getTensor());
  }
}

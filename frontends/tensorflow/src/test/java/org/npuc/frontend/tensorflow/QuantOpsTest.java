package org.npuc.frontend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.npuc.frontend.tensorflow.GraphDefBuilder.in;
import static org.npuc.frontend.tensorflow.NhwcRef.assertClose;
import static org.npuc.frontend.tensorflow.NhwcRef.random;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.npuc.ir.Graph;
import org.npuc.ir.Operation;
import org.npuc.ir.Tensor;

/**
 * FakeQuant ops: values as TF computes them, per-channel axes translated, QAT weights through conv.
 */
class QuantOpsTest {
  @TempDir Path dir;

  private static final int[] XS = {1, 4, 5, 3};
  private static final float[] X = random(60, 31);

  @Test
  void fakeQuantArgsVarsAndPerChannel() {
    float[] cmin = {-1f, -0.5f, -2f}, cmax = {1f, 0.7f, 0.1f};
    GraphDefBuilder b =
        new GraphDefBuilder()
            .placeholder("x", XS)
            .constF("mn", new int[0], -1.3f)
            .constF("mx", new int[0], 0.9f)
            .constF("cmn", new int[] {3}, cmin)
            .constF("cmx", new int[] {3}, cmax)
            .constF("id", new int[] {1, 1, 3, 3}, 1, 0, 0, 0, 1, 0, 0, 0, 1)
            .op("r", "Conv2D", in("x", "id"), "strides", new int[] {1, 1, 1, 1}, "padding", "VALID")
            .op(
                "args",
                "FakeQuantWithMinMaxArgs",
                in("r"),
                "min",
                -2f,
                "max",
                1.5f,
                "num_bits",
                4,
                "narrow_range",
                false)
            .op(
                "vars",
                "FakeQuantWithMinMaxVars",
                in("r", "mn", "mx"),
                "num_bits",
                8,
                "narrow_range",
                true)
            .op("pc", "FakeQuantWithMinMaxVarsPerChannel", in("r", "cmn", "cmx"), "num_bits", 8);
    float[] ea = new float[X.length], ev = new float[X.length], ep = new float[X.length];
    for (int i = 0; i < X.length; i++) {
      ea[i] = NhwcRef.fakeQuant(X[i], -2f, 1.5f, 4, false);
      ev[i] = NhwcRef.fakeQuant(X[i], -1.3f, 0.9f, 8, true);
      ep[i] = NhwcRef.fakeQuant(X[i], cmin[i % 3], cmax[i % 3], 8, false);
    }
    Map<String, Tensor> ins = Map.of("x", Tensor.ofFloats(XS, X));
    assertClose(ea, b.run(dir, ins, "args"), 1e-6);
    assertClose(ev, b.run(dir, ins, "vars"), 1e-6);
    assertClose(ep, b.run(dir, ins, "pc"), 1e-6);
    Graph g = b.importGraph(dir, "pc");
    for (Operation op : g)
      if (op.is("fake_quant"))
        assertEquals(1, op.attributes().getInt("axis"), "C of NHWC is axis 1 in NCHW");
  }

  @Test
  void perChannelWeightFakeQuantFollowsTheFilterLayout() {
    int[] ws = {2, 2, 3, 4};
    float[] w = random(48, 32);
    float[] wmax = {0.5f, 1f, 1.5f, 0.25f}, wmin = new float[4];
    for (int i = 0; i < 4; i++) wmin[i] = -wmax[i];
    GraphDefBuilder b =
        new GraphDefBuilder()
            .placeholder("x", XS)
            .constF("w", ws, w)
            .constF("wmin", new int[] {4}, wmin)
            .constF("wmax", new int[] {4}, wmax)
            .op(
                "wq",
                "FakeQuantWithMinMaxVarsPerChannel",
                in("w", "wmin", "wmax"),
                "num_bits",
                8,
                "narrow_range",
                true)
            .op("y", "Conv2D", in("x", "wq"), "strides", new int[] {1, 1, 1, 1}, "padding", "SAME");
    float[] wqv = new float[w.length];
    for (int i = 0; i < w.length; i++)
      wqv[i] = NhwcRef.fakeQuant(w[i], wmin[i % 4], wmax[i % 4], 8, true);
    int[] ph = NhwcRef.same(4, 2, 1, 1), pw = NhwcRef.same(5, 2, 1, 1);
    int[] os = new int[4];
    float[] e =
        NhwcRef.conv(
            X,
            XS,
            wqv,
            ws,
            new int[] {1, 1},
            new int[] {1, 1},
            new int[] {ph[0], ph[1], pw[0], pw[1]},
            false,
            os);
    assertClose(e, b.run(dir, Map.of("x", Tensor.ofFloats(XS, X)), "y"), 1e-5);
    Graph g = b.importGraph(dir, "y");
    Operation conv = null;
    for (Operation op : g) if (op.is("conv2d")) conv = op;
    Operation fq = conv.operand(1).definingOp();
    assertTrue(fq.is("fake_quant"), "the weight FakeQuant sits on the OIHW weights");
    assertEquals(0, fq.attributes().getInt("axis"));
    assertTrue(fq.operand(0).isConstant());
    assertEquals(
        1, TfTesting.opCounts(g).get("fake_quant"), "no leftover FakeQuant on the HWIO weights");
  }
}

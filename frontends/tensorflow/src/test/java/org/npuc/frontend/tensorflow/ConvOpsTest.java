package org.npuc.frontend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.npuc.frontend.tensorflow.GraphDefBuilder.in;
import static org.npuc.frontend.tensorflow.NhwcRef.assertClose;
import static org.npuc.frontend.tensorflow.NhwcRef.assertShape;
import static org.npuc.frontend.tensorflow.NhwcRef.random;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.npuc.ir.Graph;
import org.npuc.ir.Operation;
import org.npuc.ir.Tensor;

/**
 * Conv2D, DepthwiseConv2dNative, Conv2DBackpropInput, MatMul, FusedBatchNorm and the fused forms.
 */
class ConvOpsTest {
  @TempDir Path dir;

  private static final int[] XS = {2, 6, 7, 4};
  private static final float[] X = random(2 * 6 * 7 * 4, 1);

  private Tensor run(GraphDefBuilder b, String out) {
    return b.run(dir, Map.of("x", Tensor.ofFloats(XS, X)), out);
  }

  private void checkConv(
      String padding, int[] strides, int[] dil, int[] ws, int[] pads, Object... extra) {
    float[] w = random(ws[0] * ws[1] * ws[2] * ws[3], 2);
    GraphDefBuilder b = new GraphDefBuilder().placeholder("x", XS).constF("w", ws, w);
    Object[] attrs = {
      "strides", strides, "dilations", dil, "padding", padding, "data_format", "NHWC"
    };
    Object[] all = java.util.Arrays.copyOf(attrs, attrs.length + extra.length);
    System.arraycopy(extra, 0, all, attrs.length, extra.length);
    b.op("y", "Conv2D", in("x", "w"), all);
    int[] os = new int[4];
    float[] expected =
        NhwcRef.conv(
            X,
            XS,
            w,
            ws,
            new int[] {strides[1], strides[2]},
            new int[] {dil[1], dil[2]},
            pads,
            false,
            os);
    Tensor y = run(b, "y");
    assertShape(os, y);
    assertClose(expected, y, 1e-4);
  }

  @Test
  void conv2dSameStride2IsAsymmetric() {
    int[] ph = NhwcRef.same(6, 3, 2, 1), pw = NhwcRef.same(7, 3, 2, 1);
    assertEquals(0, ph[0]);
    assertEquals(1, ph[1]); // the odd pixel goes at the end
    checkConv(
        "SAME",
        new int[] {1, 2, 2, 1},
        new int[] {1, 1, 1, 1},
        new int[] {3, 3, 4, 5},
        new int[] {ph[0], ph[1], pw[0], pw[1]});
  }

  @Test
  void conv2dValidDilated() {
    checkConv(
        "VALID",
        new int[] {1, 1, 1, 1},
        new int[] {1, 2, 2, 1},
        new int[] {2, 3, 4, 3},
        new int[] {0, 0, 0, 0});
  }

  @Test
  void conv2dSameDilatedAndGrouped() {
    int[] ph = NhwcRef.same(6, 3, 1, 2), pw = NhwcRef.same(7, 3, 1, 2);
    checkConv(
        "SAME",
        new int[] {1, 1, 1, 1},
        new int[] {1, 2, 2, 1},
        new int[] {3, 3, 2, 6},
        new int[] {ph[0], ph[1], pw[0], pw[1]});
  }

  @Test
  void conv2dExplicitPadding() {
    checkConv(
        "EXPLICIT",
        new int[] {1, 2, 1, 1},
        new int[] {1, 1, 1, 1},
        new int[] {3, 2, 4, 3},
        new int[] {1, 2, 0, 3},
        "explicit_paddings",
        new int[] {0, 0, 1, 2, 0, 3, 0, 0});
  }

  @Test
  void conv2dNchwDataFormat() {
    int[] ws = {3, 3, 4, 5};
    float[] w = random(3 * 3 * 4 * 5, 3);
    // Feed the NHWC data transposed to NCHW, then compare with the NHWC reference transposed back.
    Tensor xn = ConstFold.transpose(Tensor.ofFloats(XS, X), TfValue.TO_NCHW);
    GraphDefBuilder b =
        new GraphDefBuilder()
            .placeholder("x", xn.shape())
            .constF("w", ws, w)
            .op(
                "y",
                "Conv2D",
                in("x", "w"),
                "strides",
                new int[] {1, 1, 2, 2},
                "padding",
                "SAME",
                "data_format",
                "NCHW");
    Tensor y = b.run(dir, Map.of("x", xn), "y");
    int[] ph = NhwcRef.same(6, 3, 2, 1), pw = NhwcRef.same(7, 3, 2, 1);
    int[] os = new int[4];
    float[] e =
        NhwcRef.conv(
            X,
            XS,
            w,
            ws,
            new int[] {2, 2},
            new int[] {1, 1},
            new int[] {ph[0], ph[1], pw[0], pw[1]},
            false,
            os);
    assertClose(ConstFold.transpose(Tensor.ofFloats(os, e), TfValue.TO_NCHW).floats(), y, 1e-4);
  }

  @Test
  void depthwiseSameWithMultiplier() {
    int[] ws = {3, 3, 4, 2};
    float[] w = random(3 * 3 * 4 * 2, 4);
    GraphDefBuilder b =
        new GraphDefBuilder()
            .placeholder("x", XS)
            .constF("w", ws, w)
            .op(
                "y",
                "DepthwiseConv2dNative",
                in("x", "w"),
                "strides",
                new int[] {1, 2, 2, 1},
                "padding",
                "SAME");
    int[] ph = NhwcRef.same(6, 3, 2, 1), pw = NhwcRef.same(7, 3, 2, 1);
    int[] os = new int[4];
    float[] e =
        NhwcRef.conv(
            X,
            XS,
            w,
            ws,
            new int[] {2, 2},
            new int[] {1, 1},
            new int[] {ph[0], ph[1], pw[0], pw[1]},
            true,
            os);
    Tensor y = run(b, "y");
    assertShape(os, y);
    assertClose(e, y, 1e-4);
    Graph g = b.importGraph(dir, "y");
    for (Operation op : g) if (op.is("conv2d")) assertEquals(4, op.attributes().getInt("group"));
  }

  @Test
  void conv2dBackpropInputSameStride2() {
    int[] sizes = {2, 6, 7, 3};
    int[] ws = {3, 3, 3, 4}; // [kh, kw, in (output of the deconv), out (channels of dy)]
    int[] dys = {2, 3, 4, 4};
    float[] w = random(3 * 3 * 3 * 4, 5);
    float[] dy = random(2 * 3 * 4 * 4, 6);
    GraphDefBuilder b =
        new GraphDefBuilder()
            .placeholder("dy", dys)
            .constF("w", ws, w)
            .vec("sizes", sizes)
            .op(
                "y",
                "Conv2DBackpropInput",
                in("sizes", "w", "dy"),
                "strides",
                new int[] {1, 2, 2, 1},
                "padding",
                "SAME");
    Tensor y = b.run(dir, Map.of("dy", Tensor.ofFloats(dys, dy)), "y");
    int[] ph = NhwcRef.same(6, 3, 2, 1), pw = NhwcRef.same(7, 3, 2, 1);
    float[] e =
        NhwcRef.convBackpropInput(
            sizes, w, ws, dy, dys, new int[] {2, 2}, new int[] {ph[0], ph[1], pw[0], pw[1]});
    assertShape(sizes, y);
    assertClose(e, y, 1e-4);
  }

  @Test
  void conv2dBackpropInputValidWithExtraRow() {
    // W: (8 - 3) / 2 + 1 = 3 outputs cover only 7 of the 8 input columns; the last gets no
    // gradient.
    int[] sizes = {1, 7, 8, 2};
    int[] ws = {3, 3, 2, 3};
    int[] dys = {1, 3, 3, 3};
    float[] w = random(3 * 3 * 2 * 3, 12);
    float[] dy = random(27, 13);
    GraphDefBuilder b =
        new GraphDefBuilder()
            .placeholder("dy", dys)
            .constF("w", ws, w)
            .vec("sizes", sizes)
            .op(
                "y",
                "Conv2DBackpropInput",
                in("sizes", "w", "dy"),
                "strides",
                new int[] {1, 2, 2, 1},
                "padding",
                "VALID");
    Tensor y = b.run(dir, Map.of("dy", Tensor.ofFloats(dys, dy)), "y");
    float[] e =
        NhwcRef.convBackpropInput(sizes, w, ws, dy, dys, new int[] {2, 2}, new int[] {0, 0, 0, 0});
    assertShape(sizes, y);
    assertClose(e, y, 1e-4);
  }

  @Test
  void fusedConvBiasRelu6AndBatchNormAndAdd() {
    int[] ws = {3, 3, 4, 3};
    float[] w = random(3 * 3 * 4 * 3, 7);
    float[] bias = {0.5f, -0.25f, 1f};
    float[] scale = {1.5f, 0.5f, -1f},
        offset = {0.1f, 0.2f, 0.3f},
        mean = {0.05f, -0.1f, 0.2f},
        var = {0.9f, 1.2f, 0.4f};
    int[] pads = {1, 1, 1, 1};
    int[] os = new int[4];
    float[] conv = NhwcRef.conv(X, XS, w, ws, new int[] {1, 1}, new int[] {1, 1}, pads, false, os);
    GraphDefBuilder b =
        new GraphDefBuilder()
            .placeholder("x", XS)
            .constF("w", ws, w)
            .constF("b", new int[] {3}, bias)
            .constF("s", new int[] {3}, scale)
            .constF("o", new int[] {3}, offset)
            .constF("m", new int[] {3}, mean)
            .constF("v", new int[] {3}, var)
            .op(
                "y1",
                "_FusedConv2D",
                in("x", "w", "b"),
                "strides",
                new int[] {1, 1, 1, 1},
                "padding",
                "SAME",
                "fused_ops",
                new String[] {"BiasAdd", "Relu6"},
                "num_args",
                1)
            .op(
                "y2",
                "_FusedConv2D",
                in("x", "w", "s", "o", "m", "v"),
                "strides",
                new int[] {1, 1, 1, 1},
                "padding",
                "SAME",
                "fused_ops",
                new String[] {"FusedBatchNorm", "Relu"},
                "num_args",
                4,
                "epsilon",
                0.001f)
            .op(
                "y3",
                "_FusedConv2D",
                in("x", "w", "b", "y1"),
                "strides",
                new int[] {1, 1, 1, 1},
                "padding",
                "SAME",
                "fused_ops",
                new String[] {"BiasAdd", "Add", "LeakyRelu"},
                "num_args",
                2,
                "leakyrelu_alpha",
                0.3f);
    float[] e1 = new float[conv.length], e2 = new float[conv.length], e3 = new float[conv.length];
    for (int i = 0; i < conv.length; i++) {
      int c = i % 3;
      e1[i] = Math.min(Math.max(conv[i] + bias[c], 0), 6);
      float bn = (float) (scale[c] * (conv[i] - mean[c]) / Math.sqrt(var[c] + 0.001f) + offset[c]);
      e2[i] = Math.max(bn, 0);
      float s = conv[i] + bias[c] + e1[i];
      e3[i] = s >= 0 ? s : 0.3f * s;
    }
    assertClose(e1, run(b, "y1"), 1e-4);
    assertClose(e2, run(b, "y2"), 1e-4);
    assertClose(e3, run(b, "y3"), 1e-4);
  }

  @Test
  void fusedDepthwiseBiasRelu() {
    int[] ws = {3, 3, 4, 1};
    float[] w = random(36, 8);
    float[] bias = {0.1f, 0.2f, -0.3f, 0.4f};
    GraphDefBuilder b =
        new GraphDefBuilder()
            .placeholder("x", XS)
            .constF("w", ws, w)
            .constF("b", new int[] {4}, bias)
            .op(
                "y",
                "FusedDepthwiseConv2dNative",
                in("x", "w", "b"),
                "strides",
                new int[] {1, 1, 1, 1},
                "padding",
                "VALID",
                "fused_ops",
                new String[] {"BiasAdd", "Relu"},
                "num_args",
                1);
    int[] os = new int[4];
    float[] e =
        NhwcRef.conv(X, XS, w, ws, new int[] {1, 1}, new int[] {1, 1}, new int[4], true, os);
    for (int i = 0; i < e.length; i++) e[i] = Math.max(e[i] + bias[i % 4], 0);
    assertClose(e, run(b, "y"), 1e-4);
  }

  @Test
  void matmulTransposesAndFusedMatMul() {
    float[] a = random(3 * 5, 9), w = random(5 * 4, 10), bias = {1, 2, 3, 4};
    GraphDefBuilder b =
        new GraphDefBuilder()
            .placeholder("a", 3, 5)
            .placeholder("at", 5, 3)
            .constF("w", new int[] {5, 4}, w)
            .constF("wt", new int[] {4, 5}, transpose(w, 5, 4))
            .constF("b", new int[] {4}, bias)
            .op("y1", "MatMul", in("a", "w"))
            .op("y2", "MatMul", in("at", "wt"), "transpose_a", true, "transpose_b", true)
            .op(
                "y3",
                "_FusedMatMul",
                in("a", "w", "b"),
                "fused_ops",
                new String[] {"BiasAdd", "Relu"},
                "num_args",
                1);
    float[] e = new float[12];
    for (int i = 0; i < 3; i++)
      for (int j = 0; j < 4; j++)
        for (int k = 0; k < 5; k++) e[i * 4 + j] += a[i * 5 + k] * w[k * 4 + j];
    float[] e3 = new float[12];
    for (int i = 0; i < 12; i++) e3[i] = Math.max(e[i] + bias[i % 4], 0);
    Map<String, Tensor> ins =
        Map.of(
            "a",
            Tensor.ofFloats(new int[] {3, 5}, a),
            "at",
            Tensor.ofFloats(new int[] {5, 3}, transpose(a, 3, 5)));
    assertClose(e, b.run(dir, ins, "y1"), 1e-5);
    assertClose(e, b.run(dir, ins, "y2"), 1e-5);
    assertClose(e3, b.run(dir, ins, "y3"), 1e-5);
  }

  @Test
  void fusedBatchNormV3Inference() {
    float[] scale = {1.5f, 0.5f, -1f, 2f},
        offset = {0.1f, 0.2f, 0.3f, 0f},
        mean = {0.05f, -0.1f, 0.2f, 1f},
        var = {0.9f, 1.2f, 0.4f, 2f};
    GraphDefBuilder b =
        new GraphDefBuilder()
            .placeholder("x", XS)
            .constF("s", new int[] {4}, scale)
            .constF("o", new int[] {4}, offset)
            .constF("m", new int[] {4}, mean)
            .constF("v", new int[] {4}, var)
            .op(
                "y",
                "FusedBatchNormV3",
                in("x", "s", "o", "m", "v"),
                "epsilon",
                0.01f,
                "is_training",
                false);
    float[] e = new float[X.length];
    for (int i = 0; i < X.length; i++) {
      int c = i % 4;
      e[i] = (float) (scale[c] * (X[i] - mean[c]) / Math.sqrt(var[c] + 0.01f) + offset[c]);
    }
    assertClose(e, run(b, "y"), 1e-5);
  }

  static float[] transpose(float[] m, int rows, int cols) {
    float[] t = new float[m.length];
    for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) t[j * rows + i] = m[i * cols + j];
    return t;
  }
}

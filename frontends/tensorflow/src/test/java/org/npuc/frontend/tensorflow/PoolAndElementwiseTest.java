package org.npuc.frontend.tensorflow;

import static org.npuc.frontend.tensorflow.GraphDefBuilder.in;
import static org.npuc.frontend.tensorflow.NhwcRef.assertClose;
import static org.npuc.frontend.tensorflow.NhwcRef.assertShape;
import static org.npuc.frontend.tensorflow.NhwcRef.random;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.npuc.ir.Tensor;

/**
 * Pooling, reductions and elementwise ops on NHWC tensors (held as NCHW inside the IR): each result
 * is compared with a direct NHWC computation.
 */
class PoolAndElementwiseTest {
  @TempDir Path dir;

  private static final int[] XS = {2, 5, 6, 3};
  private static final float[] X = random(2 * 5 * 6 * 3, 11);

  /** A graph whose input goes through an identity 1x1 conv, so the IR holds "r" as NCHW. */
  private GraphDefBuilder base() {
    return new GraphDefBuilder()
        .placeholder("x", XS)
        .constF("id", new int[] {1, 1, 3, 3}, 1, 0, 0, 0, 1, 0, 0, 0, 1)
        .op("r", "Conv2D", in("x", "id"), "strides", new int[] {1, 1, 1, 1}, "padding", "VALID");
  }

  private Tensor run(GraphDefBuilder b, String out) {
    return b.run(dir, Map.of("x", Tensor.ofFloats(XS, X)), out);
  }

  @Test
  void maxAndAvgPoolSameAndValid() {
    GraphDefBuilder b =
        base()
            .op(
                "mp",
                "MaxPool",
                in("r"),
                "ksize",
                new int[] {1, 3, 3, 1},
                "strides",
                new int[] {1, 2, 2, 1},
                "padding",
                "SAME")
            .op(
                "ap",
                "AvgPool",
                in("r"),
                "ksize",
                new int[] {1, 3, 2, 1},
                "strides",
                new int[] {1, 2, 2, 1},
                "padding",
                "SAME")
            .op(
                "vp",
                "AvgPool",
                in("r"),
                "ksize",
                new int[] {1, 2, 2, 1},
                "strides",
                new int[] {1, 1, 2, 1},
                "padding",
                "VALID");
    int[] h = NhwcRef.same(5, 3, 2, 1), w = NhwcRef.same(6, 3, 2, 1);
    int[] os = new int[4];
    float[] e =
        NhwcRef.pool(
            X,
            XS,
            new int[] {3, 3},
            new int[] {2, 2},
            new int[] {h[0], h[1], w[0], w[1]},
            true,
            os);
    Tensor mp = run(b, "mp");
    assertShape(os, mp);
    assertClose(e, mp, 1e-6);
    int[] w2 = NhwcRef.same(6, 2, 2, 1);
    e =
        NhwcRef.pool(
            X,
            XS,
            new int[] {3, 2},
            new int[] {2, 2},
            new int[] {h[0], h[1], w2[0], w2[1]},
            false,
            os);
    assertClose(e, run(b, "ap"), 1e-5);
    e = NhwcRef.pool(X, XS, new int[] {2, 2}, new int[] {1, 2}, new int[4], false, os);
    assertClose(e, run(b, "vp"), 1e-5);
  }

  @Test
  void reductionsOverNhwcAxes() {
    GraphDefBuilder b =
        base()
            .vec("hw", 1, 2)
            .vec("c", -1)
            .vec("h", 1)
            .op("mean", "Mean", in("r", "hw"), "keep_dims", false)
            .op("meank", "Mean", in("r", "hw"), "keep_dims", true)
            .op("sum", "Sum", in("r", "c"), "keep_dims", false)
            .op("max", "Max", in("r", "h"), "keep_dims", false);
    float[] mean = new float[2 * 3], sum = new float[2 * 5 * 6], max = new float[2 * 6 * 3];
    java.util.Arrays.fill(max, Float.NEGATIVE_INFINITY);
    for (int n = 0; n < 2; n++)
      for (int i = 0; i < 5; i++)
        for (int j = 0; j < 6; j++)
          for (int c = 0; c < 3; c++) {
            float v = X[((n * 5 + i) * 6 + j) * 3 + c];
            mean[n * 3 + c] += v / 30f;
            sum[(n * 5 + i) * 6 + j] += v;
            max[(n * 6 + j) * 3 + c] = Math.max(max[(n * 6 + j) * 3 + c], v);
          }
    Tensor m = run(b, "mean");
    assertShape(new int[] {2, 3}, m);
    assertClose(mean, m, 1e-5);
    Tensor mk = run(b, "meank");
    assertShape(new int[] {2, 1, 1, 3}, mk);
    assertClose(mean, mk, 1e-5);
    Tensor s = run(b, "sum");
    assertShape(new int[] {2, 5, 6}, s);
    assertClose(sum, s, 1e-5);
    Tensor mx = run(b, "max");
    assertShape(new int[] {2, 6, 3}, mx);
    assertClose(max, mx, 0);
  }

  private void checkUnary(String op, DoubleUnaryOperator f, Object... attrs) {
    GraphDefBuilder b = base().op("y", op, in("r"), attrs);
    float[] e = new float[X.length];
    for (int i = 0; i < X.length; i++)
      e[i] =
          (float) f.applyAsDouble(op.equals("Sqrt") || op.equals("Rsqrt") ? Math.abs(X[i]) : X[i]);
    float[] xin = X;
    if (op.equals("Sqrt") || op.equals("Rsqrt")) {
      xin = new float[X.length];
      for (int i = 0; i < X.length; i++) xin[i] = Math.abs(X[i]);
    }
    Tensor y = b.run(dir, Map.of("x", Tensor.ofFloats(XS, xin)), "y");
    assertShape(XS, y);
    assertClose(e, y, 1e-5);
  }

  @Test
  void unaryActivations() {
    checkUnary("Relu", v -> Math.max(v, 0));
    checkUnary("Relu6", v -> Math.min(Math.max(v, 0), 6));
    checkUnary("LeakyRelu", v -> v >= 0 ? v : 0.1 * v, "alpha", 0.1f);
    checkUnary("Elu", v -> v > 0 ? v : Math.exp(v) - 1);
    checkUnary("Sigmoid", v -> 1 / (1 + Math.exp(-v)));
    checkUnary("Tanh", Math::tanh);
    checkUnary("Square", v -> v * v);
    checkUnary("Sqrt", Math::sqrt);
    checkUnary("Rsqrt", v -> 1 / Math.sqrt(v));
  }

  private void checkBinary(String op, DoubleBinaryOperator f) {
    float[] cvec = {0.5f, -2f, 3f};
    float[] hwc = random(5 * 6 * 3, 12);
    GraphDefBuilder b =
        base()
            .constF("cv", new int[] {3}, cvec)
            .constF("hwc", new int[] {5, 6, 3}, hwc)
            .constF("one", new int[] {1, 1, 3, 3}, 1, 0, 0, 0, 1, 0, 0, 0, 1)
            .op(
                "c",
                "Conv2D",
                in("r", "one"),
                "strides",
                new int[] {1, 1, 1, 1},
                "padding",
                "VALID")
            .op("y1", op, in("c", "cv"))
            .op("y2", op, in("hwc", "c"))
            .op("y3", op, in("c", "x"));
    float[] e1 = new float[X.length], e2 = new float[X.length], e3 = new float[X.length];
    for (int i = 0; i < X.length; i++) {
      e1[i] = (float) f.applyAsDouble(X[i], cvec[i % 3]);
      e2[i] = (float) f.applyAsDouble(hwc[i % (5 * 6 * 3)], X[i]);
      e3[i] = (float) f.applyAsDouble(X[i], X[i]);
    }
    assertClose(e1, run(b, "y1"), 1e-5);
    assertClose(e2, run(b, "y2"), 1e-5);
    assertClose(e3, run(b, "y3"), 1e-5);
  }

  @Test
  void binaryOpsBroadcastAgainstNhwc() {
    checkBinary("Add", (p, q) -> p + q);
    checkBinary("AddV2", (p, q) -> p + q);
    checkBinary("Sub", (p, q) -> p - q);
    checkBinary("Mul", (p, q) -> p * q);
    checkBinary("RealDiv", (p, q) -> p / q);
    checkBinary("Maximum", Math::max);
    checkBinary("Minimum", Math::min);
  }

  @Test
  void softmaxBiasAddAndAddN() {
    float[] bias = {1f, -1f, 0.5f};
    GraphDefBuilder b =
        base()
            .constF("b", new int[] {3}, bias)
            .op("sm", "Softmax", in("r"))
            .op("ba", "BiasAdd", in("r", "b"), "data_format", "NHWC")
            .op("an", "AddN", in("r", "ba", "r"));
    float[] sm = new float[X.length], ba = new float[X.length], an = new float[X.length];
    for (int p = 0; p < X.length / 3; p++) {
      double mx = Math.max(X[3 * p], Math.max(X[3 * p + 1], X[3 * p + 2])), s = 0;
      for (int c = 0; c < 3; c++) s += Math.exp(X[3 * p + c] - mx);
      for (int c = 0; c < 3; c++) {
        sm[3 * p + c] = (float) (Math.exp(X[3 * p + c] - mx) / s);
        ba[3 * p + c] = X[3 * p + c] + bias[c];
        an[3 * p + c] = X[3 * p + c] + ba[3 * p + c] + X[3 * p + c];
      }
    }
    assertClose(sm, run(b, "sm"), 1e-6);
    assertClose(ba, run(b, "ba"), 1e-6);
    assertClose(an, run(b, "an"), 1e-5);
  }
}

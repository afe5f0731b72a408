package org.npuc.frontend.tflite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.npuc.interp.Interpreter;
import org.npuc.ir.Graph;
import org.npuc.ir.Tensor;
import org.npuc.ir.type.ScalarType;

/**
 * Float models built in the test: the NCHW import (weights moved from OHWI, depthwise from
 * [1,H,W,C·M], fully connected flattening in NHWC order, transposes at the boundary) must compute
 * what a direct NHWC evaluation of the TFLite operators computes.
 */
class FloatImportTest {
  private static float[] random(int n, long seed) {
    Random r = new Random(seed);
    float[] f = new float[n];
    for (int i = 0; i < n; i++) f[i] = (float) r.nextGaussian();
    return f;
  }

  /** TFLite CONV_2D / DEPTHWISE_CONV_2D on NHWC data (SAME padding puts the odd pixel at the end). */
  static float[] convNhwc(float[] x, int h, int w, int c, float[] wt, int o, int kh, int kw, float[] bias, int stride, boolean same, boolean depthwise, int[] outHw) {
    int oh = same ? (h + stride - 1) / stride : (h - kh + stride) / stride;
    int ow = same ? (w + stride - 1) / stride : (w - kw + stride) / stride;
    int pt = same ? Math.max((oh - 1) * stride + kh - h, 0) / 2 : 0;
    int pl = same ? Math.max((ow - 1) * stride + kw - w, 0) / 2 : 0;
    outHw[0] = oh;
    outHw[1] = ow;
    float[] out = new float[oh * ow * o];
    for (int y = 0; y < oh; y++) {
      for (int xx = 0; xx < ow; xx++) {
        for (int oc = 0; oc < o; oc++) {
          double acc = bias[oc];
          for (int ky = 0; ky < kh; ky++) {
            for (int kx = 0; kx < kw; kx++) {
              int iy = y * stride - pt + ky, ix = xx * stride - pl + kx;
              if (iy < 0 || ix < 0 || iy >= h || ix >= w) continue;
              if (depthwise) {
                int ic = oc / (o / c);
                acc += x[(iy * w + ix) * c + ic] * wt[(ky * kw + kx) * o + oc];
              } else {
                for (int ic = 0; ic < c; ic++) acc += x[(iy * w + ix) * c + ic] * wt[((oc * kh + ky) * kw + kx) * c + ic];
              }
            }
          }
          out[(y * ow + xx) * o + oc] = (float) acc;
        }
      }
    }
    return out;
  }

  @Test
  void convThenFullyConnectedMatchesNhwcEvaluation() {
    TfliteFileBuilder m = new TfliteFileBuilder();
    float[] wConv = random(3 * 2 * 2 * 2, 1);
    float[] bConv = random(3, 2);
    float[] wFc = random(4 * 12, 3);
    float[] bFc = random(4, 4);
    int x = m.tensor("x", new int[] {1, 3, 3, 2}, TfliteModel.FLOAT32);
    int w = m.constant("w", new int[] {3, 2, 2, 2}, wConv);
    int b = m.constant("b", new int[] {3}, bConv);
    int c = m.tensor("conv", new int[] {1, 2, 2, 3}, TfliteModel.FLOAT32);
    int w2 = m.constant("w2", new int[] {4, 12}, wFc);
    int b2 = m.constant("b2", new int[] {4}, bFc);
    int y = m.tensor("y", new int[] {1, 4}, TfliteModel.FLOAT32);
    m.op(BuiltinOps.CONV_2D, new int[] {x, w, b}, new int[] {c}, 1, TfliteFileBuilder.conv2dOptions(1, 1, 0));
    m.op(BuiltinOps.FULLY_CONNECTED, new int[] {c, w2, b2}, new int[] {y}, 8, TfliteFileBuilder.fullyConnectedOptions(0, false));
    m.inputs = new int[] {x};
    m.outputs = new int[] {c, y};
    Graph g = TfliteFrontend.importBytes(ByteBuffer.wrap(m.build()), "test.tflite", "test");

    float[] in = random(18, 5);
    Map<String, Tensor> out = new Interpreter(g).run(Map.of("x", Tensor.ofFloats(new int[] {1, 3, 3, 2}, in)));
    int[] hw = new int[2];
    float[] conv = convNhwc(in, 3, 3, 2, wConv, 3, 2, 2, bConv, 1, false, false, hw);
    assertArrayEquals(new int[] {1, 2, 2, 3}, out.get("conv").shape());
    assertArrayEquals(conv, out.get("conv").floats(), 1e-5f);
    float[] fc = new float[4];
    for (int j = 0; j < 4; j++) {
      double acc = bFc[j];
      for (int k = 0; k < 12; k++) acc += conv[k] * wFc[j * 12 + k]; // flattened in NHWC order
      fc[j] = (float) acc;
    }
    assertArrayEquals(fc, out.get("y").floats(), 1e-5f);
    assertEquals(ScalarType.F32, g.inputs().get(0).result().type().elementType());
  }

  @Test
  void depthwiseWithMultiplierAndSamePadding() {
    TfliteFileBuilder m = new TfliteFileBuilder();
    float[] wDw = random(3 * 3 * 4, 7);
    float[] bDw = random(4, 8);
    int x = m.tensor("x", new int[] {1, 4, 4, 2}, TfliteModel.FLOAT32);
    int w = m.constant("w", new int[] {1, 3, 3, 4}, wDw);
    int b = m.constant("b", new int[] {4}, bDw);
    int y = m.tensor("y", new int[] {1, 2, 2, 4}, TfliteModel.FLOAT32);
    m.op(BuiltinOps.DEPTHWISE_CONV_2D, new int[] {x, w, b}, new int[] {y}, 2, TfliteFileBuilder.depthwiseOptions(0, 2, 2, 0));
    m.inputs = new int[] {x};
    m.outputs = new int[] {y};
    Graph g = TfliteFrontend.importBytes(ByteBuffer.wrap(m.build()), "dw.tflite", "dw");
    float[] in = random(32, 9);
    Tensor out = new Interpreter(g).run(Map.of("x", Tensor.ofFloats(new int[] {1, 4, 4, 2}, in))).get("y");
    float[] want = convNhwc(in, 4, 4, 2, wDw, 4, 3, 3, bDw, 2, true, true, new int[2]);
    assertArrayEquals(want, out.floats(), 1e-5f);
  }

  @Test
  void meanOverHeightKeepsNhwcOrder() {
    // MEAN over H only without keep_dims: NHWC [1,2,3,2] -> [1,3,2]; the NCHW result [1,2,3] would
    // be in another order, so the importer must reduce in the file's layout.
    TfliteFileBuilder m = new TfliteFileBuilder();
    int x = m.tensor("x", new int[] {1, 2, 3, 2}, TfliteModel.FLOAT32);
    ByteBuffer axes = ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(1);
    int a = m.raw(new TfliteFileBuilder.T("axes", new int[] {1}, TfliteModel.INT32, axes.array(), null, null, 0, -1));
    int y = m.tensor("y", new int[] {1, 3, 2}, TfliteModel.FLOAT32);
    int pre = m.tensor("pre", new int[] {1, 2, 3, 2}, TfliteModel.FLOAT32);
    m.op(BuiltinOps.RELU, new int[] {x}, new int[] {pre}, 0, null);
    m.op(BuiltinOps.MEAN, new int[] {pre, a}, new int[] {y}, 27, TfliteFileBuilder.reducerOptions(false));
    m.inputs = new int[] {x};
    m.outputs = new int[] {y};
    Graph g = TfliteFrontend.importBytes(ByteBuffer.wrap(m.build()), "mean.tflite", "mean");
    float[] in = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    Tensor out = new Interpreter(g).run(Map.of("x", Tensor.ofFloats(new int[] {1, 2, 3, 2}, in))).get("y");
    assertArrayEquals(new int[] {1, 3, 2}, out.shape());
    assertArrayEquals(new float[] {4, 5, 6, 7, 8, 9}, out.floats(), 1e-6f);
  }

  private static int intConst(TfliteFileBuilder m, String name, int[] shape, int... v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (int x : v) b.putInt(x);
    return m.raw(new TfliteFileBuilder.T(name, shape, TfliteModel.INT32, b.array(), null, null, 0, -1));
  }

  @Test
  void concatPadSoftmaxAndSqueezeFollowTheLayout() {
    // x [1,1,2,2] NHWC; concat with relu(x) on channels -> [1,1,2,4]; pad W by (1,0) -> [1,1,3,4];
    // softmax over channels; squeeze H -> [1,3,4]. Every step checked against NHWC arithmetic.
    TfliteFileBuilder m = new TfliteFileBuilder();
    int x = m.tensor("x", new int[] {1, 1, 2, 2}, TfliteModel.FLOAT32);
    int r = m.tensor("r", new int[] {1, 1, 2, 2}, TfliteModel.FLOAT32);
    int c = m.tensor("c", new int[] {1, 1, 2, 4}, TfliteModel.FLOAT32);
    int pads = intConst(m, "pads", new int[] {4, 2}, 0, 0, 0, 0, 1, 0, 0, 0);
    int p = m.tensor("p", new int[] {1, 1, 3, 4}, TfliteModel.FLOAT32);
    int s = m.tensor("s", new int[] {1, 1, 3, 4}, TfliteModel.FLOAT32);
    int q = m.tensor("q", new int[] {1, 3, 4}, TfliteModel.FLOAT32);
    m.op(BuiltinOps.RELU, new int[] {x}, new int[] {r}, 0, null);
    m.op(BuiltinOps.CONCATENATION, new int[] {x, r}, new int[] {c}, 10, b -> {
      b.startTable(2);
      b.addInt(0, 3, 0);
      return b.endTable();
    });
    m.op(BuiltinOps.PAD, new int[] {c, pads}, new int[] {p}, 0, null);
    m.op(BuiltinOps.SOFTMAX, new int[] {p}, new int[] {s}, 9, b -> {
      b.startTable(1);
      b.addFloat(0, 1f, 0);
      return b.endTable();
    });
    m.op(BuiltinOps.SQUEEZE, new int[] {s}, new int[] {q}, 0, null);
    m.inputs = new int[] {x};
    m.outputs = new int[] {q};
    Graph g = TfliteFrontend.importBytes(ByteBuffer.wrap(m.build()), "cat.tflite", "cat");
    float[] in = {1, -2, 3, 0.5f};
    Tensor out = new Interpreter(g).run(Map.of("x", Tensor.ofFloats(new int[] {1, 1, 2, 2}, in))).get("q");
    assertArrayEquals(new int[] {1, 3, 4}, out.shape());
    float[][] rows = {{0, 0, 0, 0}, {1, -2, 1, 0}, {3, 0.5f, 3, 0.5f}}; // padded pixel first
    float[] want = new float[12];
    for (int i = 0; i < 3; i++) {
      double sum = 0;
      for (float v : rows[i]) sum += Math.exp(v);
      for (int k = 0; k < 4; k++) want[i * 4 + k] = (float) (Math.exp(rows[i][k]) / sum);
    }
    assertArrayEquals(want, out.floats(), 1e-6f);
  }
}

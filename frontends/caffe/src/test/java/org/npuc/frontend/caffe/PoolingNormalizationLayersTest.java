package org.npuc.frontend.caffe;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.npuc.ir.Tensor;

/** Pooling, LRN, BatchNorm, Scale and Bias against Caffe's definitions written out in the test. */
class PoolingNormalizationLayersTest {
  @TempDir Path dir;

  /** Caffe's pooling loop: ceil output size, last-window rule, AVE divisor clipped to [-pad, H+pad). */
  static float[] caffePool(Tensor x, boolean max, int k, int s, int p, int[] outHw) {
    int n = x.dim(0), c = x.dim(1), h = x.dim(2), w = x.dim(3);
    int oh = (int) Math.ceil((h + 2.0 * p - k) / s) + 1;
    int ow = (int) Math.ceil((w + 2.0 * p - k) / s) + 1;
    if (p > 0) {
      if ((oh - 1) * s >= h + p) oh--;
      if ((ow - 1) * s >= w + p) ow--;
    }
    outHw[0] = oh;
    outHw[1] = ow;
    float[] out = new float[n * c * oh * ow];
    for (int nc = 0; nc < n * c; nc++)
      for (int y = 0; y < oh; y++)
        for (int xx = 0; xx < ow; xx++) {
          int hs = y * s - p, ws = xx * s - p;
          int he = Math.min(hs + k, h + p), we = Math.min(ws + k, w + p);
          int size = (he - hs) * (we - ws);
          hs = Math.max(hs, 0);
          ws = Math.max(ws, 0);
          he = Math.min(he, h);
          we = Math.min(we, w);
          double acc = max ? Double.NEGATIVE_INFINITY : 0;
          for (int i = hs; i < he; i++)
            for (int j = ws; j < we; j++) {
              float v = x.floats()[(nc * h + i) * w + j];
              acc = max ? Math.max(acc, v) : acc + v;
            }
          out[(nc * oh + y) * ow + xx] = (float) (max ? acc : acc / size);
        }
    return out;
  }

  @Test
  void poolingMaxAndAveWithPaddingAndCeilOnOddSizes() throws Exception {
    Tensor x = CaffeTesting.tensor(new int[] {1, 2, 7, 9}, CaffeTesting.data(126, 21));
    var out = new TestNet().input("data", x)
        .layer("layer { name: \"m\" type: \"Pooling\" bottom: \"data\" top: \"m\" pooling_param { pool: MAX kernel_size: 3 stride: 2 pad: 1 } }")
        .layer("layer { name: \"a\" type: \"Pooling\" bottom: \"data\" top: \"a\" pooling_param { pool: AVE kernel_size: 3 stride: 2 pad: 1 } }")
        .layer("layer { name: \"m0\" type: \"Pooling\" bottom: \"data\" top: \"m0\" pooling_param { pool: MAX kernel_size: 2 stride: 2 } }")
        .layer("layer { name: \"a0\" type: \"Pooling\" bottom: \"data\" top: \"a0\" pooling_param { pool: AVE kernel_size: 3 stride: 3 } }")
        .layer("layer { name: \"a2\" type: \"Pooling\" bottom: \"data\" top: \"a2\" pooling_param { pool: AVE kernel_size: 4 stride: 3 pad: 2 } }")
        .run(dir);
    int[] hw = new int[2];
    for (var e : Map.of("m", new int[] {1, 3, 2, 1}, "a", new int[] {0, 3, 2, 1}, "m0", new int[] {1, 2, 2, 0},
        "a0", new int[] {0, 3, 3, 0}, "a2", new int[] {0, 4, 3, 2}).entrySet()) {
      int[] q = e.getValue();
      float[] want = caffePool(x, q[0] == 1, q[1], q[2], q[3], hw);
      CaffeTesting.assertShape(new int[] {1, 2, hw[0], hw[1]}, out.get(e.getKey()), e.getKey());
      CaffeTesting.assertClose(want, out.get(e.getKey()), 1e-6f, e.getKey());
    }
    // 7x9 with k2 s2 and no pad: Caffe rounds up to 4x5 (the last window covers one row/column).
    CaffeTesting.assertShape(new int[] {1, 2, 4, 5}, out.get("m0"), "m0");
  }

  @Test
  void globalPoolingAndRectangularKernels() throws Exception {
    Tensor x = CaffeTesting.tensor(new int[] {2, 3, 4, 5}, CaffeTesting.data(120, 22));
    var out = new TestNet().input("data", x)
        .layer("layer { name: \"g\" type: \"Pooling\" bottom: \"data\" top: \"g\" pooling_param { pool: AVE global_pooling: true } }")
        .layer("layer { name: \"gm\" type: \"Pooling\" bottom: \"data\" top: \"gm\" pooling_param { pool: MAX global_pooling: true } }")
        .layer("layer { name: \"r\" type: \"Pooling\" bottom: \"data\" top: \"r\" pooling_param { pool: MAX kernel_h: 2 kernel_w: 3 stride_h: 2 stride_w: 1 } }")
        .run(dir);
    float[] g = new float[6];
    float[] gm = new float[6];
    for (int nc = 0; nc < 6; nc++) {
      double s = 0;
      float m = Float.NEGATIVE_INFINITY;
      for (int i = 0; i < 20; i++) {
        s += x.floats()[nc * 20 + i];
        m = Math.max(m, x.floats()[nc * 20 + i]);
      }
      g[nc] = (float) (s / 20);
      gm[nc] = m;
    }
    CaffeTesting.assertShape(new int[] {2, 3, 1, 1}, out.get("g"), "global");
    CaffeTesting.assertClose(g, out.get("g"), 1e-6f, "global ave");
    CaffeTesting.assertClose(gm, out.get("gm"), 0f, "global max");
    // H' = ceil((4-2)/2)+1 = 2, W' = ceil((5-3)/1)+1 = 3
    CaffeTesting.assertShape(new int[] {2, 3, 2, 3}, out.get("r"), "rect");
    float[] r = new float[2 * 3 * 2 * 3];
    for (int nc = 0; nc < 6; nc++)
      for (int y = 0; y < 2; y++)
        for (int xx = 0; xx < 3; xx++) {
          float m = Float.NEGATIVE_INFINITY;
          for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) m = Math.max(m, x.floats()[nc * 20 + (2 * y + i) * 5 + xx + j]);
          r[(nc * 2 + y) * 3 + xx] = m;
        }
    CaffeTesting.assertClose(r, out.get("r"), 0f, "rect");
  }

  @Test
  void lrnAcrossAndWithinChannels() throws Exception {
    Tensor x = CaffeTesting.tensor(new int[] {1, 5, 3, 3}, CaffeTesting.data(45, 23));
    var out = new TestNet().input("data", x)
        .layer("layer { name: \"a\" type: \"LRN\" bottom: \"data\" top: \"a\" lrn_param { local_size: 3 alpha: 0.5 beta: 0.75 k: 2 } }")
        .layer("layer { name: \"w\" type: \"LRN\" bottom: \"data\" top: \"w\" lrn_param { local_size: 3 alpha: 0.5 beta: 0.75 k: 2 norm_region: WITHIN_CHANNEL } }")
        .run(dir);
    float[] a = new float[45];
    float[] w = new float[45];
    for (int c = 0; c < 5; c++)
      for (int i = 0; i < 9; i++) {
        double s = 0;
        for (int cc = Math.max(0, c - 1); cc <= Math.min(4, c + 1); cc++) s += Math.pow(x.floats()[cc * 9 + i], 2);
        a[c * 9 + i] = (float) (x.floats()[c * 9 + i] / Math.pow(2 + 0.5 / 3 * s, 0.75));
        int y = i / 3, xx = i % 3;
        double q = 0;
        for (int yy = y - 1; yy <= y + 1; yy++)
          for (int xq = xx - 1; xq <= xx + 1; xq++) if (yy >= 0 && yy < 3 && xq >= 0 && xq < 3) q += Math.pow(x.floats()[c * 9 + yy * 3 + xq], 2);
        // Caffe's WITHIN_CHANNEL: (1 + alpha · mean over the size×size window)^-beta; k is not used.
        w[c * 9 + i] = (float) (x.floats()[c * 9 + i] / Math.pow(1 + 0.5 * q / 9, 0.75));
      }
    CaffeTesting.assertClose(a, out.get("a"), 1e-6f, "across");
    CaffeTesting.assertClose(w, out.get("w"), 1e-6f, "within");
  }

  @Test
  void batchNormDividesByTheScaleFactorAndUsesEps() throws Exception {
    Tensor x = CaffeTesting.tensor(new int[] {2, 3, 2, 2}, CaffeTesting.data(24, 24));
    float[] mean = {0.2f, -0.4f, 1f};
    float[] var = {0.5f, 2f, 0.1f};
    String blobs = TestNet.blob(Tensor.ofFloats(new int[] {3}, mean)) + TestNet.blob(Tensor.ofFloats(new int[] {3}, var));
    var out = new TestNet().input("data", x)
        .layer("layer { name: \"bn\" type: \"BatchNorm\" bottom: \"data\" top: \"bn\" batch_norm_param { eps: 0.001 } " + blobs
            + TestNet.blob(Tensor.ofFloats(new int[] {1}, new float[] {2f})) + " }")
        .layer("layer { name: \"bz\" type: \"BatchNorm\" bottom: \"data\" top: \"bz\" " + blobs + TestNet.blob(Tensor.ofFloats(new int[] {1}, new float[] {0f})) + " }")
        .layer("layer { name: \"bs\" type: \"BatchNorm\" bottom: \"data\" top: \"bs\" batch_norm_param { use_global_stats: false } " + blobs
            + TestNet.blob(Tensor.ofFloats(new int[] {1}, new float[] {1f})) + " }")
        .run(dir);
    float[] bn = new float[24];
    float[] bz = new float[24];
    float[] bs = new float[24];
    for (int c = 0; c < 3; c++) {
      double m = 0;
      double v = 0;
      for (int n = 0; n < 2; n++) for (int i = 0; i < 4; i++) m += x.floats()[(n * 3 + c) * 4 + i] / 8.0;
      for (int n = 0; n < 2; n++) for (int i = 0; i < 4; i++) v += Math.pow(x.floats()[(n * 3 + c) * 4 + i] - m, 2) / 8.0;
      for (int n = 0; n < 2; n++)
        for (int i = 0; i < 4; i++) {
          int k = (n * 3 + c) * 4 + i;
          bn[k] = (float) ((x.floats()[k] - mean[c] / 2) / Math.sqrt(var[c] / 2 + 0.001));
          bz[k] = (float) (x.floats()[k] / Math.sqrt(0 + 1e-5));
          bs[k] = (float) ((x.floats()[k] - m) / Math.sqrt(v + 1e-5));
        }
    }
    CaffeTesting.assertClose(bn, out.get("bn"), 1e-5f, "factor 2, eps 1e-3");
    CaffeTesting.assertClose(bz, out.get("bz"), 1e-3f, "factor 0 (statistics 0), default eps");
    CaffeTesting.assertClose(bs, out.get("bs"), 1e-5f, "batch statistics");
  }

  @Test
  void scaleAndBiasInAllTheirForms() throws Exception {
    Tensor x = CaffeTesting.tensor(new int[] {2, 3, 2, 2}, CaffeTesting.data(24, 25));
    Tensor s3 = CaffeTesting.tensor(new int[] {3}, 0.5f, -1f, 2f);
    Tensor b3 = CaffeTesting.tensor(new int[] {3}, 0.1f, 0.2f, 0.3f);
    Tensor s32 = CaffeTesting.tensor(new int[] {3, 2}, 1f, 2f, 3f, 4f, 5f, 6f);
    Tensor f = CaffeTesting.tensor(new int[] {2, 3}, CaffeTesting.data(6, 26));
    Tensor g3 = CaffeTesting.tensor(new int[] {3}, -2f, 0.5f, 4f);
    var out = new TestNet().input("data", x).input("f", f).input("g", g3)
        .layer("layer { name: \"sg\" type: \"Scale\" bottom: \"data\" bottom: \"g\" top: \"sg\" scale_param { bias_term: true } " + TestNet.blob(b3) + " }")
        .layer("layer { name: \"s\" type: \"Scale\" bottom: \"data\" top: \"s\" scale_param { bias_term: true } " + TestNet.blob(s3) + TestNet.blob(b3) + " }")
        .layer("layer { name: \"s2\" type: \"Scale\" bottom: \"data\" top: \"s2\" scale_param { num_axes: 2 } " + TestNet.blob(s32) + " }")
        .layer("layer { name: \"s0\" type: \"Scale\" bottom: \"data\" top: \"s0\" scale_param { num_axes: 0 bias_term: true } "
            + TestNet.blob(Tensor.ofFloats(new int[0], new float[] {3f})) + TestNet.blob(Tensor.ofFloats(new int[0], new float[] {-1f})) + " }")
        .layer("layer { name: \"sb\" type: \"Scale\" bottom: \"data\" bottom: \"f\" top: \"sb\" scale_param { axis: 0 } }")
        .layer("layer { name: \"b\" type: \"Bias\" bottom: \"data\" top: \"b\" " + TestNet.blob(b3) + " }")
        .layer("layer { name: \"bb\" type: \"Bias\" bottom: \"data\" bottom: \"f\" top: \"bb\" bias_param { axis: 0 } }")
        .run(dir);
    float[] sg = new float[24], s = new float[24], s2 = new float[24], s0 = new float[24], sb = new float[24], b = new float[24], bb = new float[24];
    for (int n = 0; n < 2; n++)
      for (int c = 0; c < 3; c++)
        for (int h = 0; h < 2; h++)
          for (int w = 0; w < 2; w++) {
            int k = ((n * 3 + c) * 2 + h) * 2 + w;
            float v = x.floats()[k];
            s[k] = v * s3.floats()[c] + b3.floats()[c];
            sg[k] = v * g3.floats()[c] + b3.floats()[c];
            s2[k] = v * s32.floats()[c * 2 + h];
            s0[k] = v * 3 - 1;
            sb[k] = v * f.floats()[n * 3 + c];
            b[k] = v + b3.floats()[c];
            bb[k] = v + f.floats()[n * 3 + c];
          }
    CaffeTesting.assertClose(s, out.get("s"), 1e-6f, "scale + bias");
    CaffeTesting.assertClose(sg, out.get("sg"), 1e-6f, "per-channel scale from a bottom, learned bias");
    CaffeTesting.assertClose(s2, out.get("s2"), 1e-6f, "scale num_axes 2");
    CaffeTesting.assertClose(s0, out.get("s0"), 1e-6f, "scalar scale");
    CaffeTesting.assertClose(sb, out.get("sb"), 1e-6f, "scale from bottom");
    CaffeTesting.assertClose(b, out.get("b"), 1e-6f, "bias");
    CaffeTesting.assertClose(bb, out.get("bb"), 1e-6f, "bias from bottom");
  }
}

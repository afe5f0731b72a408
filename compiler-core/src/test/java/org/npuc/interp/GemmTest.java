package org.npuc.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The blocked GEMM and the convolution kernels against naive reference loops on random sizes,
 * including sizes that do not divide the block sizes and both transposes.
 */
class GemmTest {
  private static float[] random(Random r, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) a[i] = r.nextFloat() * 2 - 1;
    return a;
  }

  private static void assertNear(float[] want, float[] got, float tol, String what) {
    assertEquals(want.length, got.length, what);
    for (int i = 0; i < want.length; i++) {
      if (Math.abs(want[i] - got[i]) > tol * (1 + Math.abs(want[i]))) {
        throw new AssertionError(what + ": element " + i + " expected " + want[i] + ", got " + got[i]);
      }
    }
  }

  @Test
  void matchesNaiveOnOddSizes() {
    Random r = new Random(42);
    int[][] sizes = {{1, 1, 1}, {3, 5, 7}, {17, 513, 129}, {130, 67, 257}, {9, 1030, 3}, {64, 1, 300}, {2, 700, 131}};
    for (int[] sz : sizes) {
      int m = sz[0];
      int n = sz[1];
      int k = sz[2];
      for (int variant = 0; variant < 4; variant++) {
        boolean ta = (variant & 1) != 0;
        boolean tb = (variant & 2) != 0;
        float[] a = random(r, m * k);
        float[] b = random(r, k * n);
        float[] want = new float[m * n];
        for (int i = 0; i < m; i++) {
          for (int j = 0; j < n; j++) {
            double s = 0;
            for (int p = 0; p < k; p++) s += (double) (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
            want[i * n + j] = (float) s;
          }
        }
        float[] got = new float[m * n];
        Gemm.multiply(m, n, k, a, 0, ta ? 1 : k, ta ? m : 1, tb ? Gemm.matrix(b, 0, 1, k) : Gemm.matrix(b, 0, n, 1), got, 0, n, false);
        assertNear(want, got, 1e-4f, "gemm " + m + "x" + n + "x" + k + " ta=" + ta + " tb=" + tb);
        if (tb && !ta) {
          float[] dot = new float[m * n];
          Gemm.multiplyTransposedB(m, n, k, a, 0, k, b, 0, k, dot, 0, n, false);
          assertNear(want, dot, 1e-4f, "dot path " + m + "x" + n + "x" + k);
        }
      }
    }
  }

  /** B as one array per row (Winograd's transform-domain products), tails and row blocks of 4 included. */
  @Test
  void rowsPanelProductEqualsDotProductsWithinRounding() {
    Random r = new Random(3);
    int[][] sizes = {{1, 1, 1}, {3, 5, 2}, {4, 16, 7}, {5, 17, 9}, {9, 33, 32}, {64, 121, 32}, {16, 64, 64}, {7, 47, 3}, {4, 31, 0}};
    for (int[] s : sizes) {
      int m = s[0], n = s[1], k = s[2], lda = k + 3, aOff = 2;
      float[] a = new float[aOff + m * lda];
      for (int i = 0; i < a.length; i++) a[i] = r.nextFloat() * 2 - 1;
      float[][] b = new float[k][n];
      for (float[] row : b) for (int j = 0; j < n; j++) row[j] = r.nextFloat() * 2 - 1;
      float[] c = new float[5 + m * n];
      java.util.Arrays.fill(c, Float.NaN);
      Gemm.multiply(m, n, k, a, aOff, lda, 1, Gemm.rows(b), c, 5, n, false);
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          double want = 0;
          double mag = 0;
          for (int kk = 0; kk < k; kk++) {
            want += (double) a[aOff + i * lda + kk] * b[kk][j];
            mag += Math.abs((double) a[aOff + i * lda + kk] * b[kk][j]);
          }
          assertEquals(want, c[5 + i * n + j], 1e-6 * (mag + 1), m + "x" + n + "x" + k + " at " + i + "," + j);
        }
      }
    }
  }

  @Test
  void accumulateAddsToC() {
    float[] c = {1, 1, 1, 1};
    Gemm.multiply(2, 2, 1, new float[] {1, 2}, 0, 1, 1, Gemm.matrix(new float[] {3, 4}, 0, 2, 1), c, 0, 2, true);
    assertNear(new float[] {4, 5, 7, 9}, c, 0, "accumulate");
  }

  /** Direct 7-loop convolution. */
  static float[] naiveConv(float[] x, int[] xs, float[] w, int o, int kh, int kw, float[] bias, ConvKernels.Geometry g, int group, int oh, int ow) {
    int n = xs[0], c = xs[1], h = xs[2], wd = xs[3];
    int cg = c / group, og = o / group;
    float[] out = new float[n * o * oh * ow];
    for (int b = 0; b < n; b++)
      for (int oc = 0; oc < o; oc++)
        for (int y = 0; y < oh; y++)
          for (int xx = 0; xx < ow; xx++) {
            double s = bias == null ? 0 : bias[oc];
            int gi = oc / og;
            for (int ic = 0; ic < cg; ic++)
              for (int ky = 0; ky < kh; ky++)
                for (int kx = 0; kx < kw; kx++) {
                  int iy = y * g.sh() - g.pt() + ky * g.dh();
                  int ix = xx * g.sw() - g.pl() + kx * g.dw();
                  if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
                  s += (double) x[((b * c + gi * cg + ic) * h + iy) * wd + ix] * w[((oc * cg + ic) * kh + ky) * kw + kx];
                }
            out[((b * o + oc) * oh + y) * ow + xx] = (float) s;
          }
    return out;
  }

  @Test
  void convMatchesNaiveOnRandomShapes() {
    Random r = new Random(7);
    for (int trial = 0; trial < 150; trial++) {
      int group = trial % 4 == 0 ? 1 : 1 + r.nextInt(3);
      boolean depthwise = trial % 5 == 1;
      int cg = depthwise ? 1 : 1 + r.nextInt(5);
      int c = depthwise ? 1 + r.nextInt(6) : cg * group;
      if (depthwise) group = c;
      int og = 1 + r.nextInt(depthwise ? 3 : 6);
      int o = og * group;
      int kh = 1 + r.nextInt(4), kw = 1 + r.nextInt(4);
      var g = new ConvKernels.Geometry(kh, kw, 1 + r.nextInt(3), 1 + r.nextInt(3), 1 + r.nextInt(2), 1 + r.nextInt(2),
          r.nextInt(kh), r.nextInt(kw), r.nextInt(kh), r.nextInt(kw));
      int h = (kh - 1) * g.dh() + 1 + r.nextInt(20), w = (kw - 1) * g.dw() + 1 + r.nextInt(40);
      int n = 1 + r.nextInt(2);
      int oh = (h + g.pt() + g.pb() - ((kh - 1) * g.dh() + 1)) / g.sh() + 1;
      int ow = (w + g.pl() + g.pr() - ((kw - 1) * g.dw() + 1)) / g.sw() + 1;
      int[] xs = {n, c, h, w};
      float[] x = random(r, n * c * h * w);
      float[] wt = random(r, o * (c / group) * kh * kw);
      float[] bias = r.nextBoolean() ? random(r, o) : null;
      float[] want = naiveConv(x, xs, wt, o, kh, kw, bias, g, group, oh, ow);
      float[] got = new float[want.length];
      ConvKernels.conv2d(x, xs, wt, o, bias, g, group, got, oh, ow);
      assertNear(want, got, 1e-4f, "conv trial " + trial + " " + g + " group " + group + " c " + c + " o " + o);
    }
  }

  @Test
  void convWithFewPixelsAndManyChannelsMatchesNaive() {
    Random r = new Random(3);
    int[][] cases = {{16, 96, 4, 3, 1}, {33, 70, 5, 3, 1}, {40, 130, 1, 1, 1}, {12, 64, 3, 3, 2}};
    for (int[] cs : cases) {
      int c = cs[0], o = cs[1], hw = cs[2], k = cs[3], group = cs[4];
      int p = k / 2;
      var g = new ConvKernels.Geometry(k, k, 1, 1, 1, 1, p, p, p, p);
      int[] xs = {2, c, hw, hw};
      float[] x = random(r, 2 * c * hw * hw);
      float[] wt = random(r, o * (c / group) * k * k);
      float[] bias = random(r, o);
      float[] want = naiveConv(x, xs, wt, o, k, k, bias, g, group, hw, hw);
      float[] got = new float[want.length];
      ConvKernels.conv2d(x, xs, wt, o, bias, g, group, got, hw, hw);
      assertNear(want, got, 1e-4f, "small-plane conv " + java.util.Arrays.toString(cs));
    }
  }

  @Test
  void deconvMatchesScatterDefinition() {
    Random r = new Random(11);
    for (int trial = 0; trial < 25; trial++) {
      int group = 1 + r.nextInt(2);
      int cg = 1 + r.nextInt(3), og = 1 + r.nextInt(3);
      int c = cg * group, o = og * group;
      int kh = 1 + r.nextInt(4), kw = 1 + r.nextInt(4);
      var g = new ConvKernels.Geometry(kh, kw, 1 + r.nextInt(3), 1 + r.nextInt(3), 1 + r.nextInt(2), 1 + r.nextInt(2),
          r.nextInt(kh), r.nextInt(kw), r.nextInt(kh), r.nextInt(kw));
      int h = 1 + r.nextInt(6), w = 1 + r.nextInt(7), n = 1 + r.nextInt(2);
      int oph = r.nextInt(g.sh()), opw = r.nextInt(g.sw());
      int oh = g.sh() * (h - 1) + oph + (kh - 1) * g.dh() + 1 - g.pt() - g.pb();
      int ow = g.sw() * (w - 1) + opw + (kw - 1) * g.dw() + 1 - g.pl() - g.pr();
      if (oh < 1 || ow < 1) continue;
      float[] x = random(r, n * c * h * w);
      float[] wt = random(r, c * og * kh * kw);
      float[] want = new float[n * o * oh * ow];
      for (int b = 0; b < n; b++)
        for (int ic = 0; ic < c; ic++)
          for (int iy = 0; iy < h; iy++)
            for (int ix = 0; ix < w; ix++)
              for (int k = 0; k < og; k++)
                for (int ky = 0; ky < kh; ky++)
                  for (int kx = 0; kx < kw; kx++) {
                    int y = iy * g.sh() - g.pt() + ky * g.dh();
                    int xx = ix * g.sw() - g.pl() + kx * g.dw();
                    if (y < 0 || y >= oh || xx < 0 || xx >= ow) continue;
                    int oc = (ic / cg) * og + k;
                    want[((b * o + oc) * oh + y) * ow + xx] += x[((b * c + ic) * h + iy) * w + ix] * wt[((ic * og + k) * kh + ky) * kw + kx];
                  }
      float[] got = new float[want.length];
      ConvKernels.deconv2d(x, new int[] {n, c, h, w}, wt, o, null, g, group, got, oh, ow);
      assertNear(want, got, 1e-4f, "deconv trial " + trial + " " + g + " group " + group);
    }
  }
}

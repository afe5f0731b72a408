package org.npuc.backend.ascend;

/**
 * The Ascend-style data layouts, on stored values ({@code int[]}: int8 values or binary16 bits).
 *
 * <p>NC1HWC0 (activations): {@code [N, C, H, W] -> [N, C1, H, W, C0]} with {@code C1 = ceil(C/C0)},
 * the channels split into C1 blocks of C0 (16 for fp16, 32 for int8: 32 bytes per block either way)
 * and the last block zero-padded; that is {@code reshape [N, C1, C0, H, W]} then {@code transpose
 * [0, 1, 3, 4, 2]}.
 *
 * <p>Fractal Z (weights of convolution and fully-connected layers): {@code [O, C, kh, kw] -> [C1,
 * kh, kw, O1, O0, C0]} with {@code O0 = 16} and O, C zero-padded to multiples of O0 and C0. Each
 * innermost {@code O0 x C0} block is one cube-unit fractal; a matmul weight {@code [N, K]} is the
 * same with {@code kh = kw = 1}.
 */
public final class AscendLayouts {
  private AscendLayouts() {}

  /** C0 for an element size: 16 for fp16 (2 bytes), 32 for int8. */
  public static int c0For(boolean int8) {
    return int8 ? 32 : 16;
  }

  public static final int O0 = 16;

  public static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }

  /** Shape of the NC1HWC0 form of an NCHW tensor. */
  public static int[] nc1hwc0Shape(int[] nchw, int c0) {
    return new int[] {nchw[0], ceilDiv(nchw[1], c0), nchw[2], nchw[3], c0};
  }

  /** NCHW to NC1HWC0, padding channels with {@code pad} (0 for int8 zero point 0 and +0.0 in fp16). */
  public static int[] toNc1hwc0(int[] x, int[] nchw, int c0, int pad) {
    int n = nchw[0];
    int c = nchw[1];
    int hw = nchw[2] * nchw[3];
    int c1 = ceilDiv(c, c0);
    int[] out = new int[n * c1 * hw * c0];
    if (pad != 0) java.util.Arrays.fill(out, pad);
    for (int b = 0; b < n; b++) {
      for (int ch = 0; ch < c; ch++) {
        int blk = ch / c0;
        int lane = ch % c0;
        int src = (b * c + ch) * hw;
        int dst = ((b * c1 + blk) * hw) * c0 + lane;
        for (int p = 0; p < hw; p++) out[dst + p * c0] = x[src + p];
      }
    }
    return out;
  }

  /** NC1HWC0 back to NCHW (the padding lanes are dropped): the inverse of {@link #toNc1hwc0}. */
  public static int[] fromNc1hwc0(int[] y, int[] nchw, int c0) {
    int n = nchw[0];
    int c = nchw[1];
    int hw = nchw[2] * nchw[3];
    int c1 = ceilDiv(c, c0);
    if (y.length != n * c1 * hw * c0) throw new IllegalArgumentException("NC1HWC0 data of " + y.length + " values does not match " + java.util.Arrays.toString(nchw) + " with C0=" + c0);
    int[] out = new int[n * c * hw];
    for (int b = 0; b < n; b++) {
      for (int ch = 0; ch < c; ch++) {
        int src = ((b * c1 + ch / c0) * hw) * c0 + ch % c0;
        int dst = (b * c + ch) * hw;
        for (int p = 0; p < hw; p++) out[dst + p] = y[src + p * c0];
      }
    }
    return out;
  }

  /** Index of NCHW element (b, ch, p) with p = y·W + x in the NC1HWC0 array. */
  public static int nc1hwc0Index(int b, int ch, int p, int c, int hw, int c0) {
    int c1 = ceilDiv(c, c0);
    return ((b * c1 + ch / c0) * hw + p) * c0 + ch % c0;
  }

  /** Shape {@code [C1, kh, kw, O1, O0, C0]} of the fractal-Z form of weights {@code [O, C, kh, kw]}. */
  public static int[] fractalZShape(int[] oihw, int c0) {
    return new int[] {ceilDiv(oihw[1], c0), oihw[2], oihw[3], ceilDiv(oihw[0], O0), O0, c0};
  }

  /** Weights {@code [O, C, kh, kw]} to fractal Z, zero-padded. */
  public static int[] toFractalZ(int[] w, int[] oihw, int c0) {
    int o = oihw[0];
    int c = oihw[1];
    int kh = oihw[2];
    int kw = oihw[3];
    int[] s = fractalZShape(oihw, c0);
    int[] out = new int[s[0] * s[1] * s[2] * s[3] * s[4] * s[5]];
    for (int oc = 0; oc < o; oc++) {
      for (int ic = 0; ic < c; ic++) {
        for (int y = 0; y < kh; y++) {
          for (int x = 0; x < kw; x++) out[fractalZIndex(oc, ic, y, x, oihw, c0)] = w[((oc * c + ic) * kh + y) * kw + x];
        }
      }
    }
    return out;
  }

  /** Fractal Z back to {@code [O, C, kh, kw]}: the inverse of {@link #toFractalZ}. */
  public static int[] fromFractalZ(int[] f, int[] oihw, int c0) {
    int o = oihw[0];
    int c = oihw[1];
    int kh = oihw[2];
    int kw = oihw[3];
    int[] s = fractalZShape(oihw, c0);
    if (f.length != s[0] * s[1] * s[2] * s[3] * s[4] * s[5]) throw new IllegalArgumentException("fractal Z data of " + f.length + " values does not match " + java.util.Arrays.toString(oihw));
    int[] out = new int[o * c * kh * kw];
    for (int oc = 0; oc < o; oc++) {
      for (int ic = 0; ic < c; ic++) {
        for (int y = 0; y < kh; y++) {
          for (int x = 0; x < kw; x++) out[((oc * c + ic) * kh + y) * kw + x] = f[fractalZIndex(oc, ic, y, x, oihw, c0)];
        }
      }
    }
    return out;
  }

  /** Position of weight (oc, ic, y, x) in the fractal-Z array. */
  public static int fractalZIndex(int oc, int ic, int y, int x, int[] oihw, int c0) {
    int kh = oihw[2];
    int kw = oihw[3];
    int o1 = ceilDiv(oihw[0], O0);
    int c1 = ic / c0;
    return ((((c1 * kh + y) * kw + x) * o1 + oc / O0) * O0 + oc % O0) * c0 + ic % c0;
  }
}

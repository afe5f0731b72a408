package org.npuc.interp;

/**
 * Max and average pooling over NCHW planes. Window bounds are precomputed once per output row and
 * column; windows are clipped to the real input for max and for the default average, and to the
 * padded extent {@code [-pt, H+pb)} for the count-include-pad divisor (Caffe's AVE rule).
 */
public final class PoolKernels {
  private PoolKernels() {}

  /** From this many window elements a pooling splits its planes over the common pool. */
  static final long PARALLEL_WORK = 1L << 15;

  /**
   * Pools {@code planes} planes of {@code h×w} from {@code x} into {@code oh×ow} planes of
   * {@code out}; {@code g} gives kernel, strides and pads (dilations are ignored).
   */
  public static void pool(
      boolean max, boolean countIncludePad, float[] x, int planes, int h, int w, ConvKernels.Geometry g, float[] out, int oh, int ow) {
    int[] ys = new int[oh];
    int[] ye = new int[oh];
    int[] yn = new int[oh];
    bounds(oh, g.sh(), g.pt(), g.kh(), h, g.pb(), ys, ye, yn);
    int[] xs = new int[ow];
    int[] xe = new int[ow];
    int[] xn = new int[ow];
    bounds(ow, g.sw(), g.pl(), g.kw(), w, g.pr(), xs, xe, xn);
    // Pooling is memory-bound and cheap per element, so it pays to split from a lower size than a
    // product does (det3's 32×46×46 pool: 150 K window elements, 58 µs on one thread).
    boolean parallel = (long) planes * oh * ow * g.kh() * g.kw() >= PARALLEL_WORK;
    if (max) {
      if (Simd.enabled() && w < FLAT_MAX_WIDTH && ow >= 8 && g.kh() > 0 && g.kw() > 0 && g.sh() > 0 && g.sw() > 0) {
        Parallel.forRange(planes, parallel, p -> maxPlaneFlat(x, p * h * w, h, w, g, out, p * oh * ow, oh, ow));
        return;
      }
      if (Simd.enabled() && ow >= 8 && g.kw() > 0 && g.sw() > 0) {
        Parallel.forRange(planes, parallel, p -> maxPlaneVector(x, p * h * w, w, ys, ye, g.kw(), g.sw(), g.pl(), out, p * oh * ow, oh, ow));
        return;
      }
      if (ow >= 16 && g.kw() > 0 && g.sw() > 0) {
        Parallel.forRange(planes, parallel, p -> maxPlane(x, p * h * w, w, ys, ye, g.kw(), g.sw(), g.pl(), out, p * oh * ow, oh, ow));
        return;
      }
      Parallel.forRange(planes, parallel, p -> maxPlaneShort(x, p * h * w, w, ys, ye, xs, xe, out, p * oh * ow, oh, ow));
      return;
    }
    Parallel.forRange(planes, parallel,
        p -> {
          int src = p * h * w;
          int dst = p * oh * ow;
          for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++) {
              float r;
              if (max) {
                r = Float.NEGATIVE_INFINITY;
                for (int iy = ys[oy]; iy < ye[oy]; iy++) {
                  int row = src + iy * w;
                  for (int ix = xs[ox]; ix < xe[ox]; ix++) r = Math.max(r, x[row + ix]);
                }
              } else {
                float s = 0;
                for (int iy = ys[oy]; iy < ye[oy]; iy++) {
                  int row = src + iy * w;
                  for (int ix = xs[ox]; ix < xe[ox]; ix++) s += x[row + ix];
                }
                int count = countIncludePad ? yn[oy] * xn[ox] : (ye[oy] - ys[oy]) * (xe[ox] - xs[ox]);
                r = count > 0 ? s / count : 0f;
              }
              out[dst + oy * ow + ox] = r;
            }
          }
        });
  }

  /**
   * Max pooling of one plane, separably: the window's rows are first reduced into one zero-based
   * row (a loop C2 vectorizes), which is laid into a row padded with -∞ and split by stride phase
   * (phase sx holds padded columns sx, sx+sw, ...); then tap kx of every output is the same run of
   * its phase, so each tap is one vectorized max over a copied run. Positions outside the input are
   * -∞ and max does not depend on the order, so this gives the same floats as the direct window loop
   * (an empty window gives -∞ either way).
   */
  private static void maxPlane(
      float[] x, int src, int w, int[] ys, int[] ye, int kw, int sw, int pl, float[] out, int dst, int oh, int ow) {
    int wq = (ow - 1) + (kw - 1) / sw + 1; // phase width: every padded column a tap reads
    float[] rowMax = scratch(0, w);
    float[] row = scratch(1, w);
    float[] phases = scratch(2, sw * wq);
    float[] tap = scratch(3, ow);
    float[] acc = scratch(4, ow);
    // Phase sx, column q reads input column ix = sx + q·sw - pl; the -∞ columns never change.
    int[] qLo = new int[sw];
    int[] qHi = new int[sw];
    for (int sx = 0; sx < sw; sx++) {
      int ix0 = sx - pl;
      qLo[sx] = Math.min(wq, ix0 >= 0 ? 0 : (-ix0 + sw - 1) / sw);
      qHi[sx] = Math.max(qLo[sx], Math.min(wq, w - ix0 <= 0 ? 0 : (w - ix0 - 1) / sw + 1));
    }
    java.util.Arrays.fill(phases, 0, sw * wq, Float.NEGATIVE_INFINITY);
    for (int oy = 0; oy < oh; oy++) {
      reduceRows(x, src, w, ys[oy], ye[oy], rowMax, row);
      for (int sx = 0; sx < sw; sx++) {
        int base = sx * wq;
        if (sw == 1) {
          System.arraycopy(rowMax, qLo[0] - pl, phases, qLo[0], qHi[0] - qLo[0]);
        } else {
          for (int q = qLo[sx], ix = sx + q * sw - pl; q < qHi[sx]; q++, ix += sw) phases[base + q] = rowMax[ix];
        }
      }
      for (int kx = 0; kx < kw; kx++) {
        int off = (kx % sw) * wq + kx / sw;
        if (kx == 0) {
          System.arraycopy(phases, off, acc, 0, ow);
        } else if (Simd.enabled()) {
          VectorOps.maxInto(acc, 0, phases, off, ow);
        } else {
          System.arraycopy(phases, off, tap, 0, ow);
          maxInto(acc, tap, ow);
        }
      }
      System.arraycopy(acc, 0, out, dst + oy * ow, ow);
    }
  }

  /** Below this input width (and from 8 outputs a row) {@link #maxPlaneFlat} beats the row-wise kernels: vector tails dominate short rows. */
  static final int FLAT_MAX_WIDTH = 64;

  /**
   * Max pooling of one small plane on the Vector API as three flat passes with no per-row tails:
   * the plane is copied into a buffer padded with -∞ to every window's extent ({@code hp×wp}),
   * the vertical window max is taken at every padded row start (one run over the whole buffer per
   * tap row), then the horizontal one at every position (runs that cross a row end only give
   * values no window picks), and each output picks its window's corner. Max does not depend on
   * the order and -∞ never wins over a real element, so these are the direct loop's floats.
   */
  private static void maxPlaneFlat(float[] x, int src, int h, int w, ConvKernels.Geometry g, float[] out, int dst, int oh, int ow) {
    int hp = (oh - 1) * g.sh() + g.kh();
    int wp = (ow - 1) * g.sw() + g.kw();
    float[] pad = scratch(0, hp * wp);
    java.util.Arrays.fill(pad, 0, hp * wp, Float.NEGATIVE_INFINITY);
    PaddedPlane.copy(x, src, h, w, g.pt(), g.pl(), pad, hp, wp);
    int vLen = (hp - g.kh() + 1) * wp; // rows where a window may start
    float[] vert = scratch(1, vLen);
    System.arraycopy(pad, 0, vert, 0, vLen);
    for (int ky = 1; ky < g.kh(); ky++) VectorOps.maxInto(vert, 0, pad, ky * wp, vLen);
    int hLen = vLen - g.kw() + 1;
    float[] both = scratch(2, hLen);
    System.arraycopy(vert, 0, both, 0, hLen);
    for (int kx = 1; kx < g.kw(); kx++) VectorOps.maxInto(both, 0, vert, kx, hLen);
    for (int oy = 0; oy < oh; oy++) {
      int row = oy * g.sh() * wp;
      int o = dst + oy * ow;
      if (g.sw() == 1) {
        System.arraycopy(both, row, out, o, ow);
      } else {
        for (int ox = 0, j = row; ox < ow; ox++, j += g.sw()) out[o + ox] = both[j];
      }
    }
  }

  /**
   * Max pooling of one plane on the Vector API, for any window and stride: each output row's input
   * rows are reduced by vector max into a row padded with -∞ (pads, and columns past the input, so
   * clipped windows need no bounds), then the horizontal window max is taken at every padded
   * position by kw - 1 vector maxes over shifted reads of that row, and the outputs are every
   * sw-th of those. Max does not depend on the order, so these are the direct loop's floats.
   */
  private static void maxPlaneVector(
      float[] x, int src, int w, int[] ys, int[] ye, int kw, int sw, int pl, float[] out, int dst, int oh, int ow) {
    int len = (ow - 1) * sw + kw; // padded positions any window reads
    int span = (ow - 1) * sw + 1; // window starts
    int cols = Math.max(0, Math.min(w, len - pl)); // input columns any window reads
    float[] prow = scratch(0, len);
    float[] acc = scratch(1, span);
    java.util.Arrays.fill(prow, 0, len, Float.NEGATIVE_INFINITY);
    for (int oy = 0; oy < oh; oy++) {
      if (ye[oy] <= ys[oy]) {
        java.util.Arrays.fill(prow, pl, pl + cols, Float.NEGATIVE_INFINITY);
      } else {
        System.arraycopy(x, src + ys[oy] * w, prow, pl, cols);
        for (int iy = ys[oy] + 1; iy < ye[oy]; iy++) VectorOps.maxInto(prow, pl, x, src + iy * w, cols);
      }
      System.arraycopy(prow, 0, acc, 0, span);
      for (int kx = 1; kx < kw; kx++) VectorOps.maxInto(acc, 0, prow, kx, span);
      int o = dst + oy * ow;
      if (sw == 1) {
        System.arraycopy(acc, 0, out, o, ow);
      } else {
        for (int ox = 0; ox < ow; ox++) out[o + ox] = acc[ox * sw];
      }
    }
  }

  /** {@code rowMax[0..w)} = the column-wise maximum of input rows {@code [from, to)} (-∞ if none). */
  private static void reduceRows(float[] x, int src, int w, int from, int to, float[] rowMax, float[] row) {
    if (to <= from) {
      java.util.Arrays.fill(rowMax, 0, w, Float.NEGATIVE_INFINITY);
      return;
    }
    System.arraycopy(x, src + from * w, rowMax, 0, w);
    for (int iy = from + 1; iy < to; iy++) {
      if (Simd.enabled()) {
        VectorOps.maxInto(rowMax, 0, x, src + iy * w, w); // vectors read at any offset: no copy
        continue;
      }
      System.arraycopy(x, src + iy * w, row, 0, w);
      maxInto(rowMax, row, w);
    }
  }

  /**
   * Max pooling of one plane with short output rows, where the per-tap runs of {@link #maxPlane}
   * cost more than they save: the rows are reduced the same way, then each output takes the
   * maximum of its window's columns.
   */
  private static void maxPlaneShort(float[] x, int src, int w, int[] ys, int[] ye, int[] xs, int[] xe, float[] out, int dst, int oh, int ow) {
    float[] rowMax = scratch(0, w);
    float[] row = scratch(1, w);
    for (int oy = 0; oy < oh; oy++) {
      reduceRows(x, src, w, ys[oy], ye[oy], rowMax, row);
      int o = dst + oy * ow;
      for (int ox = 0; ox < ow; ox++) {
        float r = Float.NEGATIVE_INFINITY;
        for (int ix = xs[ox]; ix < xe[ox]; ix++) r = Math.max(r, rowMax[ix]);
        out[o + ox] = r;
      }
    }
  }

  /** Per-thread scratch rows of {@link #maxPlane} (no garbage per plane). */
  private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[5][0]);

  private static float[] scratch(int slot, int size) {
    float[][] s = SCRATCH.get();
    if (s[slot].length < size) s[slot] = new float[size];
    return s[slot];
  }

  private static void maxInto(float[] acc, float[] v, int n) {
    if (Simd.enabled()) {
      VectorOps.maxInto(acc, 0, v, 0, n);
      return;
    }
    for (int i = 0; i < n; i++) acc[i] = Math.max(acc[i], v[i]);
  }

  /**
   * For each output index: the window's real range {@code [start, end)} clipped to {@code [0, in)}
   * and its length within the padded extent {@code [-padBegin, in + padEnd)}.
   */
  private static void bounds(int outN, int stride, int padBegin, int k, int in, int padEnd, int[] s, int[] e, int[] padded) {
    for (int o = 0; o < outN; o++) {
      int start = o * stride - padBegin;
      int end = Math.min(start + k, in + padEnd);
      padded[o] = end - start;
      s[o] = Math.max(start, 0);
      e[o] = Math.min(end, in);
    }
  }
}

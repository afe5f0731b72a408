package org.npuc.quant.kernels;

import java.util.Arrays;
import org.npuc.interp.Parallel;

/**
 * The int32 accumulators of the integer convolution, {@code Σ (x - x_zp)·(w - w_zp)} over the
 * in-bounds taps, computed fast: an int GEMM over im2col tiles for ordinary and grouped convolution,
 * and per-tap whole-plane axpys over a zero-padded, stride-phase-split plane for depthwise.
 *
 * <p>Both work on operands already centered by their zero points, so a padded position is a 0 and
 * adds nothing, exactly as the reference loop skips it, and the inner loops are pure int
 * multiply-adds over zero-based arrays, which HotSpot C2 vectorizes (it does not when two int arrays
 * are indexed from different offsets, so taps and im2col rows are copied to scratch rows first).
 * Int32 addition wraps modulo 2^32 in any order, so any summation order gives the reference's bits.
 */
final class IntConv {
  private IntConv() {}

  /** Layers with fewer multiply-adds than this stay on the calling thread. */
  static final long PARALLEL_WORK = 1L << 20;

  /** Output channels per GEMM task: the im2col tile is rebuilt once per chunk. */
  private static final int OC_CHUNK = 64;

  /** Target im2col tile size in ints (K rows × tile columns), to stay within L2. */
  private static final int TILE_INTS = 1 << 16;

  /** The geometry of one conv2d: input NCHW, weights [oc, icg, kh, kw], output [n, oc, oh, ow]. */
  record Shape(int n, int c, int h, int w, int oc, int icg, int kh, int kw, int sh, int sw, int dh, int dw, int pt, int pl, int oh, int ow, int group) {
    long work() {
      return (long) n * oc * oh * ow * icg * kh * kw;
    }
  }

  /** Per-thread scratch: [0] accumulator row, [1] tap row, [2] phase planes, [3] wide accumulator. */
  private static final ThreadLocal<int[][]> ROWS = ThreadLocal.withInitial(() -> new int[4][0]);

  /** Per-thread im2col rows. */
  private static final ThreadLocal<int[][]> COL = ThreadLocal.withInitial(() -> new int[0][0]);

  private static int[] scratch(int slot, int size) {
    int[][] s = ROWS.get();
    if (s[slot].length < size) s[slot] = new int[size];
    return s[slot];
  }

  private static int[][] colRows(int k, int t) {
    int[][] c = COL.get();
    if (c.length < k) {
      c = Arrays.copyOf(c, k);
      COL.set(c);
    }
    for (int i = 0; i < k; i++) if (c[i] == null || c[i].length < t) c[i] = new int[t];
    return c;
  }

  /**
   * The accumulators [n, oc, oh·ow] of centered input {@code xc} (NCHW) and centered weights
   * {@code wc} ([oc, icg, kh, kw]), bias not included.
   */
  static int[] accumulate(int[] xc, int[] wc, Shape s) {
    int plane = s.oh * s.ow;
    int[] out = new int[s.n * s.oc * plane];
    if (plane == 0 || s.oc == 0) return out;
    boolean parallel = s.work() >= PARALLEL_WORK;
    if (s.icg == 1 && s.pt >= 0 && s.pl >= 0) {
      Parallel.forRange(s.n * s.oc, parallel, t -> depthwiseChannel(xc, wc, s, t / s.oc, t % s.oc, out));
      return out;
    }
    int kdim = s.icg * s.kh * s.kw;
    int tile = Math.min(plane, Math.max(64, TILE_INTS / kdim));
    int tiles = (plane + tile - 1) / tile;
    int ocg = s.oc / s.group;
    int chunks = (ocg + OC_CHUNK - 1) / OC_CHUNK;
    int perImage = s.group * tiles * chunks;
    Parallel.forRange(
        s.n * perImage,
        parallel,
            task -> {
              int bn = task / perImage;
              int rest = task % perImage;
              int g = rest / (tiles * chunks);
              int p0 = (rest / chunks) % tiles * tile;
              int o0 = rest % chunks * OC_CHUNK;
              gemmTile(xc, wc, s, bn, g, p0, Math.min(tile, plane - p0), o0, Math.min(ocg, o0 + OC_CHUNK), out);
            });
    return out;
  }

  /** Output channels [o0, o1) of group g, output positions [p0, p0 + t): im2col tile, then rows of the GEMM. */
  private static void gemmTile(int[] xc, int[] wc, Shape s, int bn, int g, int p0, int t, int o0, int o1, int[] out) {
    int kdim = s.icg * s.kh * s.kw;
    int[][] col = colRows(kdim, t);
    im2col(xc, s, bn, g, p0, t, col);
    int[] acc = scratch(0, t);
    int ocg = s.oc / s.group;
    int plane = s.oh * s.ow;
    for (int o = o0; o < o1; o++) {
      int oc = g * ocg + o;
      Arrays.fill(acc, 0, t, 0);
      int wo = oc * kdim;
      int k = 0;
      for (; k + 3 < kdim; k += 4) {
        int a0 = wc[wo + k];
        int a1 = wc[wo + k + 1];
        int a2 = wc[wo + k + 2];
        int a3 = wc[wo + k + 3];
        if ((a0 | a1 | a2 | a3) != 0) axpy4(acc, t, a0, col[k], a1, col[k + 1], a2, col[k + 2], a3, col[k + 3]);
      }
      for (; k < kdim; k++) {
        int a0 = wc[wo + k];
        if (a0 != 0) axpy(acc, t, a0, col[k]);
      }
      System.arraycopy(acc, 0, out, (bn * s.oc + oc) * plane + p0, t);
    }
  }

  /** {@code acc[j] += a0·b0[j] + a1·b1[j] + a2·b2[j] + a3·b3[j]}: tiny and zero-based so C2 vectorizes it. */
  static void axpy4(int[] acc, int n, int a0, int[] b0, int a1, int[] b1, int a2, int[] b2, int a3, int[] b3) {
    for (int j = 0; j < n; j++) acc[j] += a0 * b0[j] + a1 * b1[j] + a2 * b2[j] + a3 * b3[j];
  }

  /** {@code acc[j] += a0·b0[j]}. */
  static void axpy(int[] acc, int n, int a0, int[] b0) {
    for (int j = 0; j < n; j++) acc[j] += a0 * b0[j];
  }

  /**
   * Row k = (ic, ky, kx) of the im2col matrix of group g, columns [p0, p0 + t): the centered input
   * each output position reads through tap (ky, kx), 0 where that falls in the padding.
   */
  static void im2col(int[] xc, Shape s, int bn, int g, int p0, int t, int[][] col) {
    int hw = s.h * s.w;
    for (int ic = 0; ic < s.icg; ic++) {
      int xBase = (bn * s.c + g * s.icg + ic) * hw;
      for (int ky = 0; ky < s.kh; ky++) {
        int offY = ky * s.dh - s.pt;
        for (int kx = 0; kx < s.kw; kx++) {
          int[] row = col[(ic * s.kh + ky) * s.kw + kx];
          int offX = kx * s.dw - s.pl;
          if (s.kh == 1 && s.kw == 1 && s.sh == 1 && s.sw == 1 && offY == 0 && offX == 0 && s.ow == s.w && s.oh == s.h) {
            System.arraycopy(xc, xBase + p0, row, 0, t); // 1x1, stride 1, unpadded: the plane itself
            continue;
          }
          // Output columns whose input column ox·sw + offX lies in [0, w).
          int oxLo = offX >= 0 ? 0 : (-offX + s.sw - 1) / s.sw;
          int oxHi = s.w - offX <= 0 ? 0 : Math.min(s.ow, (s.w - offX - 1) / s.sw + 1);
          int end = p0 + t;
          for (int p = p0; p < end; ) {
            int oy = p / s.ow;
            int ox = p - oy * s.ow;
            int oxEnd = Math.min(s.ow, ox + (end - p));
            int dst = p - p0;
            int iy = oy * s.sh + offY;
            if (iy < 0 || iy >= s.h || oxLo >= oxHi) {
              Arrays.fill(row, dst, dst + oxEnd - ox, 0);
            } else {
              int a = Math.min(Math.max(oxLo, ox), oxEnd);
              int b = Math.min(Math.max(oxHi, a), oxEnd);
              Arrays.fill(row, dst, dst + a - ox, 0);
              int src = xBase + iy * s.w + offX;
              if (s.sw == 1) {
                System.arraycopy(xc, src + a, row, dst + a - ox, b - a);
              } else {
                for (int q = a; q < b; q++) row[dst + q - ox] = xc[src + q * s.sw];
              }
              Arrays.fill(row, dst + b - ox, dst + oxEnd - ox, 0);
            }
            p += oxEnd - ox;
          }
        }
      }
    }
  }

  /**
   * One depthwise output channel: input channel oc / (oc per group) copied once into a zero-padded
   * plane split into stride phases (phase (sy, sx) holds padded rows sy, sy+sh, ... and columns sx,
   * sx+sw, ...), where tap (ky, kx) of every output is one constant offset away. The output is
   * accumulated "wide" (rows of the phase width), one zero-based axpy per tap.
   */
  private static void depthwiseChannel(int[] xc, int[] wc, Shape s, int bn, int oc, int[] out) {
    int ocg = s.oc / s.group;
    int ic = oc / ocg;
    int src = (bn * s.c + ic) * s.h * s.w;
    int sh = s.sh;
    int sw = s.sw;
    int wq = (s.ow - 1) + ((s.kw - 1) * s.dw) / sw + 1; // phase width: every column a tap reads
    int hq = (s.oh - 1) + ((s.kh - 1) * s.dh) / sh + 1;
    int qSize = hq * wq;
    int phases = sh * sw;
    int[] q = scratch(2, phases * qSize);
    Arrays.fill(q, 0, phases * qSize, 0);
    // Scatter: padded (py, px) = (iy + pt, ix + pl) goes to phase (py % sh, px % sw), (py / sh, px / sw).
    for (int iy = 0; iy < s.h; iy++) {
      int py = iy + s.pt;
      int r = py / sh;
      if (r >= hq) break;
      int rowIn = src + iy * s.w;
      int phaseRow = (py % sh) * sw * qSize + r * wq;
      if (sw == 1) {
        int n = Math.min(s.w, wq - s.pl);
        if (n > 0) System.arraycopy(xc, rowIn, q, phaseRow + s.pl, n);
      } else {
        for (int ix = 0; ix < s.w; ix++) {
          int px = ix + s.pl;
          int col = px / sw;
          if (col < wq) q[phaseRow + (px % sw) * qSize + col] = xc[rowIn + ix];
        }
      }
    }
    int wide = s.oh * wq;
    int[] acc = scratch(3, wide);
    int[] tap = scratch(1, wide);
    Arrays.fill(acc, 0, wide, 0);
    int wOff = oc * s.kh * s.kw;
    for (int ky = 0; ky < s.kh; ky++) {
      int ty = ky * s.dh;
      for (int kx = 0; kx < s.kw; kx++) {
        int wv = wc[wOff + ky * s.kw + kx];
        if (wv == 0) continue;
        int tx = kx * s.dw;
        int phase = (ty % sh) * sw + tx % sw;
        int off = phase * qSize + (ty / sh) * wq + tx / sw;
        int len = Math.min(wide, phase * qSize + qSize - off);
        System.arraycopy(q, off, tap, 0, len);
        if (len < wide) Arrays.fill(tap, len, wide, 0);
        axpy(acc, wide, wv, tap);
      }
    }
    int dst = (bn * s.oc + oc) * s.oh * s.ow;
    for (int oy = 0; oy < s.oh; oy++) System.arraycopy(acc, oy * wq, out, dst + oy * s.ow, s.ow);
  }
}

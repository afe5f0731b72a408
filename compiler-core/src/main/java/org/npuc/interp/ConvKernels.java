package org.npuc.interp;

/**
 * Float convolution kernels in NCHW: {@link #conv2d} through {@link Gemm} with the im2col done
 * panel by panel (never materializing the whole column matrix), a direct loop for depthwise
 * convolution, and {@link #deconv2d} as a product followed by col2im scatter-adds.
 */
public final class ConvKernels {
  private ConvKernels() {}

  /** Geometry of one 2-D window op; pads are [top, left, bottom, right]. */
  public record Geometry(int kh, int kw, int sh, int sw, int dh, int dw, int pt, int pl, int pb, int pr) {}

  /**
   * {@code out[N,O,OH,OW]} = conv of {@code x[N,C,H,W]} with {@code w[O,C/group,kh,kw]}; bias may
   * be null. The caller applies any activation.
   */
  public static void conv2d(float[] x, int[] xs, float[] w, int o, float[] bias, Geometry g, int group, float[] out, int oh, int ow) {
    conv2d(x, xs, w, o, bias, g, group, out, oh, ow, false, null);
  }

  /**
   * {@link #conv2d} that also applies {@code act} (null for none) to the output, fused into the
   * kernels' stores; {@code constantWeights} says that {@code w} is never modified, so its packing
   * for small output planes may be cached ({@link PackedMatrix#ofConstant}).
   */
  public static void conv2d(
      float[] x, int[] xs, float[] w, int o, float[] bias, Geometry g, int group, float[] out, int oh, int ow, boolean constantWeights,
      Gemm.Epilogue act) {
    int n = xs[0];
    int c = xs[1];
    int h = xs[2];
    int wd = xs[3];
    int cg = c / group;
    int og = o / group;
    // One input channel is also "depthwise" (multiplier o); on the Vector API its GEMM (k = kh·kw
    // rows, o tile rows) is faster than o separate tap-plane passes.
    if (cg == 1 && group == c && !(c == 1 && Simd.enabled())) {
      depthwise(x, n, c, h, wd, w, o / c, bias, g, out, oh, ow, act);
      return;
    }
    int kk = g.kh * g.kw;
    int kdim = cg * kk;
    int plane = oh * ow;
    boolean pointwise = g.kh == 1 && g.kw == 1 && g.sh == 1 && g.sw == 1 && g.pt == 0 && g.pl == 0 && g.pb == 0 && g.pr == 0;
    boolean winograd = WinogradConv.applies(g, group, c, constantWeights, oh, ow);
    for (int b = 0; b < n; b++) {
      if (winograd && WinogradConv.run(x, b, c, h, wd, w, o, bias, g, out, oh, ow, act)) continue;
      for (int gi = 0; gi < group; gi++) {
        int xOff = (b * c + gi * cg) * h * wd;
        Gemm.Panel panel =
            pointwise ? Gemm.matrix(x, xOff, h * wd, 1) : g.sw > 1 ? StridedIm2col.of(x, xOff, cg, h, wd, g, oh, ow) : im2col(x, xOff, h, wd, g, oh, ow);
        int outOff = (b * o + gi * og) * plane;
        float[] gBias = bias == null || group == 1 ? bias : java.util.Arrays.copyOfRange(bias, gi * og, gi * og + og);
        if (!pointwise && ShiftedRowsConv.applies(g, wd, ow)) {
          ShiftedRowsConv.run(x, xOff, cg, h, wd, w, gi * og * kdim, og, g, out, outOff, oh, ow, gBias, act);
        } else if (og >= 2 * plane && plane < (Simd.enabled() ? 16 : 128)) {
          // (The vector GEMM runs planes of a vector or more at full width itself.)
          smallPlane(panel, w, gi * og * kdim, og, kdim, plane, out, outOff, constantWeights, gBias, act);
        } else {
          Gemm.multiply(og, plane, kdim, w, gi * og * kdim, kdim, 1, panel, out, outOff, plane, false, gBias, act);
        }
      }
    }
  }

  /**
   * Few output pixels, many channels (the last stages of a CNN): the product is computed
   * transposed, pixels × channels, so that the long channel dimension is the vectorized inner
   * loop, then transposed back into {@code out[og, plane]}.
   */
  private static void smallPlane(
      Gemm.Panel panel, float[] w, int wOff, int og, int kdim, int plane, float[] out, int outOff, boolean constantWeights, float[] bias,
      Gemm.Epilogue act) {
    float[] col = new float[kdim * plane];
    panel.pack(col, 0, kdim, 0, plane);
    float[] ct = new float[plane * og];
    if (constantWeights) {
      // The transposed weights W^T (kdim × og) are packed once per constant, not gathered per run.
      PackedMatrix.ofConstant(w, wOff, 1, kdim, kdim, og).multiply(plane, col, 0, 1, plane, ct, 0, og, null, null);
    } else {
      Gemm.multiply(plane, og, kdim, col, 0, 1, plane, Gemm.matrix(w, wOff, 1, kdim), ct, 0, og, false);
    }
    float[] row = new float[plane];
    for (int oc = 0; oc < og; oc++) {
      for (int p = 0; p < plane; p++) row[p] = ct[p * og + oc];
      if (bias != null) Gemm.addScalar(row, plane, bias[oc]);
      if (act != null) act.apply(row, 0, plane);
      System.arraycopy(row, 0, out, outOff + oc * plane, plane);
    }
  }

  /** A panel source reading B(k, p) = x[c, oy·sh - pt + ky·dh, ox·sw - pl + kx·dw] with k = (c, ky, kx), p = (oy, ox). */
  static Gemm.Panel im2col(float[] x, int xOff, int h, int w, Geometry g, int oh, int ow) {
    return (dst, k0, kc, n0, nc) -> {
      int kk = g.kh * g.kw;
      for (int k = 0; k < kc; k++) {
        int kIdx = k0 + k;
        int ch = kIdx / kk;
        int ky = (kIdx % kk) / g.kw;
        int kx = kIdx % g.kw;
        int src = xOff + ch * h * w;
        int ixBase = kx * g.dw - g.pl;
        // Output columns whose input column ox·sw + ixBase lies inside [0, w).
        int oxLo = ixBase >= 0 ? 0 : (-ixBase + g.sw - 1) / g.sw;
        int oxHi = w - ixBase <= 0 ? 0 : Math.min(ow, (w - ixBase - 1) / g.sw + 1);
        gatherRow(dst, k * nc, n0, nc, ow, ky * g.dh - g.pt, g.sh, h, x, src + ixBase, w, g.sw, oxLo, oxHi);
      }
    };
  }

  /**
   * One row of an im2col panel: {@code dst[d + i]} for the output positions p = n0 + i (i < nc,
   * p = oy·ow + ox) is {@code src[base + iy·rowStride + ox·step]} with iy = oy·sh + iyOff, or 0
   * where iy is outside [0, h) or ox outside [oxLo, oxHi). Each output row's run is filled with at
   * most one copy (step 1) or one strided loop.
   */
  static void gatherRow(
      float[] dst, int d, int n0, int nc, int ow, int iyOff, int sh, int h, float[] src, int base, int rowStride, int step, int oxLo, int oxHi) {
    int p = n0;
    int pEnd = n0 + nc;
    while (p < pEnd) {
      int oy = p / ow;
      int ox0 = p - oy * ow;
      int run = Math.min(ow - ox0, pEnd - p);
      int iy = oy * sh + iyOff;
      if (iy < 0 || iy >= h) {
        java.util.Arrays.fill(dst, d, d + run, 0f);
      } else {
        int row = base + iy * rowStride;
        int lo = Math.min(Math.max(oxLo, ox0), ox0 + run);
        int hi = Math.max(Math.min(oxHi, ox0 + run), lo);
        java.util.Arrays.fill(dst, d, d + lo - ox0, 0f);
        if (step == 1) {
          System.arraycopy(src, row + lo, dst, d + lo - ox0, hi - lo);
        } else {
          for (int ox = lo; ox < hi; ox++) dst[d + ox - ox0] = src[row + ox * step];
        }
        java.util.Arrays.fill(dst, d + hi - ox0, d + run, 0f);
      }
      d += run;
      p += run;
    }
  }

  /** From this much work (taps plus input elements) a depthwise layer splits its channels over the cores. */
  static final long DEPTHWISE_PARALLEL_WORK = 1L << 17;

  /** Per-thread scratch of the depthwise kernel: output row, tap row, padded plane, phase planes, wide output, tap plane. */
  private static final ThreadLocal<float[][]> DW_ROWS = ThreadLocal.withInitial(() -> new float[5][0]);

  /**
   * Depthwise: output channel oc reads input channel oc / multiplier with its own kh×kw filter.
   * Undilated filters take the plane path ({@link #depthwisePlane}); dilated ones, and channels
   * with a non-finite weight, the row path ({@link #depthwiseRows}). Both add the taps in (ky, kx)
   * order onto the bias, as a direct loop would, so they give the same floats.
   */
  static void depthwise(float[] x, int n, int c, int h, int w, float[] wt, int mult, float[] bias, Geometry g, float[] out, int oh, int ow) {
    depthwise(x, n, c, h, w, wt, mult, bias, g, out, oh, ow, null);
  }

  static void depthwise(
      float[] x, int n, int c, int h, int w, float[] wt, int mult, float[] bias, Geometry g, float[] out, int oh, int ow, Gemm.Epilogue act) {
    int o = c * mult;
    int plane = oh * ow;
    // With vectors the plane path wins down to 14×14 planes (measured on MobileNet v2); below
    // that its per-channel setup dominates and channels-last stays ahead.
    if (DepthwiseChannelsLast.applies(c, mult, plane, wt) && (!Simd.enabled() || plane <= 64)) {
      DepthwiseChannelsLast.run(x, n, c, h, w, wt, bias, g, out, oh, ow, act);
      return;
    }
    // A channel costs its taps and the copy of its input plane: stride-2 layers are mostly the
    // copy, and counted by taps alone MobileNet v2's 144×56×56 one stayed on one core.
    Parallel.forRange(n * o, (long) n * o * (plane * g.kh * g.kw + h * w) >= DEPTHWISE_PARALLEL_WORK,
        t -> {
          int b = t / o;
          int oc = t % o;
          int ic = oc / mult;
          int src = (b * c + ic) * h * w;
          float init = bias == null ? 0f : bias[oc];
          boolean finite = true;
          for (int i = 0; i < g.kh * g.kw; i++) finite &= Float.isFinite(wt[oc * g.kh * g.kw + i]);
          if (finite && g.dh == 1 && g.dw == 1) {
            depthwisePlane(x, src, h, w, wt, oc * g.kh * g.kw, init, g, out, t * plane, oh, ow, act);
          } else {
            depthwiseRows(x, src, h, w, wt, oc, init, g, out, t * plane, oh, ow, act);
          }
        });
  }

  private static float[] scratch(int slot, int size) {
    float[][] s = DW_ROWS.get();
    if (s[slot].length < size) s[slot] = new float[size];
    return s[slot];
  }

  /**
   * One channel, undilated: the input is copied once into a zero-padded plane split into
   * stride phases (plane (sy, sx) holds padded rows sy, sy+sh, ... and columns sx, sx+sw, ...),
   * where tap (ky, kx) of every output pixel is one constant offset away. The output is accumulated
   * "wide" (row length of a phase plane), each tap as one zero-based {@link Gemm#axpy} over a
   * copied run of its phase plane, which C2 vectorizes; padded positions add w·0.
   */
  private static void depthwisePlane(
      float[] x, int src, int h, int w, float[] wt, int wOff, float init, Geometry g, float[] out, int dst, int oh, int ow, Gemm.Epilogue act) {
    int sh = g.sh;
    int sw = g.sw;
    if (sw > 1 && Simd.enabled()) {
      depthwiseStridedRows(x, src, h, w, wt, wOff, init, g, out, dst, oh, ow, act);
      return;
    }
    int wq = (ow - 1) + (g.kw - 1) / sw + 1; // phase plane width: every column a tap reads
    int hq = (oh - 1) + (g.kh - 1) / sh + 1;
    int phases = sh * sw;
    int qSize = hq * wq;
    // Vector taps read whole wide rows: up to wq floats past the last phase, in lanes never kept.
    float[] q = scratch(2, phases * qSize + wq);
    java.util.Arrays.fill(q, 0, phases * qSize, 0f);
    // Scatter the input into the phases: padded (py, px) = (iy + pt, ix + pl).
    for (int iy = 0; iy < h; iy++) {
      int py = iy + g.pt;
      int r = py / sh;
      if (r >= hq) continue;
      int sy = py % sh;
      int rowIn = src + iy * w;
      if (sw == 1) {
        int base = sy * qSize + r * wq;
        int lo = Math.max(0, -g.pl);
        int hi = Math.min(w, wq - g.pl);
        if (hi > lo) System.arraycopy(x, rowIn + lo, q, base + lo + g.pl, hi - lo);
      } else {
        // Phase sx holds padded columns px = sx + col·sw, i.e. input columns ix = sx - pl + col·sw.
        for (int sx = 0; sx < sw; sx++) {
          int ix0 = sx - g.pl;
          int colLo = ix0 >= 0 ? 0 : (-ix0 + sw - 1) / sw;
          int colHi = Math.min(wq, w - ix0 <= 0 ? 0 : (w - ix0 - 1) / sw + 1);
          int base = (sy * sw + sx) * qSize + r * wq;
          for (int col = colLo, ix = rowIn + ix0 + colLo * sw; col < colHi; col++, ix += sw) q[base + col] = x[ix];
        }
      }
    }
    int wide = oh * wq;
    float[] acc = scratch(3, wide);
    float[] tap = scratch(4, wide);
    if (Simd.enabled()) {
      int[] off = new int[g.kh * g.kw];
      for (int ky = 0; ky < g.kh; ky++) {
        for (int kx = 0; kx < g.kw; kx++) off[ky * g.kw + kx] = ((ky % sh) * sw + kx % sw) * qSize + (ky / sh) * wq + kx / sw;
      }
      VectorOps.depthwiseWide(q, off, wt, wOff, off.length, init, acc, wide);
      if (act != null) act.apply(acc, 0, wide);
      for (int oy = 0; oy < oh; oy++) System.arraycopy(acc, oy * wq, out, dst + oy * ow, ow);
      return;
    }
    java.util.Arrays.fill(acc, 0, wide, init);
    for (int ky = 0; ky < g.kh; ky++) {
      for (int kx = 0; kx < g.kw; kx++) {
        int phase = (ky % sh) * sw + kx % sw;
        int off = phase * qSize + (ky / sh) * wq + kx / sw;
        int len = Math.min(wide, phase * qSize + qSize - off);
        System.arraycopy(q, off, tap, 0, len);
        if (len < wide) java.util.Arrays.fill(tap, len, wide, 0f);
        Gemm.axpy(acc, wide, wt[wOff + ky * g.kw + kx], tap);
      }
    }
    if (act != null) act.apply(acc, 0, wide);
    for (int oy = 0; oy < oh; oy++) System.arraycopy(acc, oy * wq, out, dst + oy * ow, ow);
  }

  /**
   * One channel with a column stride, on vectors: the input is copied into a zero-padded plane
   * with plain row copies, each output row is summed at every padded column (sw times the taps'
   * work, all of it in vector lanes) and every sw-th column is kept. The element-wise split into
   * column phases that {@link #depthwisePlane} does instead cost several times the multiply-adds
   * (MobileNet v2's 96×112×112 stride-2 layer). Same (ky, kx) order onto the bias, same floats.
   */
  private static void depthwiseStridedRows(
      float[] x, int src, int h, int w, float[] wt, int wOff, float init, Geometry g, float[] out, int dst, int oh, int ow, Gemm.Epilogue act) {
    int span = (ow - 1) * g.sw + 1; // padded columns where an output row's windows start
    int wp = span + g.kw - 1;
    int hp = (oh - 1) * g.sh + g.kh;
    float[] p = scratch(2, hp * wp);
    java.util.Arrays.fill(p, 0, hp * wp, 0f);
    PaddedPlane.copy(x, src, h, w, g.pt, g.pl, p, hp, wp);
    float[] acc = scratch(3, span);
    int[] off = new int[g.kh * g.kw];
    for (int oy = 0; oy < oh; oy++) {
      for (int ky = 0; ky < g.kh; ky++) {
        for (int kx = 0; kx < g.kw; kx++) off[ky * g.kw + kx] = (oy * g.sh + ky) * wp + kx;
      }
      VectorOps.depthwiseWide(p, off, wt, wOff, off.length, init, acc, span);
      int o = dst + oy * ow;
      for (int ox = 0, j = 0; ox < ow; ox++, j += g.sw) out[o + ox] = acc[j];
      if (act != null) act.apply(out, o, o + ow);
    }
  }

  /** One channel, row by row (dilated filters, non-finite weights): taps added only at real input positions. */
  private static void depthwiseRows(
      float[] x, int src, int h, int w, float[] wt, int oc, float init, Geometry g, float[] out, int dst, int oh, int ow, Gemm.Epilogue act) {
    float[] acc = scratch(0, ow);
    float[] tap = scratch(1, ow);
    for (int oy = 0; oy < oh; oy++) {
      java.util.Arrays.fill(acc, 0, ow, init);
      for (int ky = 0; ky < g.kh; ky++) {
        int iy = oy * g.sh - g.pt + ky * g.dh;
        if (iy < 0 || iy >= h) continue;
        for (int kx = 0; kx < g.kw; kx++) {
          float wv = wt[(oc * g.kh + ky) * g.kw + kx];
          int ixOff = kx * g.dw - g.pl;
          // ox range with 0 <= ox*sw + ixOff < w.
          int oxLo = ixOff >= 0 ? 0 : (-ixOff + g.sw - 1) / g.sw;
          int oxHi = w - ixOff <= 0 ? 0 : Math.min(ow, (w - ixOff - 1) / g.sw + 1);
          if (oxLo >= oxHi) continue;
          int row = src + iy * w + ixOff;
          if (!Float.isFinite(wv)) {
            // w·0 would be NaN at padded positions, which add nothing: only the real ones.
            for (int ox = oxLo; ox < oxHi; ox++) acc[ox] += wv * x[row + ox * g.sw];
            continue;
          }
          java.util.Arrays.fill(tap, 0, oxLo, 0f);
          if (g.sw == 1) {
            System.arraycopy(x, row + oxLo, tap, oxLo, oxHi - oxLo);
          } else {
            for (int ox = oxLo; ox < oxHi; ox++) tap[ox] = x[row + ox * g.sw];
          }
          java.util.Arrays.fill(tap, oxHi, ow, 0f);
          Gemm.axpy(acc, ow, wv, tap);
        }
      }
      if (act != null) act.apply(acc, 0, ow);
      System.arraycopy(acc, 0, out, dst + oy * ow, ow);
    }
  }

  /**
   * Transposed convolution: {@code x[N,C,H,W]}, {@code w[C, O/group, kh, kw]} into
   * {@code out[N,O,OH,OW]}; input pixel (iy, ix) with tap (ky, kx) lands on
   * (iy·sh - pt + ky·dh, ix·sw - pl + kx·dw), positions outside the output are cropped.
   */
  public static void deconv2d(float[] x, int[] xs, float[] w, int o, float[] bias, Geometry g, int group, float[] out, int oh, int ow) {
    int n = xs[0];
    int c = xs[1];
    int h = xs[2];
    int wd = xs[3];
    int cg = c / group;
    int og = o / group;
    int kk = g.kh * g.kw;
    int rows = og * kk;
    int hw = h * wd;
    int plane = oh * ow;
    java.util.Arrays.fill(out, 0f);
    float[] col = new float[rows * hw];
    for (int b = 0; b < n; b++) {
      for (int gi = 0; gi < group; gi++) {
        // col[(o,ky,kx), (iy,ix)] = Σ_c w[c, o, ky, kx] · x[c, iy, ix]
        Gemm.multiply(rows, hw, cg, w, gi * cg * rows, 1, rows, Gemm.matrix(x, (b * c + gi * cg) * hw, hw, 1), col, 0, hw, false);
        int outBase = (b * o + gi * og) * plane;
        Parallel.forRange(og, (long) rows * hw >= Gemm.PARALLEL_WORK, oc -> col2im(col, oc, kk, h, wd, g, out, outBase + oc * plane, oh, ow));
      }
    }
    if (bias != null) addBias(out, n, o, plane, bias);
  }

  private static void col2im(float[] col, int oc, int kk, int h, int w, Geometry g, float[] out, int dst, int oh, int ow) {
    int hw = h * w;
    for (int ky = 0; ky < g.kh; ky++) {
      for (int kx = 0; kx < g.kw; kx++) {
        int src = ((oc * kk) + ky * g.kw + kx) * hw;
        for (int iy = 0; iy < h; iy++) {
          int oy = iy * g.sh - g.pt + ky * g.dh;
          if (oy < 0 || oy >= oh) continue;
          int orow = dst + oy * ow;
          int crow = src + iy * w;
          int oxBase = kx * g.dw - g.pl;
          for (int ix = 0; ix < w; ix++) {
            int ox = ix * g.sw + oxBase;
            if (ox >= 0 && ox < ow) out[orow + ox] += col[crow + ix];
          }
        }
      }
    }
  }

  static void addBias(float[] out, int n, int o, int plane, float[] bias) {
    for (int b = 0; b < n; b++) {
      for (int oc = 0; oc < o; oc++) {
        float v = bias[oc];
        int base = (b * o + oc) * plane;
        for (int i = 0; i < plane; i++) out[base + i] += v;
      }
    }
  }
}

package org.npuc.interp;

/**
 * Depthwise convolution of many channels over a small plane (the late stages of MobileNets),
 * channels-last: each pixel becomes one zero-based row of C values, so every tap of every output
 * pixel is one long vectorized multiply-add over the channels instead of a short per-channel loop
 * that C2 leaves mostly scalar. Taps are added in (ky, kx) order onto the bias, padded positions
 * reading a row of zeros, as the per-channel plane path does, so the floats are the same.
 */
final class DepthwiseChannelsLast {
  private DepthwiseChannelsLast() {}

  /** Multiplier 1, at least 32 channels, at most 256 output pixels, finite weights. */
  static boolean applies(int c, int mult, int plane, float[] wt) {
    if (mult != 1 || c < 32 || plane > 256) return false;
    for (float v : wt) if (!Float.isFinite(v)) return false;
    return true;
  }

  static void run(float[] x, int n, int c, int h, int w, float[] wt, float[] bias, ConvKernels.Geometry g, float[] out, int oh, int ow, Gemm.Epilogue act) {
    int kk = g.kh() * g.kw();
    int hw = h * w;
    int plane = oh * ow;
    float[][] taps = new float[kk][c];
    for (int ch = 0; ch < c; ch++) for (int t = 0; t < kk; t++) taps[t][ch] = wt[ch * kk + t];
    float[] zero = new float[c];
    float[] init = bias == null ? zero : bias;
    boolean parallel = (long) n * c * plane * kk >= Gemm.PARALLEL_WORK;
    for (int b = 0; b < n; b++) {
      int base = b * c * hw;
      float[][] px = new float[hw][];
      Parallel.forRange(4, parallel,
          r -> {
            for (int p = r * hw / 4; p < (r + 1) * hw / 4; p++) {
              float[] row = new float[c];
              for (int ch = 0; ch < c; ch++) row[ch] = x[base + ch * hw + p];
              px[p] = row;
            }
          });
      float[][] acc = new float[plane][];
      Parallel.forRange(4, parallel,
          r -> {
            for (int oy = r * oh / 4; oy < (r + 1) * oh / 4; oy++) {
              for (int ox = 0; ox < ow; ox++) {
                float[] a = java.util.Arrays.copyOf(init, c);
                for (int ky = 0; ky < g.kh(); ky++) {
                  int iy = oy * g.sh() - g.pt() + ky * g.dh();
                  for (int kx = 0; kx < g.kw(); kx++) {
                    int ix = ox * g.sw() - g.pl() + kx * g.dw();
                    float[] src = iy >= 0 && iy < h && ix >= 0 && ix < w ? px[iy * w + ix] : zero;
                    fma(a, taps[ky * g.kw() + kx], src, c);
                  }
                }
                if (act != null) act.apply(a, 0, c);
                acc[oy * ow + ox] = a;
              }
            }
          });
      int dst = b * c * plane;
      Parallel.forRange(4, parallel,
          r -> {
            for (int ch = r * c / 4; ch < (r + 1) * c / 4; ch++) {
              for (int p = 0; p < plane; p++) out[dst + ch * plane + p] = acc[p][ch];
            }
          });
    }
  }

  private static void fma(float[] a, float[] wv, float[] xv, int n) {
    for (int j = 0; j < n; j++) a[j] += wv[j] * xv[j];
  }
}

package org.npuc.interp;

/**
 * The im2col panel of a convolution with a horizontal stride above 1, read from a copy of the
 * input split by column phase: {@code split[c][iy][ph][j] = x[c][iy][j·sw + ph]}. A tap then
 * reads one phase at consecutive positions, so each output row's run is one array copy instead of
 * a strided gather element by element (MobileNet's stride-2 first layer: 27 × 12544 gathers).
 */
final class StridedIm2col {
  private StridedIm2col() {}

  /** B(k, p) as {@link ConvKernels#im2col}, for the cg channels at {@code xOff}; requires sw > 1. */
  static Gemm.Panel of(float[] x, int xOff, int cg, int h, int w, ConvKernels.Geometry g, int oh, int ow) {
    int sw = g.sw();
    int wq = (w + sw - 1) / sw;
    float[] split = new float[cg * h * sw * wq];
    for (int ch = 0; ch < cg; ch++) {
      for (int iy = 0; iy < h; iy++) {
        int src = xOff + (ch * h + iy) * w;
        int dst = (ch * h + iy) * sw * wq;
        for (int ph = 0; ph < sw; ph++) {
          int d = dst + ph * wq;
          for (int ix = ph, j = 0; ix < w; ix += sw, j++) split[d + j] = x[src + ix];
        }
      }
    }
    int kk = g.kh() * g.kw();
    return (dst, k0, kc, n0, nc) -> {
      for (int k = 0; k < kc; k++) {
        int kIdx = k0 + k;
        int ch = kIdx / kk;
        int ky = (kIdx % kk) / g.kw();
        int kx = kIdx % g.kw();
        int ixBase = kx * g.dw() - g.pl();
        int ph = Math.floorMod(ixBase, sw);
        int shift = Math.floorDiv(ixBase, sw);
        int phaseLen = (w - ph + sw - 1) / sw;
        // Output columns whose input column ox·sw + ixBase = (ox + shift)·sw + ph lies inside [0, w).
        int oxLo = Math.max(0, -shift);
        int oxHi = Math.max(oxLo, Math.min(ow, phaseLen - shift));
        ConvKernels.gatherRow(
            dst, k * nc, n0, nc, ow, ky * g.dh() - g.pt(), g.sh(), h, split, (ch * h * sw + ph) * wq + shift, sw * wq, 1, oxLo, oxHi);
      }
    };
  }
}

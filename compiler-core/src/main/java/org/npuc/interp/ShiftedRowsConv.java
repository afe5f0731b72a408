package org.npuc.interp;

/**
 * Stride-1 convolution as one product without an element-wise im2col: with the input zero-padded
 * to {@code hp × wp}, B(k, q) for k = (c, ky, kx) and the "wide" output position q = oy·wp + ox
 * is {@code xp[c·hp·wp + ky·dh·wp + kx·dw + q]}, so every row of B is one contiguous slice of the
 * padded input and packs as a single copy. The product is computed for all wp columns of each
 * output row, of which the last wp − ow read across the row edge and are dropped. On small planes
 * (LeNet's 8×8, det3's first layer) gathering the im2col element runs cost as much as the
 * multiply-adds; this trades that for wp/ow more columns, so it is used only on output rows shorter
 * than 32 and where that ratio is at most 3/2 (on large planes the im2col's runs are long and the
 * wide buffer costs more than it saves), and only with the Vector API GEMM (the plain-Java path
 * keeps the im2col).
 */
final class ShiftedRowsConv {
  private ShiftedRowsConv() {}

  static boolean applies(ConvKernels.Geometry g, int w, int ow) {
    int wp = w + g.pl() + g.pr();
    return Simd.enabled() && g.sh() == 1 && g.sw() == 1 && ow < 32 && 2 * wp <= 3 * ow;
  }

  /**
   * {@code out[outOff + oc·oh·ow + oy·ow + ox]} for oc < og from the cg channels of {@code x} at
   * {@code xOff} (each h×w) and the weights {@code wt[wOff + oc·kdim + k]}, plus bias and act.
   */
  static void run(
      float[] x, int xOff, int cg, int h, int w, float[] wt, int wOff, int og, ConvKernels.Geometry g, float[] out, int outOff, int oh,
      int ow, float[] bias, Gemm.Epilogue act) {
    int hp = h + g.pt() + g.pb();
    int wp = w + g.pl() + g.pr();
    // Slack after the last channel: the widest tap offset reads (kw−1)·dw past the plane.
    float[] xp = new float[cg * hp * wp + (g.kw() - 1) * g.dw()];
    for (int ch = 0; ch < cg; ch++) {
      for (int iy = 0; iy < h; iy++) {
        System.arraycopy(x, xOff + (ch * h + iy) * w, xp, (ch * hp + iy + g.pt()) * wp + g.pl(), w);
      }
    }
    int khw = g.kh() * g.kw();
    int kdim = cg * khw;
    int wide = oh * wp;
    Gemm.Panel rows =
        (dst, k0, kc, n0, nc) -> {
          for (int k = 0; k < kc; k++) {
            int kIdx = k0 + k;
            int ch = kIdx / khw;
            int ky = (kIdx % khw) / g.kw();
            int kx = kIdx % g.kw();
            System.arraycopy(xp, ch * hp * wp + ky * g.dh() * wp + kx * g.dw() + n0, dst, k * nc, nc);
          }
        };
    float[] c = new float[og * wide];
    Gemm.multiply(og, wide, kdim, wt, wOff, kdim, 1, rows, c, 0, wide, false, bias, act);
    for (int oc = 0; oc < og; oc++) {
      for (int oy = 0; oy < oh; oy++) System.arraycopy(c, oc * wide + oy * wp, out, outOff + (oc * oh + oy) * ow, ow);
    }
  }
}

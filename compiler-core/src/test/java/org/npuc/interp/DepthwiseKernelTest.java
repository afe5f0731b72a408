package org.npuc.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The depthwise kernel's row-at-a-time path: padded positions add nothing, so an infinite weight
 * gives infinity where it meets real input and leaves the rest finite (never NaN from inf·0), and
 * results equal the tap-by-tap definition exactly on a strided, dilated, padded case.
 */
class DepthwiseKernelTest {
  @Test
  void infiniteWeightDoesNotTouchPaddedPositions() {
    // 1 channel, 1×3 input [1, 2, 3], 1×3 filter [inf, 0, 0], pads 1 left/right: out[0] reads (pad, 1, 2).
    float[] x = {1, 2, 3};
    float[] w = {Float.POSITIVE_INFINITY, 0, 0};
    float[] out = new float[3];
    ConvKernels.depthwise(x, 1, 1, 1, 3, w, 1, null, new ConvKernels.Geometry(1, 3, 1, 1, 1, 1, 0, 1, 0, 1), out, 1, 3);
    assertEquals(0f, out[0]); // the inf tap sits on the left pad
    assertEquals(Float.POSITIVE_INFINITY, out[1]);
    assertEquals(Float.POSITIVE_INFINITY, out[2]);
  }

  @Test
  void equalsTapByTapSumOnStridedPaddedInput() {
    // Row path (dilated), then the plane path: strides 2, 1×2 and 3, asymmetric pads, odd sizes.
    check(new ConvKernels.Geometry(3, 3, 2, 2, 2, 1, 2, 1, 1, 2), 9, 11);
    check(new ConvKernels.Geometry(3, 3, 2, 2, 1, 1, 1, 1, 1, 1), 9, 11);
    check(new ConvKernels.Geometry(3, 3, 2, 2, 1, 1, 0, 0, 1, 1), 8, 8);
    check(new ConvKernels.Geometry(3, 5, 1, 2, 1, 1, 2, 0, 0, 3), 7, 10);
    check(new ConvKernels.Geometry(5, 3, 3, 1, 1, 1, 2, 2, 2, 2), 13, 5);
    check(new ConvKernels.Geometry(1, 1, 1, 1, 1, 1, 0, 0, 0, 0), 4, 4);
    // Planes above 64 outputs with a column stride: the strided-rows path on vectors.
    check(new ConvKernels.Geometry(3, 3, 2, 2, 1, 1, 1, 1, 1, 1), 45, 47);
    check(new ConvKernels.Geometry(3, 3, 2, 2, 1, 1, 0, 0, 1, 1), 56, 56);
    check(new ConvKernels.Geometry(3, 3, 1, 3, 1, 1, 2, 1, 0, 2), 20, 50);
    check(new ConvKernels.Geometry(5, 5, 2, 2, 1, 1, 2, 2, 2, 2), 33, 37);
    check(new ConvKernels.Geometry(3, 3, 3, 2, 1, 1, 0, 3, 2, 0), 31, 40);
  }

  private static void check(ConvKernels.Geometry g, int h, int w) {
    java.util.Random r = new java.util.Random(7);
    int c = 3;
    int oh = (h + g.pt() + g.pb() - ((g.kh() - 1) * g.dh() + 1)) / g.sh() + 1;
    int ow = (w + g.pl() + g.pr() - ((g.kw() - 1) * g.dw() + 1)) / g.sw() + 1;
    float[] x = new float[c * h * w];
    float[] wt = new float[c * g.kh() * g.kw()];
    float[] bias = new float[c];
    for (int i = 0; i < x.length; i++) x[i] = r.nextFloat() * 2 - 1;
    for (int i = 0; i < wt.length; i++) wt[i] = r.nextFloat() * 2 - 1;
    for (int i = 0; i < c; i++) bias[i] = r.nextFloat();
    float[] got = new float[c * oh * ow];
    ConvKernels.depthwise(x, 1, c, h, w, wt, 1, bias, g, got, oh, ow);
    for (int ch = 0; ch < c; ch++) {
      for (int oy = 0; oy < oh; oy++) {
        for (int ox = 0; ox < ow; ox++) {
          float s = bias[ch];
          for (int ky = 0; ky < g.kh(); ky++) {
            for (int kx = 0; kx < g.kw(); kx++) {
              int iy = oy * g.sh() - g.pt() + ky * g.dh();
              int ix = ox * g.sw() - g.pl() + kx * g.dw();
              if (iy >= 0 && iy < h && ix >= 0 && ix < w) s += wt[(ch * g.kh() + ky) * g.kw() + kx] * x[(ch * h + iy) * w + ix];
            }
          }
          assertEquals(s, got[(ch * oh + oy) * ow + ox], g + " channel " + ch + " at " + oy + "," + ox);
        }
      }
    }
  }
}

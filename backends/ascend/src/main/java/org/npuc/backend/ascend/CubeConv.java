package org.npuc.backend.ascend;

/**
 * The AI core's convolution as the simulator runs it, reading activations in NC1HWC0 and weights
 * in fractal Z (see {@link AscendLayouts}) and writing NC1HWC0.
 *
 * <p>fp16: each output's dot product runs over input-channel blocks, then kernel taps, then the
 * C0 lanes of the block (the cube's order: one fractal per tap), accumulating the exact fp16
 * products in fp32; the fp16 bias is added in fp32, the sum rounded to fp16, then the fused
 * activation applied in fp16. int8: the same loops on zero-point-centered integers give int32
 * sums, which do not depend on the order; their requantization is done by the caller.
 */
public final class CubeConv {
  private CubeConv() {}

  /** One convolution's geometry (input [N,C,H,W], weights [O, C/group, kh, kw]). */
  public record Shape(int n, int c, int h, int w, int o, int kh, int kw, int group, int[] strides, int[] dilations, int[] pads) {
    public int oh() {
      return (h + pads[0] + pads[2] - ((kh - 1) * dilations[0] + 1)) / strides[0] + 1;
    }

    public int ow() {
      return (w + pads[1] + pads[3] - ((kw - 1) * dilations[1] + 1)) / strides[1] + 1;
    }

    public int[] weightShape() {
      return new int[] {o, c / group, kh, kw};
    }
  }

  /** fp16 convolution: x, w, result as binary16 bits in NC1HWC0 / fractal Z (C0 = 16). */
  public static int[] fp16(int[] x, int[] w, int[] biasBits, Shape s, String act, float actMin, float actMax, float alpha) {
    int c0 = AscendLayouts.c0For(false);
    int oh = s.oh();
    int ow = s.ow();
    int icg = s.c() / s.group();
    int ocg = s.o() / s.group();
    int[] wshape = s.weightShape();
    int c1 = AscendLayouts.ceilDiv(icg, c0);
    float[] xf = Fp16.fromBits(x);
    float[] wf = Fp16.fromBits(w);
    int hw = s.h() * s.w();
    int ohw = oh * ow;
    int[] out = new int[s.n() * AscendLayouts.ceilDiv(s.o(), c0) * ohw * c0];
    for (int b = 0; b < s.n(); b++) {
      for (int oc = 0; oc < s.o(); oc++) {
        int g = oc / ocg;
        float bias = biasBits == null ? 0f : Fp16.value(biasBits[oc]);
        for (int oy = 0; oy < oh; oy++) {
          for (int ox = 0; ox < ow; ox++) {
            float acc = 0f;
            for (int blk = 0; blk < c1; blk++) {
              for (int ky = 0; ky < s.kh(); ky++) {
                int iy = oy * s.strides()[0] - s.pads()[0] + ky * s.dilations()[0];
                if (iy < 0 || iy >= s.h()) continue;
                for (int kx = 0; kx < s.kw(); kx++) {
                  int ix = ox * s.strides()[1] - s.pads()[1] + kx * s.dilations()[1];
                  if (ix < 0 || ix >= s.w()) continue;
                  int lanes = Math.min(c0, icg - blk * c0);
                  for (int lane = 0; lane < lanes; lane++) {
                    int ic = blk * c0 + lane;
                    float xv = xf[AscendLayouts.nc1hwc0Index(b, g * icg + ic, iy * s.w() + ix, s.c(), hw, c0)];
                    float wv = wf[AscendLayouts.fractalZIndex(oc, ic, ky, kx, wshape, c0)];
                    acc += xv * wv;
                  }
                }
              }
            }
            float v = Fp16.activate(Fp16.round(acc + bias), act, actMin, actMax, alpha);
            out[AscendLayouts.nc1hwc0Index(b, oc, oy * ow + ox, s.o(), ohw, c0)] = Fp16.bits(v);
          }
        }
      }
    }
    return out;
  }

  /**
   * int8 convolution sums: x and w are stored int8 values in NC1HWC0 / fractal Z (C0 = 32),
   * centered here by their zero points; returns int32 sums in NCHW order {@code [N, O, oh, ow]}.
   */
  public static int[] int8Sums(int[] x, int xZeroPoint, int[] w, int[] wZeroPoints, Shape s) {
    int c0 = AscendLayouts.c0For(true);
    int oh = s.oh();
    int ow = s.ow();
    int icg = s.c() / s.group();
    int ocg = s.o() / s.group();
    int[] wshape = s.weightShape();
    int hw = s.h() * s.w();
    int[] out = new int[s.n() * s.o() * oh * ow];
    for (int b = 0; b < s.n(); b++) {
      for (int oc = 0; oc < s.o(); oc++) {
        int g = oc / ocg;
        int wzp = wZeroPoints[oc];
        for (int oy = 0; oy < oh; oy++) {
          for (int ox = 0; ox < ow; ox++) {
            int acc = 0;
            for (int ic = 0; ic < icg; ic++) {
              for (int ky = 0; ky < s.kh(); ky++) {
                int iy = oy * s.strides()[0] - s.pads()[0] + ky * s.dilations()[0];
                if (iy < 0 || iy >= s.h()) continue;
                for (int kx = 0; kx < s.kw(); kx++) {
                  int ix = ox * s.strides()[1] - s.pads()[1] + kx * s.dilations()[1];
                  if (ix < 0 || ix >= s.w()) continue;
                  int xv = x[AscendLayouts.nc1hwc0Index(b, g * icg + ic, iy * s.w() + ix, s.c(), hw, c0)] - xZeroPoint;
                  int wv = w[AscendLayouts.fractalZIndex(oc, ic, ky, kx, wshape, c0)] - wzp;
                  acc += xv * wv;
                }
              }
            }
            out[((b * s.o() + oc) * oh + oy) * ow + ox] = acc;
          }
        }
      }
    }
    return out;
  }
}

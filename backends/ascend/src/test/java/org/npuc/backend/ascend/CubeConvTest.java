package org.npuc.backend.ascend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The cube convolution reading NC1HWC0 / fractal Z computes what a plain NCHW implementation of
 * the same fp16 rules computes (bit for bit), and stays within fp16 error of an f64 convolution.
 */
class CubeConvTest {

  /** NCHW fp16 reference: same accumulation order (channel blocks of 16, taps, lanes), fp32 sums. */
  private static float[] referenceFp16(float[] x, float[] w, float[] bias, CubeConv.Shape s) {
    int icg = s.c() / s.group();
    int ocg = s.o() / s.group();
    int oh = s.oh();
    int ow = s.ow();
    float[] out = new float[s.n() * s.o() * oh * ow];
    for (int b = 0; b < s.n(); b++) {
      for (int oc = 0; oc < s.o(); oc++) {
        int g = oc / ocg;
        for (int oy = 0; oy < oh; oy++) {
          for (int ox = 0; ox < ow; ox++) {
            float acc = 0f;
            for (int blk = 0; blk * 16 < icg; blk++) {
              for (int ky = 0; ky < s.kh(); ky++) {
                for (int kx = 0; kx < s.kw(); kx++) {
                  int iy = oy * s.strides()[0] - s.pads()[0] + ky * s.dilations()[0];
                  int ix = ox * s.strides()[1] - s.pads()[1] + kx * s.dilations()[1];
                  if (iy < 0 || iy >= s.h() || ix < 0 || ix >= s.w()) continue;
                  for (int ic = blk * 16; ic < Math.min(icg, blk * 16 + 16); ic++) {
                    acc += x[((b * s.c() + g * icg + ic) * s.h() + iy) * s.w() + ix] * w[((oc * icg + ic) * s.kh() + ky) * s.kw() + kx];
                  }
                }
              }
            }
            out[((b * s.o() + oc) * oh + oy) * ow + ox] = Fp16.round(acc + bias[oc]);
          }
        }
      }
    }
    return out;
  }

  private static float[] randomHalf(Random r, int n, float range) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) a[i] = Fp16.round((r.nextFloat() * 2 - 1) * range);
    return a;
  }

  private static void checkFp16(CubeConv.Shape s, long seed) {
    Random r = new Random(seed);
    float[] x = randomHalf(r, s.n() * s.c() * s.h() * s.w(), 4f);
    float[] w = randomHalf(r, s.o() * (s.c() / s.group()) * s.kh() * s.kw(), 0.5f);
    float[] bias = randomHalf(r, s.o(), 1f);
    int[] xl = AscendLayouts.toNc1hwc0(Fp16.toBits(x), new int[] {s.n(), s.c(), s.h(), s.w()}, 16, 0);
    int[] wl = AscendLayouts.toFractalZ(Fp16.toBits(w), s.weightShape(), 16);
    int[] got = CubeConv.fp16(xl, wl, Fp16.toBits(bias), s, "none", 0, 0, 0);
    float[] gotNchw = Fp16.fromBits(AscendLayouts.fromNc1hwc0(got, new int[] {s.n(), s.o(), s.oh(), s.ow()}, 16));
    float[] want = referenceFp16(x, w, bias, s);
    assertArrayEquals(want, gotNchw, 0f, s.toString());
    // And within fp16 rounding of an exact (f64) convolution: half an ulp of the result plus fp32 sums.
    for (int i = 0; i < want.length; i++) {
      double exact = exactOutput(x, w, bias, s, i);
      assertEquals(exact, gotNchw[i], Math.abs(exact) * 1e-3 + 1e-2, "output " + i);
    }
  }

  private static double exactOutput(float[] x, float[] w, float[] bias, CubeConv.Shape s, int flat) {
    int ow = s.ow();
    int oh = s.oh();
    int ox = flat % ow;
    int oy = (flat / ow) % oh;
    int oc = (flat / (ow * oh)) % s.o();
    int b = flat / (ow * oh * s.o());
    int icg = s.c() / s.group();
    int g = oc / (s.o() / s.group());
    double acc = bias[oc];
    for (int ic = 0; ic < icg; ic++) {
      for (int ky = 0; ky < s.kh(); ky++) {
        for (int kx = 0; kx < s.kw(); kx++) {
          int iy = oy * s.strides()[0] - s.pads()[0] + ky * s.dilations()[0];
          int ix = ox * s.strides()[1] - s.pads()[1] + kx * s.dilations()[1];
          if (iy < 0 || iy >= s.h() || ix < 0 || ix >= s.w()) continue;
          acc += (double) x[((b * s.c() + g * icg + ic) * s.h() + iy) * s.w() + ix] * w[((oc * icg + ic) * s.kh() + ky) * s.kw() + kx];
        }
      }
    }
    return acc;
  }

  @Test
  void fp16ConvolutionThroughLayoutsMatchesTheNchwReference() {
    checkFp16(new CubeConv.Shape(1, 3, 12, 12, 10, 3, 3, 1, new int[] {1, 1}, new int[] {1, 1}, new int[] {0, 0, 0, 0}), 1);
    checkFp16(new CubeConv.Shape(2, 20, 7, 9, 17, 3, 3, 1, new int[] {2, 1}, new int[] {1, 1}, new int[] {1, 1, 1, 1}), 2);
    checkFp16(new CubeConv.Shape(1, 40, 5, 5, 33, 1, 1, 1, new int[] {1, 1}, new int[] {1, 1}, new int[] {0, 0, 0, 0}), 3);
    checkFp16(new CubeConv.Shape(1, 32, 6, 6, 32, 3, 3, 32, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1, 1, 1}), 4);
    checkFp16(new CubeConv.Shape(1, 8, 9, 9, 6, 3, 3, 2, new int[] {1, 1}, new int[] {2, 2}, new int[] {2, 2, 2, 2}), 5);
  }

  @Test
  void int8SumsThroughLayoutsMatchPlainSums() {
    Random r = new Random(9);
    CubeConv.Shape s = new CubeConv.Shape(1, 35, 6, 7, 20, 3, 3, 1, new int[] {1, 2}, new int[] {1, 1}, new int[] {1, 0, 1, 2});
    int[] x = new int[s.c() * s.h() * s.w()];
    for (int i = 0; i < x.length; i++) x[i] = r.nextInt(256) - 128;
    int[] w = new int[s.o() * s.c() * 9];
    for (int i = 0; i < w.length; i++) w[i] = r.nextInt(255) - 127;
    int xzp = -5;
    int[] wzp = new int[s.o()];
    int[] xl = AscendLayouts.toNc1hwc0(x, new int[] {1, s.c(), s.h(), s.w()}, 32, xzp);
    int[] wl = AscendLayouts.toFractalZ(w, s.weightShape(), 32);
    int[] got = CubeConv.int8Sums(xl, xzp, wl, wzp, s);
    int[] want = new int[got.length];
    for (int oc = 0; oc < s.o(); oc++) {
      for (int oy = 0; oy < s.oh(); oy++) {
        for (int ox = 0; ox < s.ow(); ox++) {
          int acc = 0;
          for (int ic = 0; ic < s.c(); ic++) {
            for (int ky = 0; ky < 3; ky++) {
              for (int kx = 0; kx < 3; kx++) {
                int iy = oy - 1 + ky;
                int ix = ox * 2 + kx;
                if (iy < 0 || iy >= s.h() || ix < 0 || ix >= s.w()) continue;
                acc += (x[(ic * s.h() + iy) * s.w() + ix] - xzp) * w[((oc * s.c() + ic) * 3 + ky) * 3 + kx];
              }
            }
          }
          want[(oc * s.oh() + oy) * s.ow() + ox] = acc;
        }
      }
    }
    assertArrayEquals(want, got);
  }
}

package org.npuc.backend.bm1684;

/**
 * Direct integer convolution over one tile (a range of output channels and output rows, all
 * columns): the int32 sums of {@code (x - x_zp)·(w - w_zp)} over in-bounds taps, as the integer
 * reference kernel computes them. Used by the simulator for tiles not run by winograd, and by the
 * tests as the oracle winograd must match.
 */
public final class DirectConv {
  private DirectConv() {}

  /** Geometry of one convolution: input [C,H,W], weights [O, C/group, kh, kw], output [O, oh, ow]. */
  public record Geometry(int c, int h, int w, int o, int kh, int kw, int group, int[] strides, int[] dilations, int[] pads) {
    public int oh() {
      return (h + pads[0] + pads[2] - ((kh - 1) * dilations[0] + 1)) / strides[0] + 1;
    }

    public int ow() {
      return (w + pads[1] + pads[3] - ((kw - 1) * dilations[1] + 1)) / strides[1] + 1;
    }

    public int inPerGroup() {
      return c / group;
    }

    public int outPerGroup() {
      return o / group;
    }

    /** Input rows [first, last] that output rows [oy0, oy1) read, clipped to the input. */
    public int[] inputRows(int oy0, int oy1) {
      int first = oy0 * strides[0] - pads[0];
      int last = (oy1 - 1) * strides[0] - pads[0] + (kh - 1) * dilations[0];
      return new int[] {Math.max(0, first), Math.min(h - 1, last)};
    }

    /** Input channels [first, last) that output channels [oc0, oc1) read. */
    public int[] inputChannels(int oc0, int oc1) {
      int g0 = oc0 / outPerGroup();
      int g1 = (oc1 - 1) / outPerGroup();
      return new int[] {g0 * inPerGroup(), (g1 + 1) * inPerGroup()};
    }
  }

  /**
   * Accumulators {@code acc[oc-oc0][oy-oy0][ox]} for output channels [oc0, oc1) and rows [oy0,
   * oy1) of one image; {@code x} is centered {@code [C][H][W]}, {@code w} centered weights.
   */
  public static int[] accumulate(int[] x, int[] w, Geometry g, int oc0, int oc1, int oy0, int oy1) {
    int ow = g.ow();
    int rows = oy1 - oy0;
    int icg = g.inPerGroup();
    int ocg = g.outPerGroup();
    int[] acc = new int[(oc1 - oc0) * rows * ow];
    for (int oc = oc0; oc < oc1; oc++) {
      int grp = oc / ocg;
      int ob = (oc - oc0) * rows * ow;
      for (int ic = 0; ic < icg; ic++) {
        int xb = (grp * icg + ic) * g.h() * g.w();
        for (int ky = 0; ky < g.kh(); ky++) {
          for (int kx = 0; kx < g.kw(); kx++) {
            int wv = w[((oc * icg + ic) * g.kh() + ky) * g.kw() + kx];
            if (wv == 0) continue;
            for (int oy = oy0; oy < oy1; oy++) {
              int iy = oy * g.strides()[0] - g.pads()[0] + ky * g.dilations()[0];
              if (iy < 0 || iy >= g.h()) continue;
              int row = xb + iy * g.w();
              int ao = ob + (oy - oy0) * ow;
              for (int ox = 0; ox < ow; ox++) {
                int ix = ox * g.strides()[1] - g.pads()[1] + kx * g.dilations()[1];
                if (ix < 0 || ix >= g.w()) continue;
                acc[ao + ox] += wv * x[row + ix];
              }
            }
          }
        }
      }
    }
    return acc;
  }
}

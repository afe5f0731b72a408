package org.npuc.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Max pooling through every plane path (flat passes over a padded copy for inputs narrower than
 * {@link PoolKernels#FLAT_MAX_WIDTH}, row-wise runs for wider ones, the window loop for short
 * output rows) equals the direct window loop bit for bit, with
 * strides larger and smaller than the kernel, asymmetric pads, partial (ceil-mode) windows,
 * windows lying entirely in the padding, and NaN and infinities in the input.
 */
class MaxPoolKernelTest {
  @Test
  void equalsDirectWindowLoop() {
    check(new ConvKernels.Geometry(3, 3, 2, 2, 1, 1, 0, 0, 0, 0), 46, 46, 23, 23); // Caffe ceil: last window partial
    check(new ConvKernels.Geometry(2, 2, 2, 2, 1, 1, 0, 0, 0, 0), 24, 40, 12, 20);
    check(new ConvKernels.Geometry(3, 3, 1, 1, 1, 1, 1, 1, 1, 1), 17, 33, 17, 33);
    check(new ConvKernels.Geometry(3, 5, 2, 3, 1, 1, 2, 2, 1, 4), 19, 61, 10, 22);
    check(new ConvKernels.Geometry(2, 2, 3, 3, 1, 1, 0, 0, 0, 0), 20, 52, 7, 17); // stride > kernel
    check(new ConvKernels.Geometry(3, 3, 1, 1, 1, 1, 4, 4, 4, 4), 9, 20, 15, 26); // windows all in the pad
    check(new ConvKernels.Geometry(3, 3, 2, 2, 1, 1, 1, 1, 1, 1), 21, 21, 11, 11); // short rows
    check(new ConvKernels.Geometry(1, 1, 1, 1, 1, 1, 0, 0, 0, 0), 5, 31, 5, 31);
    check(new ConvKernels.Geometry(3, 3, 2, 2, 1, 1, 0, 0, 1, 1), 46, 46, 23, 23);
    check(new ConvKernels.Geometry(3, 2, 3, 1, 1, 1, 1, 0, 2, 1), 9, 11, 4, 11);
    check(new ConvKernels.Geometry(5, 5, 1, 1, 1, 1, 0, 0, 0, 0), 5, 5, 1, 1);
    check(new ConvKernels.Geometry(2, 3, 2, 2, 1, 1, 1, 2, 1, 2), 7, 6, 4, 4);
    // Wider than the flat path's limit: the row-wise kernels.
    check(new ConvKernels.Geometry(3, 3, 2, 2, 1, 1, 1, 1, 1, 1), 9, 80, 5, 40);
    check(new ConvKernels.Geometry(2, 2, 2, 2, 1, 1, 0, 0, 0, 0), 6, 112, 3, 56);
    check(new ConvKernels.Geometry(3, 3, 2, 2, 1, 1, 0, 0, 1, 1), 5, 63, 3, 32); // just under it
  }

  private static void check(ConvKernels.Geometry g, int h, int w, int oh, int ow) {
    Random r = new Random(h * 131 + w);
    int planes = 3;
    float[] x = new float[planes * h * w];
    for (int i = 0; i < x.length; i++) x[i] = r.nextFloat() * 2 - 1;
    x[5] = Float.NaN;
    x[x.length - 7] = Float.POSITIVE_INFINITY;
    x[h * w + 3] = Float.NEGATIVE_INFINITY;
    float[] got = new float[planes * oh * ow];
    PoolKernels.pool(true, false, x, planes, h, w, g, got, oh, ow);
    for (int p = 0; p < planes; p++) {
      for (int oy = 0; oy < oh; oy++) {
        for (int ox = 0; ox < ow; ox++) {
          float m = Float.NEGATIVE_INFINITY;
          for (int ky = 0; ky < g.kh(); ky++) {
            for (int kx = 0; kx < g.kw(); kx++) {
              int iy = oy * g.sh() - g.pt() + ky;
              int ix = ox * g.sw() - g.pl() + kx;
              if (iy >= 0 && iy < h && ix >= 0 && ix < w) m = Math.max(m, x[(p * h + iy) * w + ix]);
            }
          }
          assertEquals(m, got[(p * oh + oy) * ow + ox], g + " plane " + p + " at " + oy + "," + ox);
        }
      }
    }
  }
}

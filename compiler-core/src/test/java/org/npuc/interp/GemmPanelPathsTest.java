package org.npuc.interp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Both ways {@link Gemm} feeds a packed (non-contiguous) B: packed once and shared by all tiles
 * (at most {@link Gemm#SHARED_PACK} elements) and packed per column block (larger), with K a
 * multiple of neither 4 nor the panel depth, against a double-precision product.
 */
class GemmPanelPathsTest {
  @Test
  void sharedAndPerBlockPackingMatchNaive() {
    Random r = new Random(3);
    int[][] sizes = {{37, 200, 301}, {5, 1100, 300}, {70, 1500, 259}};
    for (int[] sz : sizes) {
      int m = sz[0];
      int n = sz[1];
      int k = sz[2];
      float[] a = new float[m * k];
      float[] b = new float[k * n]; // stored transposed: B(p, j) = b[j*k + p]
      for (int i = 0; i < a.length; i++) a[i] = r.nextFloat() * 2 - 1;
      for (int i = 0; i < b.length; i++) b[i] = r.nextFloat() * 2 - 1;
      float[] got = new float[m * n];
      Gemm.multiply(m, n, k, a, 0, k, 1, Gemm.matrix(b, 0, 1, k), got, 0, n, false);
      double worst = 0;
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          double s = 0;
          for (int p = 0; p < k; p++) s += (double) a[i * k + p] * b[j * k + p];
          worst = Math.max(worst, Math.abs(s - got[i * n + j]));
        }
      }
      String what = m + "x" + n + "x" + k + (long) k * n + (k * (long) n <= Gemm.SHARED_PACK ? " (shared pack)" : " (per-block pack)");
      assertTrue(worst < 1e-4, what + ": max error " + worst);
    }
  }
}

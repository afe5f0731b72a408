package org.npuc.quant.kernels;

import org.npuc.interp.Parallel;

/**
 * The int32 accumulators of the integer {@code matmul}, {@code Σ_i (x[r,i] - x_zp)·(w[i,j] - w_zp[j])},
 * computed with the zero-point decomposition of Jacob et al. (2018, eq. 7-8) on the weight side:
 * {@code Σ_i xc[r,i]·w[i,j] - w_zp[j]·Σ_i xc[r,i]}, so the weights are read as stored. Int32
 * arithmetic wraps modulo 2^32, where the two forms are the same number, so the bits match the
 * direct loop.
 */
final class IntMatmul {
  private IntMatmul() {}

  /** Accumulators [rows, n] of centered rows {@code xc} [rows, k] and raw weights {@code w} ([n, k] if transposed, else [k, n]). */
  static int[] accumulate(int[] xc, int rows, int k, int[] w, boolean transposed, int n, int[] wzp) {
    int[] out = new int[rows * n];
    int[] rowSum = new int[rows];
    for (int r = 0; r < rows; r++) {
      int s = 0;
      for (int i = 0; i < k; i++) s += xc[r * k + i];
      rowSum[r] = s;
    }
    boolean parallel = (long) rows * k * n >= IntConv.PARALLEL_WORK;
    if (transposed) {
      // Weight row j is contiguous: one dot product per (r, j); reads only, so offsets are fine.
      Parallel.forRange(
          n,
          parallel,
              j -> {
                for (int r = 0; r < rows; r++) out[r * n + j] = dot(xc, r * k, w, j * k, k) - wzp[j] * rowSum[r];
              });
    } else {
      // Weight row i is contiguous along n: out row r += xc[r,i] · w[i, ·], axpy over a zero-based copy.
      Parallel.forRange(
          rows,
          parallel,
              r -> {
                int[] acc = new int[n];
                int[] wrow = new int[n];
                for (int i = 0; i < k; i++) {
                  int a = xc[r * k + i];
                  if (a == 0) continue;
                  System.arraycopy(w, i * n, wrow, 0, n);
                  IntConv.axpy(acc, n, a, wrow);
                }
                for (int j = 0; j < n; j++) out[r * n + j] = acc[j] - wzp[j] * rowSum[r];
              });
    }
    return out;
  }

  static int dot(int[] a, int ao, int[] b, int bo, int k) {
    int s = 0;
    for (int i = 0; i < k; i++) s += a[ao + i] * b[bo + i];
    return s;
  }
}

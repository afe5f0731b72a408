package org.npuc.interp;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * A constant right-hand matrix B (k×n) packed once into column blocks of zero-based rows, for
 * products with few rows of A (fully-connected layers, convolutions over tiny planes): every run
 * then streams the packed rows through {@link Gemm#axpy4}, which C2 vectorizes, instead of
 * transposing or gathering the weights again. Packings are cached per constant array (weakly, by
 * identity), so only arrays that never change (graph constants) may be packed through
 * {@link #ofConstant}. With the Vector API each column block is one zero-padded panel for
 * {@link VectorGemm}'s register-blocked kernels instead.
 */
public final class PackedMatrix {
  /** Below this many multiply-adds a product stays on the calling thread. */
  static final long PARALLEL_WORK = 1L << 17;

  private static final Map<float[], PackedMatrix> CACHE = Collections.synchronizedMap(new WeakHashMap<>());

  private final int off;
  private final int rs;
  private final int cs;
  final int k;
  final int n;
  /** Width of every column block but maybe the last. */
  final int bw;
  /** {@code blocks[cb][kk][j] = B(kk, cb·bw + j)}; null when the Vector API path is used. */
  final float[][][] blocks;
  /**
   * For the Vector API path ({@link Simd#enabled()}): {@code panels[cb][kk·pw + j] = B(kk, cb·bw + j)},
   * rows zero-padded to {@code pw}, a multiple of the vector length; null otherwise.
   */
  final float[][] panels;
  /** Padded row width of each of {@link #panels}. */
  final int[] panelWidth;

  private PackedMatrix(float[] b, int off, int rs, int cs, int k, int n) {
    this.off = off;
    this.rs = rs;
    this.cs = cs;
    this.k = k;
    this.n = n;
    // Enough blocks for both cores on wide products, each at most Gemm.NC wide.
    int want = Math.max((n + Gemm.NC - 1) / Gemm.NC, n >= 128 ? 2 : 1);
    this.bw = ((n + want - 1) / want + 15) & ~15;
    int nb = (n + bw - 1) / bw;
    if (Simd.enabled()) {
      blocks = null;
      panels = new float[nb][];
      panelWidth = new int[nb];
      int lanes = VectorWidth.lanes();
      for (int cb = 0; cb < nb; cb++) {
        int n0 = cb * bw;
        int w = Math.min(bw, n - n0);
        int pw = (w + lanes - 1) / lanes * lanes;
        float[] panel = new float[k * pw];
        for (int kk = 0; kk < k; kk++) {
          int src = off + kk * rs + n0 * cs;
          if (cs == 1) System.arraycopy(b, src, panel, kk * pw, w);
          else for (int j = 0; j < w; j++) panel[kk * pw + j] = b[src + j * cs];
        }
        panels[cb] = panel;
        panelWidth[cb] = pw;
      }
      return;
    }
    panels = null;
    panelWidth = null;
    blocks = new float[nb][k][];
    for (int cb = 0; cb < nb; cb++) {
      int n0 = cb * bw;
      int w = Math.min(bw, n - n0);
      for (int kk = 0; kk < k; kk++) {
        float[] row = new float[w];
        int src = off + kk * rs + n0 * cs;
        if (cs == 1) System.arraycopy(b, src, row, 0, w);
        else for (int j = 0; j < w; j++) row[j] = b[src + j * cs];
        blocks[cb][kk] = row;
      }
    }
  }

  /** Packs B(kk, j) = {@code b[off + kk·rs + j·cs]} without caching. */
  public static PackedMatrix of(float[] b, int off, int rs, int cs, int k, int n) {
    return new PackedMatrix(b, off, rs, cs, k, n);
  }

  /**
   * The packing of B(kk, j) = {@code b[off + kk·rs + j·cs]}, made once per array and layout. The
   * caller guarantees that {@code b} is never modified (a graph constant's data).
   */
  public static PackedMatrix ofConstant(float[] b, int off, int rs, int cs, int k, int n) {
    PackedMatrix p = CACHE.get(b);
    if (p != null && p.off == off && p.rs == rs && p.cs == cs && p.k == k && p.n == n) return p;
    p = new PackedMatrix(b, off, rs, cs, k, n);
    CACHE.put(b, p);
    return p;
  }

  /**
   * {@code C[i·ldc + j] = Σ_kk A(i,kk)·B(kk,j) (+ colBias[j])}, then {@code epilogue} on each row,
   * where A(i,kk) = {@code a[aOff + i·ars + kk·acs]}; i < m.
   */
  public void multiply(int m, float[] a, int aOff, int ars, int acs, float[] c, int cOff, int ldc, float[] colBias, Gemm.Epilogue epilogue) {
    if (m == 0 || n == 0) return;
    if (panels != null) {
      VectorGemm.multiplyPacked(this, m, a, aOff, ars, acs, c, cOff, ldc, colBias, epilogue);
      return;
    }
    int nb = blocks.length;
    // Rows in groups of 8 when there are many, so both cores get work on tall products too.
    int rowGroups = (m + 7) / 8;
    int tasks = nb * rowGroups;
    Parallel.forRange(tasks, (long) m * n * k >= PARALLEL_WORK && tasks > 1,
        t -> {
          int cb = t % nb;
          int i0 = (t / nb) * 8;
          int i1 = Math.min(m, i0 + 8);
          float[][] rows = blocks[cb];
          int n0 = cb * bw;
          int w = Math.min(bw, n - n0);
          float[] acc = new float[w];
          for (int i = i0; i < i1; i++) {
            java.util.Arrays.fill(acc, 0f);
            int ao = aOff + i * ars;
            int kk = 0;
            for (; kk + 3 < k; kk += 4) {
              int p = ao + kk * acs;
              Gemm.axpy4(acc, w, a[p], rows[kk], a[p + acs], rows[kk + 1], a[p + 2 * acs], rows[kk + 2], a[p + 3 * acs], rows[kk + 3]);
            }
            for (; kk < k; kk++) Gemm.axpy(acc, w, a[ao + kk * acs], rows[kk]);
            if (colBias != null) {
              for (int j = 0; j < w; j++) acc[j] += colBias[n0 + j];
            }
            if (epilogue != null) epilogue.apply(acc, 0, w);
            System.arraycopy(acc, 0, c, cOff + i * ldc + n0, w);
          }
        });
  }
}

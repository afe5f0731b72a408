package org.npuc.interp;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Gemm#multiply} on the Vector API: B is packed per column block into one zero-padded
 * row-major panel (whole depth, width a multiple of the vector length), and a micro-kernel keeps a
 * 4-row × 2-vector tile of C in registers across the whole K loop, one FMA per A element and panel
 * vector. This is the register blocking that C2 (JDK 17) never derives from plain loops. The
 * accumulators start from the row's bias (and C, when accumulating) and are stored straight into
 * C, where the epilogue then runs over the finished rows. Loaded only when {@link Simd#enabled()}.
 */
final class VectorGemm {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  /** Rows of C per micro-kernel tile. */
  private static final int MR = 4;
  /** Floats of one packed panel (whole depth × block width) kept near L2 size. */
  private static final int PANEL_FLOATS = 1 << 16;
  /**
   * Below this many multiply-adds a product runs on the calling thread only (about 3 µs of work
   * a core at the kernel's rate; handing a loop to the spinning worker costs well under that).
   */
  static final long PARALLEL_WORK = 1L << 18;

  private VectorGemm() {}

  /** Per-thread packed panel and tile scratch (reused, no garbage per call). */
  private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[2][0]);

  /** Same contract as {@link Gemm#multiply(int, int, int, float[], int, int, int, Gemm.Panel, float[], int, int, boolean, float[], Gemm.Epilogue)}; k > 0. */
  static void multiply(
      int m, int n, int k, float[] a, int aOff, int ars, int acs, Gemm.Panel b, float[] c, int cOff, int ldc, boolean accumulate,
      float[] rowBias, Gemm.Epilogue epilogue) {
    // Column blocks: a whole-depth panel of about PANEL_FLOATS, at least two vectors wide.
    int nb = Math.max(2 * L, (PANEL_FLOATS / k) / (2 * L) * (2 * L));
    nb = Math.min(nb, roundUp(n, L));
    boolean parallel = (long) m * n * k >= PARALLEL_WORK;
    // Both cores get a column block of their own where the columns allow (each packs only its
    // half of B); otherwise the rows are split and each half packs the whole panel.
    if (parallel && nb >= n && n >= 16 * L) nb = roundUp((n + 1) / 2, L);
    int colBlocks = (n + nb - 1) / nb;
    int rowSplits = parallel && colBlocks < 2 && m >= 2 * MR ? 2 : 1;
    int rowsPer = roundUp((m + rowSplits - 1) / rowSplits, MR);
    int nbFinal = nb;
    Parallel.forRange(colBlocks * rowSplits, parallel && colBlocks * rowSplits > 1,
        t -> {
          int cb = t / rowSplits;
          int i0 = (t % rowSplits) * rowsPer;
          int i1 = Math.min(m, i0 + rowsPer);
          int n0 = cb * nbFinal;
          int nc = Math.min(nbFinal, n - n0);
          block(i0, i1, n0, nc, k, a, aOff, ars, acs, b, c, cOff, ldc, accumulate, rowBias, epilogue);
        });
  }

  private static int roundUp(int x, int to) {
    return (x + to - 1) / to * to;
  }

  private static void block(
      int i0, int i1, int n0, int nc, int k, float[] a, int aOff, int ars, int acs, Gemm.Panel b, float[] c, int cOff, int ldc,
      boolean accumulate, float[] rowBias, Gemm.Epilogue epilogue) {
    int w = roundUp(nc, L);
    float[][] scratch = SCRATCH.get();
    if (scratch[0].length < k * w) scratch[0] = new float[k * w];
    if (scratch[1].length < L) scratch[1] = new float[L];
    float[] panel = scratch[0];
    float[] edge = scratch[1];
    pack(b, k, n0, nc, w, panel);
    for (int i = i0; i < i1; i += MR) {
      int rows = Math.min(MR, i1 - i);
      int a0 = aOff + i * ars;
      int c0 = cOff + i * ldc + n0;
      if (rows == MR) {
        direct4(panel, w, k, a, a0, ars, acs, c, c0, ldc, nc, accumulate, rowBias, i, edge);
      } else {
        for (int r = 0; r < rows; r++) direct1(panel, w, k, a, a0 + r * ars, acs, c, c0 + r * ldc, nc, accumulate, rowBias, i + r, edge);
      }
      if (epilogue != null) for (int r = 0; r < rows; r++) epilogue.apply(c, c0 + r * ldc, c0 + r * ldc + nc);
    }
  }

  /**
   * The starting value of an accumulator for C columns [j, j + L) of a row at {@code ci}: the row's
   * bias, plus C's current value when accumulating (columns at or past {@code nc} read as 0).
   */
  private static FloatVector start(float[] c, int ci, int j, int nc, boolean accumulate, float[] rowBias, int row, float[] edge) {
    FloatVector v = FloatVector.broadcast(S, rowBias == null ? 0f : rowBias[row]);
    if (!accumulate) return v;
    if (j + L <= nc) return v.add(FloatVector.fromArray(S, c, ci + j));
    java.util.Arrays.fill(edge, 0f);
    System.arraycopy(c, ci + j, edge, 0, Math.max(0, nc - j));
    return v.add(FloatVector.fromArray(S, edge, 0));
  }

  /** Stores the columns of {@code v} that lie below {@code nc}. */
  private static void store(FloatVector v, float[] c, int ci, int j, int nc, float[] edge) {
    if (j + L <= nc) {
      v.intoArray(c, ci + j);
    } else if (j < nc) {
      v.intoArray(edge, 0);
      System.arraycopy(edge, 0, c, ci + j, nc - j);
    }
  }

  /**
   * Four rows of C in place: {@code C[r][j] = (C[r][j] if accumulating) + bias[r] + Σ_p A(r, p)·panel[p·w + j]}
   * for j < nc, with the 4 × 2-vector tile held in registers across the whole depth.
   */
  private static void direct4(
      float[] panel, int w, int k, float[] a, int a0, int ars, int acs, float[] c, int c0, int ldc, int nc, boolean accumulate,
      float[] rowBias, int row, float[] edge) {
    int a1 = a0 + ars;
    int a2 = a1 + ars;
    int a3 = a2 + ars;
    int r1 = c0 + ldc;
    int r2 = r1 + ldc;
    int r3 = r2 + ldc;
    int j = 0;
    for (; j + 2 * L <= w; j += 2 * L) {
      FloatVector c00 = start(c, c0, j, nc, accumulate, rowBias, row, edge);
      FloatVector c01 = start(c, c0, j + L, nc, accumulate, rowBias, row, edge);
      FloatVector c10 = start(c, r1, j, nc, accumulate, rowBias, row + 1, edge);
      FloatVector c11 = start(c, r1, j + L, nc, accumulate, rowBias, row + 1, edge);
      FloatVector c20 = start(c, r2, j, nc, accumulate, rowBias, row + 2, edge);
      FloatVector c21 = start(c, r2, j + L, nc, accumulate, rowBias, row + 2, edge);
      FloatVector c30 = start(c, r3, j, nc, accumulate, rowBias, row + 3, edge);
      FloatVector c31 = start(c, r3, j + L, nc, accumulate, rowBias, row + 3, edge);
      for (int p = 0, bp = j; p < k; p++, bp += w) {
        FloatVector b0 = FloatVector.fromArray(S, panel, bp);
        FloatVector b1 = FloatVector.fromArray(S, panel, bp + L);
        int ap = p * acs;
        FloatVector x = FloatVector.broadcast(S, a[a0 + ap]);
        c00 = x.fma(b0, c00);
        c01 = x.fma(b1, c01);
        x = FloatVector.broadcast(S, a[a1 + ap]);
        c10 = x.fma(b0, c10);
        c11 = x.fma(b1, c11);
        x = FloatVector.broadcast(S, a[a2 + ap]);
        c20 = x.fma(b0, c20);
        c21 = x.fma(b1, c21);
        x = FloatVector.broadcast(S, a[a3 + ap]);
        c30 = x.fma(b0, c30);
        c31 = x.fma(b1, c31);
      }
      store(c00, c, c0, j, nc, edge);
      store(c01, c, c0, j + L, nc, edge);
      store(c10, c, r1, j, nc, edge);
      store(c11, c, r1, j + L, nc, edge);
      store(c20, c, r2, j, nc, edge);
      store(c21, c, r2, j + L, nc, edge);
      store(c30, c, r3, j, nc, edge);
      store(c31, c, r3, j + L, nc, edge);
    }
    if (j < w) {
      FloatVector v0 = start(c, c0, j, nc, accumulate, rowBias, row, edge);
      FloatVector v1 = start(c, r1, j, nc, accumulate, rowBias, row + 1, edge);
      FloatVector v2 = start(c, r2, j, nc, accumulate, rowBias, row + 2, edge);
      FloatVector v3 = start(c, r3, j, nc, accumulate, rowBias, row + 3, edge);
      for (int p = 0, bp = j; p < k; p++, bp += w) {
        FloatVector b0 = FloatVector.fromArray(S, panel, bp);
        int ap = p * acs;
        v0 = FloatVector.broadcast(S, a[a0 + ap]).fma(b0, v0);
        v1 = FloatVector.broadcast(S, a[a1 + ap]).fma(b0, v1);
        v2 = FloatVector.broadcast(S, a[a2 + ap]).fma(b0, v2);
        v3 = FloatVector.broadcast(S, a[a3 + ap]).fma(b0, v3);
      }
      store(v0, c, c0, j, nc, edge);
      store(v1, c, r1, j, nc, edge);
      store(v2, c, r2, j, nc, edge);
      store(v3, c, r3, j, nc, edge);
    }
  }

  /** One row of C in place, as {@link #direct4}, four vectors at a time then one (a GEMV streams B). */
  private static void direct1(
      float[] panel, int w, int k, float[] a, int a0, int acs, float[] c, int ci, int nc, boolean accumulate, float[] rowBias, int row,
      float[] edge) {
    int j = 0;
    for (; j + 4 * L <= w; j += 4 * L) {
      FloatVector v0 = start(c, ci, j, nc, accumulate, rowBias, row, edge);
      FloatVector v1 = start(c, ci, j + L, nc, accumulate, rowBias, row, edge);
      FloatVector v2 = start(c, ci, j + 2 * L, nc, accumulate, rowBias, row, edge);
      FloatVector v3 = start(c, ci, j + 3 * L, nc, accumulate, rowBias, row, edge);
      for (int p = 0, bp = j; p < k; p++, bp += w) {
        FloatVector x = FloatVector.broadcast(S, a[a0 + p * acs]);
        v0 = x.fma(FloatVector.fromArray(S, panel, bp), v0);
        v1 = x.fma(FloatVector.fromArray(S, panel, bp + L), v1);
        v2 = x.fma(FloatVector.fromArray(S, panel, bp + 2 * L), v2);
        v3 = x.fma(FloatVector.fromArray(S, panel, bp + 3 * L), v3);
      }
      store(v0, c, ci, j, nc, edge);
      store(v1, c, ci, j + L, nc, edge);
      store(v2, c, ci, j + 2 * L, nc, edge);
      store(v3, c, ci, j + 3 * L, nc, edge);
    }
    for (; j < w; j += L) {
      FloatVector v0 = start(c, ci, j, nc, accumulate, rowBias, row, edge);
      for (int p = 0, bp = j; p < k; p++, bp += w) v0 = FloatVector.broadcast(S, a[a0 + p * acs]).fma(FloatVector.fromArray(S, panel, bp), v0);
      store(v0, c, ci, j, nc, edge);
    }
  }

  /** {@code panel[p·w + j] = B(p, n0 + j)} for j < nc, zero for nc ≤ j < w. */
  private static void pack(Gemm.Panel b, int k, int n0, int nc, int w, float[] panel) {
    if (nc == w) {
      b.pack(panel, 0, k, n0, nc);
      return;
    }
    // Packed at width nc, then spread to width w from the last row back (in place, no overlap hazard).
    b.pack(panel, 0, k, n0, nc);
    for (int p = k - 1; p >= 0; p--) {
      System.arraycopy(panel, p * nc, panel, p * w, nc);
      java.util.Arrays.fill(panel, p * w + nc, p * w + w, 0f);
    }
  }

  /**
   * {@link PackedMatrix#multiply} on its padded panels: {@code C[i·ldc + j] = Σ_kk A(i,kk)·B(kk,j)
   * (+ colBias[j])}, then the epilogue on each row, through the same in-place kernels.
   */
  static void multiplyPacked(
      PackedMatrix pm, int m, float[] a, int aOff, int ars, int acs, float[] c, int cOff, int ldc, float[] colBias, Gemm.Epilogue epilogue) {
    int nb = pm.panels.length;
    int k = pm.k;
    int rowGroups = (m + 7) / 8;
    int tasks = nb * rowGroups;
    Parallel.forRange(tasks, (long) m * pm.n * k >= PackedMatrix.PARALLEL_WORK && tasks > 1,
        t -> {
          int cb = t % nb;
          int i0 = (t / nb) * 8;
          int i1 = Math.min(m, i0 + 8);
          float[] panel = pm.panels[cb];
          int w = pm.panelWidth[cb];
          int n0 = cb * pm.bw;
          int nc = Math.min(pm.bw, pm.n - n0);
          float[][] scratch = SCRATCH.get();
          if (scratch[1].length < L) scratch[1] = new float[L];
          float[] edge = scratch[1];
          for (int i = i0; i < i1; i += MR) {
            int rows = Math.min(MR, i1 - i);
            int a0 = aOff + i * ars;
            int c0 = cOff + i * ldc + n0;
            if (rows == MR) direct4(panel, w, k, a, a0, ars, acs, c, c0, ldc, nc, false, null, 0, edge);
            else for (int r = 0; r < rows; r++) direct1(panel, w, k, a, a0 + r * ars, acs, c, c0 + r * ldc, nc, false, null, 0, edge);
            for (int r = 0; r < rows; r++) {
              int ci = c0 + r * ldc;
              if (colBias != null) for (int j = 0; j < nc; j++) c[ci + j] += colBias[n0 + j];
              if (epilogue != null) epilogue.apply(c, ci, ci + nc);
            }
          }
        });
  }

}

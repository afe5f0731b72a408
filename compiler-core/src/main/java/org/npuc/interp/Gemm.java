package org.npuc.interp;

/**
 * Blocked single-precision matrix product {@code C = A·B (+ C)} for the reference kernels. B is
 * consumed in panels of {@link #KC}×{@link #NC} (read in place when its rows are contiguous,
 * otherwise packed — which is also where convolution does its im2col, block by block); the inner
 * loop updates a contiguous row of C from four rows of the panel, a shape the JIT vectorizes.
 * Tiles of C run in parallel on {@link Parallel}'s workers.
 */
public final class Gemm {
  /** Depth of a B panel. */
  static final int KC = 128;
  /** Width of a B panel (KC·NC floats stay in L2). */
  static final int NC = 512;
  /** Below this many multiply-adds a product runs on the calling thread only. */
  static final long PARALLEL_WORK = 1L << 20;
  /** A packed source (im2col) of at most this many elements is packed once, shared by all tiles. */
  static final long SHARED_PACK = 1L << 18;

  private Gemm() {}

  /** A source of B panels: writes {@code B[k0..k0+kc) × [n0..n0+nc)} into {@code dst} with row length nc. */
  public interface Panel {
    void pack(float[] dst, int k0, int kc, int n0, int nc);

    /** For plain row-major sources: the array B is read from in place, else null. */
    default float[] direct() {
      return null;
    }

    default int directOffset() {
      return 0;
    }

    default int directRowStride() {
      return 0;
    }
  }

  /** B(k, n) = {@code b[off + k·rs + n·cs]}. */
  public static Panel matrix(float[] b, int off, int rs, int cs) {
    return new Panel() {
      @Override
      public void pack(float[] dst, int k0, int kc, int n0, int nc) {
        if (cs == 1) {
          for (int k = 0; k < kc; k++) System.arraycopy(b, off + (k0 + k) * rs + n0, dst, k * nc, nc);
          return;
        }
        for (int j = 0; j < nc; j++) {
          int src = off + k0 * rs + (n0 + j) * cs;
          for (int k = 0; k < kc; k++) dst[k * nc + j] = b[src + k * rs];
        }
      }

      @Override
      public float[] direct() {
        return cs == 1 ? b : null;
      }

      @Override
      public int directOffset() {
        return off;
      }

      @Override
      public int directRowStride() {
        return rs;
      }
    };
  }

  /** B(k, n) = {@code rows[k][n]}: a matrix kept as one array per row. */
  public static Panel rows(float[][] rows) {
    return (dst, k0, kc, n0, nc) -> {
      for (int k = 0; k < kc; k++) System.arraycopy(rows[k0 + k], n0, dst, k * nc, nc);
    };
  }

  /**
   * {@code C[i·ldc + j] (+)= Σ_k A(i,k)·B(k,j)} for i < m, j < n, where A(i,k) =
   * {@code a[aOff + i·ars + k·acs]} and C starts at {@code cOff}.
   */
  public static void multiply(
      int m, int n, int k, float[] a, int aOff, int ars, int acs, Panel b, float[] c, int cOff, int ldc, boolean accumulate) {
    multiply(m, n, k, a, aOff, ars, acs, b, c, cOff, ldc, accumulate, null, null);
  }

  /** What is applied to each finished row of C in place: an activation over {@code d[from, to)}. */
  public interface Epilogue {
    void apply(float[] d, int from, int to);
  }

  /**
   * {@link #multiply} that also adds {@code rowBias[i]} (if not null) to row i of C after its sum
   * and then applies {@code epilogue} (if not null), while the row is still in the scratch row:
   * the same floats as separate bias and activation passes over C, without those passes.
   */
  public static void multiply(
      int m, int n, int k, float[] a, int aOff, int ars, int acs, Panel b, float[] c, int cOff, int ldc, boolean accumulate,
      float[] rowBias, Epilogue epilogue) {
    if (m == 0 || n == 0) return;
    boolean simple = k == 0 || (n == 1 && acs == 1 && b.direct() != null && b.directRowStride() == 1);
    if (simple) {
      if (!accumulate) {
        for (int i = 0; i < m; i++) java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
      }
      if (k > 0) matrixVector(m, k, a, aOff, ars, b.direct(), b.directOffset(), c, cOff, ldc);
      for (int i = 0; i < m; i++) {
        int row = cOff + i * ldc;
        if (rowBias != null) for (int j = row; j < row + n; j++) c[j] += rowBias[i];
        if (epilogue != null) epilogue.apply(c, row, row + n);
      }
      return;
    }
    if (Simd.enabled()) {
      VectorGemm.multiply(m, n, k, a, aOff, ars, acs, b, c, cOff, ldc, accumulate, rowBias, epilogue);
      return;
    }
    // A small packed source (im2col of a late, small layer) is packed once for all tiles, which
    // then split the rows of C only (each tile reads whole, zero-based panel rows).
    float[][] packed = null;
    if (b.direct() == null && (long) k * n <= SHARED_PACK) {
      packed = new float[k][n];
      for (int r = 0; r < k; r++) b.pack(packed[r], r, 1, 0, n);
    }
    // Tiles: column blocks of at most NC, as wide as possible (the vectorized inner loop runs
    // over a block's width, and C2's scalar pre- and post-loops dominate short rows), and rows
    // split until both cores have work; a source that must be packed (im2col) is packed once per
    // column block, so its rows are split only when there are too few column blocks.
    int minBlocks = (n + NC - 1) / NC;
    int nb = packed != null ? n : ((n + minBlocks - 1) / minBlocks + 15) & ~15;
    int colBlocks = (n + nb - 1) / nb;
    int wantRowBlocks = b.direct() == null && packed == null && colBlocks >= 4 ? 1 : Math.max(1, (8 + colBlocks - 1) / colBlocks);
    int mc = Math.max(8, (m + wantRowBlocks - 1) / wantRowBlocks);
    int rowBlocks = (m + mc - 1) / mc;
    int tasks = rowBlocks * colBlocks;
    float[][] shared = packed;
    Parallel.forRange(tasks, (long) m * n * k >= PARALLEL_WORK && tasks > 1,
        t -> {
          int rb = t / colBlocks;
          int cb = t % colBlocks;
          int i0 = rb * mc;
          int i1 = Math.min(m, i0 + mc);
          int n0 = cb * nb;
          int nc = Math.min(nb, n - n0);
          tile(i0, i1, n0, nc, k, a, aOff, ars, acs, b, shared, c, cOff, ldc, accumulate, rowBias, epilogue);
        });
  }

  /** Per-thread B panel rows and C row accumulator, reused across products (no garbage per tile). */
  private static final ThreadLocal<float[][]> PANEL_ROWS = ThreadLocal.withInitial(() -> new float[KC][]);

  private static final ThreadLocal<float[]> ACC_ROW = ThreadLocal.withInitial(() -> new float[NC]);

  private static void tile(
      int i0, int i1, int n0, int nc, int k, float[] a, int aOff, int ars, int acs, Panel b, float[][] packed, float[] c, int cOff, int ldc,
      boolean accumulate, float[] rowBias, Epilogue epilogue) {
    // The panel is packed into one array per row and C rows are accumulated in a scratch row, so
    // that every array in the inner loop is indexed from 0: HotSpot C2 (17) vectorizes
    // acc[j] += a·b[j] but not loops whose indices carry different offsets into arrays that might
    // alias (measured 5-7x slower on AVX2/AVX-512).
    float[][] rows = PANEL_ROWS.get();
    for (int r = 0; packed == null && r < Math.min(KC, k); r++) if (rows[r] == null || rows[r].length < nc) rows[r] = new float[Math.max(nc, NC)];
    float[] acc = ACC_ROW.get();
    if (acc.length < nc) {
      acc = new float[nc];
      ACC_ROW.set(acc);
    }
    for (int p0 = 0; p0 < k; p0 += KC) {
      int kc = Math.min(KC, k - p0);
      float[][] src = rows;
      int base = 0;
      if (packed != null) {
        src = packed;
        base = p0;
      } else {
        for (int r = 0; r < kc; r++) b.pack(rows[r], p0 + r, 1, n0, nc);
      }
      for (int i = i0; i < i1; i++) {
        int ci = cOff + i * ldc + n0;
        // The first panel of a fresh product starts from zero rather than reading C back.
        if (p0 == 0 && !accumulate) java.util.Arrays.fill(acc, 0, nc, 0f);
        else System.arraycopy(c, ci, acc, 0, nc);
        rowKernel(acc, nc, a, aOff + i * ars + p0 * acs, acs, src, base, kc);
        if (p0 + kc >= k) {
          if (rowBias != null) addScalar(acc, nc, rowBias[i]);
          if (epilogue != null) epilogue.apply(acc, 0, nc);
        }
        System.arraycopy(acc, 0, c, ci, nc);
      }
    }
  }

  /** One row of C: {@code acc[0..nc) += Σ_k a_k · rows[k][0..nc)}, four panel rows per pass. */
  private static void rowKernel(float[] acc, int nc, float[] a, int ao, int acs, float[][] rows, int base, int kc) {
    int kk = 0;
    for (; kk + 3 < kc; kk += 4) {
      float a0 = a[ao + kk * acs];
      float a1 = a[ao + (kk + 1) * acs];
      float a2 = a[ao + (kk + 2) * acs];
      float a3 = a[ao + (kk + 3) * acs];
      axpy4(acc, nc, a0, rows[base + kk], a1, rows[base + kk + 1], a2, rows[base + kk + 2], a3, rows[base + kk + 3]);
    }
    for (; kk < kc; kk++) {
      float a0 = a[ao + kk * acs];
      if (a0 != 0f) axpy(acc, nc, a0, rows[base + kk]);
    }
  }

  /** {@code acc[j] += a0·b0[j] + a1·b1[j] + a2·b2[j] + a3·b3[j]}: kept tiny and zero-based so C2 vectorizes it. */
  static void axpy4(float[] acc, int n, float a0, float[] b0, float a1, float[] b1, float a2, float[] b2, float a3, float[] b3) {
    for (int j = 0; j < n; j++) acc[j] += a0 * b0[j] + a1 * b1[j] + a2 * b2[j] + a3 * b3[j];
  }

  /** {@code acc[j] += v}. */
  static void addScalar(float[] acc, int n, float v) {
    for (int j = 0; j < n; j++) acc[j] += v;
  }

  /** {@code acc[j] += a0·b0[j]}. */
  static void axpy(float[] acc, int n, float a0, float[] b0) {
    for (int j = 0; j < n; j++) acc[j] += a0 * b0[j];
  }

  /**
   * {@code C[i·ldc + j] (+)= Σ_k a[aOff + i·lda + k] · b[bOff + j·ldb + k]}: the product with B
   * transposed and few rows (a fully-connected layer at small batch), as dot products over
   * contiguous rows without packing B.
   */
  public static void multiplyTransposedB(
      int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
    Parallel.forRange((n + 63) / 64, (long) m * n * k >= PARALLEL_WORK,
        blk -> {
          int j1 = Math.min(n, blk * 64 + 64);
          for (int i = 0; i < m; i++) {
            for (int j = blk * 64; j < j1; j++) {
              float d = dot(a, aOff + i * lda, b, bOff + j * ldb, k);
              int ci = cOff + i * ldc + j;
              c[ci] = accumulate ? c[ci] + d : d;
            }
          }
        });
  }

  /** {@code c[i·ldc] += a_row_i · v} for a contiguous vector v: a matrix-vector product as row dot products. */
  private static void matrixVector(int m, int k, float[] a, int aOff, int lda, float[] v, int vOff, float[] c, int cOff, int ldc) {
    Parallel.forRange((m + 63) / 64, (long) m * k >= PARALLEL_WORK,
        blk -> {
          int i1 = Math.min(m, blk * 64 + 64);
          for (int i = blk * 64; i < i1; i++) c[cOff + i * ldc] += dot(a, aOff + i * lda, v, vOff, k);
        });
  }

  /** Dot product with eight independent partial sums (keeps the FP pipelines busy). */
  static float dot(float[] x, int xo, float[] y, int yo, int k) {
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
    int i = 0;
    for (; i + 7 < k; i += 8) {
      s0 += x[xo + i] * y[yo + i];
      s1 += x[xo + i + 1] * y[yo + i + 1];
      s2 += x[xo + i + 2] * y[yo + i + 2];
      s3 += x[xo + i + 3] * y[yo + i + 3];
      s4 += x[xo + i + 4] * y[yo + i + 4];
      s5 += x[xo + i + 5] * y[yo + i + 5];
      s6 += x[xo + i + 6] * y[yo + i + 6];
      s7 += x[xo + i + 7] * y[yo + i + 7];
    }
    for (; i < k; i++) s0 += x[xo + i] * y[yo + i];
    return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
  }
}

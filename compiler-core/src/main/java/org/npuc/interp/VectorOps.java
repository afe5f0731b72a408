package org.npuc.interp;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API forms of the float interpreter's non-GEMM kernels (Winograd's transform-domain
 * products, depthwise taps, max pooling, PReLU): explicit vectors read at any array offset, where
 * C2's auto-vectorizer needs zero-based copies, and hold a register tile across a whole sum. Only
 * loaded behind {@link Simd#enabled()}; each method has a plain-Java twin its tests compare with.
 */
public final class VectorOps {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  private VectorOps() {}

  /**
   * {@code c[cOff + i·n + j] = Σ_kk a[aOff + i·lda + kk]·b[kk][j]} for i < m, j < n: a register
   * tile of 4 rows × 2 vectors accumulates over the whole k loop by fused multiply-adds (so the
   * sum is rounded once per step, not twice as in a separate multiply and add).
   */
  static void product(int m, int n, int k, float[] a, int aOff, int lda, float[][] b, float[] c, int cOff) {
    int i = 0;
    for (; i + 3 < m; i += 4) {
      int a0 = aOff + i * lda;
      int a1 = a0 + lda;
      int a2 = a1 + lda;
      int a3 = a2 + lda;
      int j = 0;
      for (; j + 2 * L <= n; j += 2 * L) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        for (int kk = 0; kk < k; kk++) {
          float[] row = b[kk];
          FloatVector b0 = FloatVector.fromArray(S, row, j);
          FloatVector b1 = FloatVector.fromArray(S, row, j + L);
          FloatVector v = FloatVector.broadcast(S, a[a0 + kk]);
          c00 = v.fma(b0, c00);
          c01 = v.fma(b1, c01);
          v = FloatVector.broadcast(S, a[a1 + kk]);
          c10 = v.fma(b0, c10);
          c11 = v.fma(b1, c11);
          v = FloatVector.broadcast(S, a[a2 + kk]);
          c20 = v.fma(b0, c20);
          c21 = v.fma(b1, c21);
          v = FloatVector.broadcast(S, a[a3 + kk]);
          c30 = v.fma(b0, c30);
          c31 = v.fma(b1, c31);
        }
        int o = cOff + i * n + j;
        c00.intoArray(c, o);
        c01.intoArray(c, o + L);
        c10.intoArray(c, o + n);
        c11.intoArray(c, o + n + L);
        c20.intoArray(c, o + 2 * n);
        c21.intoArray(c, o + 2 * n + L);
        c30.intoArray(c, o + 3 * n);
        c31.intoArray(c, o + 3 * n + L);
      }
      // The last columns: one more vector ending at n, overlapping columns already done (they get
      // the same floats again; masked loads are slow in JDK 17), or scalar rows when n < L.
      for (; j < n; j = Math.min(j + L, n)) {
        if (n < L) {
          scalarRows(i, 4, n, k, a, aOff, lda, b, c, cOff);
          break;
        }
        int jj = Math.min(j, n - L);
        FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S), c2 = FloatVector.zero(S), c3 = FloatVector.zero(S);
        for (int kk = 0; kk < k; kk++) {
          FloatVector bv = FloatVector.fromArray(S, b[kk], jj);
          c0 = FloatVector.broadcast(S, a[a0 + kk]).fma(bv, c0);
          c1 = FloatVector.broadcast(S, a[a1 + kk]).fma(bv, c1);
          c2 = FloatVector.broadcast(S, a[a2 + kk]).fma(bv, c2);
          c3 = FloatVector.broadcast(S, a[a3 + kk]).fma(bv, c3);
        }
        int o = cOff + i * n + jj;
        c0.intoArray(c, o);
        c1.intoArray(c, o + n);
        c2.intoArray(c, o + 2 * n);
        c3.intoArray(c, o + 3 * n);
      }
    }
    if (i < m) scalarRows(i, m - i, n, k, a, aOff, lda, b, c, cOff);
  }

  /** Rows {@code [i0, i0 + rows)} of {@link #product} one element at a time, with the same fused steps. */
  private static void scalarRows(int i0, int rows, int n, int k, float[] a, int aOff, int lda, float[][] b, float[] c, int cOff) {
    for (int i = i0; i < i0 + rows; i++) {
      for (int j = 0; j < n; j++) {
        float acc = 0f;
        for (int kk = 0; kk < k; kk++) acc = Math.fma(a[aOff + i * lda + kk], b[kk][j], acc);
        c[cOff + i * n + j] = acc;
      }
    }
  }

  /**
   * One depthwise output plane, "wide" as in {@code ConvKernels.depthwisePlane}: {@code acc[i] =
   * init + Σ_t w[t]·q[off[t] + i]} for i < n, every tap added to a register in tap order by a
   * separate multiply and add (the same floats as the per-tap axpy passes). Reads
   * {@code q[off[t] + i]} for every i < n, so q must be that long.
   */
  static void depthwiseWide(float[] q, int[] off, float[] w, int wOff, int taps, float init, float[] acc, int n) {
    if (n < L) {
      for (int i = 0; i < n; i++) {
        float s = init;
        for (int t = 0; t < taps; t++) s += q[off[t] + i] * w[wOff + t];
        acc[i] = s;
      }
      return;
    }
    FloatVector bias = FloatVector.broadcast(S, init);
    // The last vector ends at n, overlapping the one before (same inputs, same floats): no masks.
    for (int i = 0; i < n; i = Math.min(i + L, n)) {
      int ii = Math.min(i, n - L);
      FloatVector s = bias;
      for (int t = 0; t < taps; t++) s = s.add(FloatVector.fromArray(S, q, off[t] + ii).mul(w[wOff + t]));
      s.intoArray(acc, ii);
    }
  }

  /** {@code acc[ao + i] = max(acc[ao + i], v[vo + i])} for i < n (the same floats as Math.max). */
  static void maxInto(float[] acc, int ao, float[] v, int vo, int n) {
    int i = 0;
    for (int e = S.loopBound(n); i < e; i += L) {
      FloatVector.fromArray(S, acc, ao + i).max(FloatVector.fromArray(S, v, vo + i)).intoArray(acc, ao + i);
    }
    for (; i < n; i++) acc[ao + i] = Math.max(acc[ao + i], v[vo + i]);
  }

  /** {@code out[oo + i] = x >= 0 ? x : k·x} with x = {@code in[io + i]}, i < n (exactly the select). */
  public static void prelu(float[] in, int io, float[] out, int oo, int n, float k) {
    int i = 0;
    for (int e = S.loopBound(n); i < e; i += L) {
      FloatVector x = FloatVector.fromArray(S, in, io + i);
      x.mul(k).blend(x, x.compare(VectorOperators.GE, 0f)).intoArray(out, oo + i);
    }
    for (; i < n; i++) {
      float x = in[io + i];
      out[oo + i] = x >= 0 ? x : k * x;
    }
  }

  /**
   * Winograd F(2×2, 3×3)'s output transform {@code Aᵀ·M·A} for n tiles at once: tile i reads
   * {@code m[ξ][base + i]} and gets its 2×2 outputs in {@code y00, y01, y10, y11[i]}, by the same
   * additions in the same order as the scalar transform.
   */
  static void winogradOutput(float[][] m, int base, int n, float[] y00, float[] y01, float[] y10, float[] y11) {
    int i = 0;
    if (n >= L) {
      for (; i < n; i = Math.min(i + L, n)) {
        int ii = Math.min(i, n - L);
        // Column j of M: s0j = m0j + m1j + m2j, s1j = m1j - m2j - m3j (locals: arrays of vectors box).
        int o = base + ii;
        FloatVector a0 = FloatVector.fromArray(S, m[4], o), a1 = FloatVector.fromArray(S, m[8], o);
        FloatVector s00 = FloatVector.fromArray(S, m[0], o).add(a0).add(a1);
        FloatVector s10 = a0.sub(a1).sub(FloatVector.fromArray(S, m[12], o));
        a0 = FloatVector.fromArray(S, m[5], o);
        a1 = FloatVector.fromArray(S, m[9], o);
        FloatVector s01 = FloatVector.fromArray(S, m[1], o).add(a0).add(a1);
        FloatVector s11 = a0.sub(a1).sub(FloatVector.fromArray(S, m[13], o));
        a0 = FloatVector.fromArray(S, m[6], o);
        a1 = FloatVector.fromArray(S, m[10], o);
        FloatVector s02 = FloatVector.fromArray(S, m[2], o).add(a0).add(a1);
        FloatVector s12 = a0.sub(a1).sub(FloatVector.fromArray(S, m[14], o));
        a0 = FloatVector.fromArray(S, m[7], o);
        a1 = FloatVector.fromArray(S, m[11], o);
        FloatVector s03 = FloatVector.fromArray(S, m[3], o).add(a0).add(a1);
        FloatVector s13 = a0.sub(a1).sub(FloatVector.fromArray(S, m[15], o));
        s00.add(s01).add(s02).intoArray(y00, ii);
        s01.sub(s02).sub(s03).intoArray(y01, ii);
        s10.add(s11).add(s12).intoArray(y10, ii);
        s11.sub(s12).sub(s13).intoArray(y11, ii);
      }
      return;
    }
    float[] s = new float[8];
    for (; i < n; i++) {
      for (int j = 0; j < 4; j++) {
        float m0 = m[j][base + i];
        float m1 = m[4 + j][base + i];
        float m2 = m[8 + j][base + i];
        float m3 = m[12 + j][base + i];
        s[j] = m0 + m1 + m2;
        s[4 + j] = m1 - m2 - m3;
      }
      y00[i] = s[0] + s[1] + s[2];
      y01[i] = s[1] - s[2] - s[3];
      y10[i] = s[4] + s[5] + s[6];
      y11[i] = s[5] - s[6] - s[7];
    }
  }
}

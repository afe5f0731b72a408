package org.npuc.interp;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API forms of the float interpreter's non-GEMM kernels (depthwise taps, max pooling,
 * PReLU, Winograd's output transform): explicit vectors read at any array offset, where
 * C2's auto-vectorizer needs zero-based copies, and hold a register tile across a whole sum. Only
 * loaded behind {@link Simd#enabled()}; each method has a plain-Java twin its tests compare with.
 */
public final class VectorOps {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  private VectorOps() {}

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

package org.npuc.transforms;

import org.npuc.ir.Tensor;

/**
 * Permutation arithmetic for layout rewrites, with the core {@code transpose} convention
 * {@code out.shape[i] = in.shape[perm[i]]}, and the transpose of a constant tensor.
 */
final class Permutations {
  private Permutations() {}

  /** {@code transpose(transpose(x, first), second) = transpose(x, compose(first, second))}. */
  static int[] compose(int[] first, int[] second) {
    int[] r = new int[second.length];
    for (int i = 0; i < r.length; i++) r[i] = first[second[i]];
    return r;
  }

  static int[] inverse(int[] perm) {
    int[] r = new int[perm.length];
    for (int i = 0; i < perm.length; i++) r[perm[i]] = i;
    return r;
  }

  static boolean isIdentity(int[] perm) {
    for (int i = 0; i < perm.length; i++) if (perm[i] != i) return false;
    return true;
  }

  static boolean isValid(int[] perm) {
    boolean[] seen = new boolean[perm.length];
    for (int p : perm) {
      if (p < 0 || p >= perm.length || seen[p]) return false;
      seen[p] = true;
    }
    return true;
  }

  /**
   * True when transposing a tensor of {@code shape} by {@code perm} keeps the row-major order of
   * its elements (only size-1 dims move), so the transpose is a reshape.
   */
  static boolean isReshape(int[] shape, int[] perm) {
    int last = -1;
    for (int p : perm) {
      if (shape[p] == 1) continue;
      if (shape[p] < 0 || p < last) return false;
      last = p;
    }
    return true;
  }

  static int[] permute(int[] shape, int[] perm) {
    int[] r = new int[perm.length];
    for (int i = 0; i < perm.length; i++) r[i] = shape[perm[i]];
    return r;
  }

  /** The row-major transpose of a float or integer tensor. */
  static Tensor transpose(Tensor t, int[] perm) {
    int[] s = t.shape();
    int[] os = permute(s, perm);
    int[] is = Tensor.strides(s);
    int n = t.size();
    int r = s.length;
    int[] src = new int[n];
    int[] idx = new int[r];
    for (int k = 0; k < n; k++) {
      int off = 0;
      for (int d = 0; d < r; d++) off += idx[d] * is[perm[d]];
      src[k] = off;
      for (int d = r - 1; d >= 0 && ++idx[d] == os[d]; d--) idx[d] = 0;
    }
    if (t.isFloat()) {
      float[] f = t.floats();
      float[] o = new float[n];
      for (int k = 0; k < n; k++) o[k] = f[src[k]];
      Tensor out = Tensor.ofFloats(os, o);
      return t.elementType().equals(out.elementType()) ? out : out.withElementType(t.elementType());
    }
    int[] v = t.ints();
    int[] o = new int[n];
    for (int k = 0; k < n; k++) o[k] = v[src[k]];
    return Tensor.ofInts(os, t.elementType(), o);
  }
}

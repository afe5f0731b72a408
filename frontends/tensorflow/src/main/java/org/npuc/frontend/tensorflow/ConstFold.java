package org.npuc.frontend.tensorflow;

import org.npuc.ir.Tensor;
import org.npuc.ir.type.ScalarType;

/** Small constant computations the importer does itself: layout changes of weights, index lists. */
final class ConstFold {
  private ConstFold() {}

  /** {@code out.shape[i] = in.shape[perm[i]]}, any element type. */
  static Tensor transpose(Tensor t, int[] perm) {
    int[] in = t.shape();
    int r = in.length;
    int[] out = new int[r];
    for (int i = 0; i < r; i++) out[i] = in[perm[i]];
    int[] inStrides = Tensor.strides(in);
    int[] srcStride = new int[r];
    for (int i = 0; i < r; i++) srcStride[i] = inStrides[perm[i]];
    int n = t.size();
    int[] idx = new int[r];
    if (t.isFloat()) {
      float[] src = t.floats();
      float[] dst = new float[n];
      int off = 0;
      for (int k = 0; k < n; k++) {
        dst[k] = src[off];
        off = advance(idx, out, srcStride, off);
      }
      return t.elementType() == ScalarType.F32
          ? Tensor.ofFloats(out, dst)
          : Tensor.ofFloats(out, (ScalarType) t.elementType(), dst);
    }
    int[] src = t.ints();
    int[] dst = new int[n];
    int off = 0;
    for (int k = 0; k < n; k++) {
      dst[k] = src[off];
      off = advance(idx, out, srcStride, off);
    }
    return Tensor.ofInts(out, t.elementType(), dst);
  }

  private static int advance(int[] idx, int[] shape, int[] stride, int off) {
    for (int d = shape.length - 1; d >= 0; d--) {
      idx[d]++;
      off += stride[d];
      if (idx[d] < shape[d]) return off;
      off -= stride[d] * idx[d];
      idx[d] = 0;
    }
    return off;
  }

  /** The elements as longs (integer tensors, or float tensors holding whole numbers). */
  static long[] longs(Tensor t) {
    long[] r = new long[t.size()];
    for (int i = 0; i < r.length; i++) r[i] = t.isFloat() ? (long) t.floats()[i] : t.ints()[i];
    return r;
  }

  static int[] ints(Tensor t) {
    int[] r = new int[t.size()];
    for (int i = 0; i < r.length; i++) r[i] = t.getInt(i);
    return r;
  }

  static Tensor intVector(ScalarType type, int... values) {
    return Tensor.ofInts(new int[] {values.length}, type, values.clone());
  }

  /** Inverse of a permutation. */
  static int[] inverse(int[] perm) {
    int[] inv = new int[perm.length];
    for (int i = 0; i < perm.length; i++) inv[perm[i]] = i;
    return inv;
  }
}

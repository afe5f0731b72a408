package org.npuc.ops;

import org.npuc.interp.ArrayPool;
import org.npuc.ir.Tensor;
import org.npuc.ir.type.ElementType;
import org.npuc.ir.type.ScalarType;
import org.npuc.ir.type.TensorType;
import org.npuc.ir.type.UniformPerAxisType;

/**
 * Element-type-agnostic storage helpers for the data-movement ops (concat, slice, transpose, pad,
 * ...), which copy floats and stored integers alike.
 */
final class Data {
  private Data() {}

  /** The backing array: {@code float[]} or {@code int[]}. */
  static Object array(Tensor t) {
    return t.isFloat() ? t.floats() : t.ints();
  }

  static Object newArray(Tensor like, int n) {
    return like.isFloat() ? ArrayPool.floats(n) : new int[n];
  }

  static Tensor tensor(TensorType t, Object data) {
    if (data instanceof float[] f) {
      Tensor r = Tensor.ofFloats(t.shape(), f);
      return t.elementType() == ScalarType.F32 ? r : r.withElementType(t.elementType());
    }
    return Tensor.ofInts(t.shape(), t.elementType(), (int[]) data);
  }

  /**
   * The element type of a per-axis quantized tensor after its dims moved: {@code newAxis} is
   * where the quantized axis ends up (-1 when it no longer exists, which is an error for the caller).
   */
  static ElementType moveAxis(ElementType e, int newAxis) {
    if (!(e instanceof UniformPerAxisType p) || p.axis() == newAxis) return e;
    return new UniformPerAxisType(p.storageType(), p.expressedType(), newAxis, p.scales(), p.zeroPoints(), p.storageMin(), p.storageMax());
  }

  /**
   * Copies with an index map: for each output element in row-major order, the source index per
   * output dim is {@code maps[d][coord]} (summed), or the fill value when any map entry is -1.
   */
  static void gather(Object src, Object dst, int[] outShape, int[][] maps, float fill) {
    int r = outShape.length;
    int n = (int) Tensor.count(outShape);
    if (n == 0) return;
    if (r == 0) {
      System.arraycopy(src, 0, dst, 0, 1);
      return;
    }
    int[] idx = new int[r];
    int inner = outShape[r - 1];
    int[] last = maps[r - 1];
    float[] fs = src instanceof float[] f ? f : null;
    float[] fd = dst instanceof float[] f ? f : null;
    int[] is = src instanceof int[] i ? i : null;
    int[] id = dst instanceof int[] i ? i : null;
    int ifill = (int) fill;
    for (int o = 0; o < n; o += inner) {
      int base = 0;
      boolean pad = false;
      for (int d = 0; d < r - 1; d++) {
        int m = maps[d][idx[d]];
        if (m < 0) pad = true;
        base += m;
      }
      for (int j = 0; j < inner; j++) {
        int m = last[j];
        boolean p = pad || m < 0;
        if (fd != null) fd[o + j] = p ? fill : fs[base + m];
        else id[o + j] = p ? ifill : is[base + m];
      }
      for (int d = r - 2; d >= 0; d--) {
        if (++idx[d] < outShape[d]) break;
        idx[d] = 0;
      }
    }
  }
}

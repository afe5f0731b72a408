package org.npuc.frontend.tensorflow;

import org.npuc.ir.Value;
import org.npuc.ir.type.TensorType;

/** Builders for converter results and numpy-style shape broadcasting with unknown dims. */
final class Results {
  private Results() {}

  /** A result held in TensorFlow's layout. */
  static TfValue plain(ImportContext ctx, Value v) {
    TfValue t = new TfValue(ctx.node().getName(), v.type().shape(), v.type().elementType());
    t.plain = v;
    return t;
  }

  /** A 4-D NHWC result that the IR holds as NCHW ({@code v} is the NCHW value). */
  static TfValue nchw(ImportContext ctx, Value v) {
    TensorType ty = v.type();
    TfValue t =
        new TfValue(
            ctx.node().getName(), TfValue.permute(ty.shape(), TfValue.TO_NHWC), ty.elementType());
    t.nchw = v;
    return t;
  }

  static TfValue[] one(TfValue v) {
    return new TfValue[] {v};
  }

  /** Numpy broadcasting of two shapes (-1 = unknown); null when they are incompatible. */
  static int[] broadcast(int[] a, int[] b) {
    int r = Math.max(a.length, b.length);
    int[] out = new int[r];
    for (int i = 0; i < r; i++) {
      int da = i < r - a.length ? 1 : a[i - (r - a.length)];
      int db = i < r - b.length ? 1 : b[i - (r - b.length)];
      if (da == db) out[i] = da;
      else if (da == 1) out[i] = db;
      else if (db == 1) out[i] = da;
      else if (da == -1) out[i] = db;
      else if (db == -1) out[i] = da;
      else return null;
    }
    return out;
  }

  /** Normalizes a possibly negative axis; -1 when out of range. */
  static int axis(int axis, int rank) {
    int a = axis < 0 ? axis + rank : axis;
    return a < 0 || a >= rank ? -1 : a;
  }
}

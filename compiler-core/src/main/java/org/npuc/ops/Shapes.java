package org.npuc.ops;

import java.util.Arrays;
import org.npuc.ir.IrException;
import org.npuc.ir.type.TensorType;

/**
 * Shape arithmetic shared by the op definitions, with unknown dimensions (-1) propagating: any
 * formula that reads an unknown dimension yields an unknown dimension.
 */
public final class Shapes {
  public static final int UNKNOWN = TensorType.UNKNOWN;

  private Shapes() {}

  /** The numpy broadcast of two shapes; -1 against 1 or n gives -1 or n. */
  public static int[] broadcast(String op, int[] a, int[] b) {
    int rank = Math.max(a.length, b.length);
    int[] r = new int[rank];
    for (int i = 0; i < rank; i++) {
      int da = i - (rank - a.length) >= 0 ? a[i - (rank - a.length)] : 1;
      int db = i - (rank - b.length) >= 0 ? b[i - (rank - b.length)] : 1;
      if (da == db) r[i] = da;
      else if (da == 1) r[i] = db;
      else if (db == 1) r[i] = da;
      else if (da == UNKNOWN) r[i] = db;
      else if (db == UNKNOWN) r[i] = da;
      else {
        throw new IrException(
            op + ": operand shapes " + text(a) + " and " + text(b) + " are not broadcast-compatible: expected dimension "
                + (i - rank) + " to be equal or 1, got " + da + " and " + db);
      }
    }
    return r;
  }

  /** Normalizes a possibly negative axis against {@code rank}; throws naming the attribute. */
  public static int axis(String op, String attr, long axis, int rank) {
    long a = axis < 0 ? axis + rank : axis;
    if (a < 0 || a >= rank) {
      throw new IrException(op + ": attribute '" + attr + "': expected an axis in [" + -rank + ", " + (rank - 1) + "], got " + axis);
    }
    return (int) a;
  }

  /** Product of dims, or -1 when any is unknown. */
  public static long product(int[] shape, int from, int to) {
    long p = 1;
    for (int i = from; i < to; i++) {
      if (shape[i] == UNKNOWN) return UNKNOWN;
      p *= shape[i];
    }
    return p;
  }

  /** Sliding-window output size {@code floor((in + pads - effectiveKernel) / stride) + 1}; -1 stays -1. */
  public static int windowOut(int in, int padSum, int effKernel, int stride) {
    if (in == UNKNOWN) return UNKNOWN;
    return Math.floorDiv(in + padSum - effKernel, stride) + 1;
  }

  public static String text(int[] shape) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < shape.length; i++) sb.append(i == 0 ? "" : ",").append(shape[i] == UNKNOWN ? "?" : String.valueOf(shape[i]));
    return sb.append(']').toString();
  }

  /** True when the two dims agree or either is unknown. */
  public static boolean compatible(int a, int b) {
    return a == b || a == UNKNOWN || b == UNKNOWN;
  }

  public static int[] concat(int[] a, int[] b) {
    int[] r = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }
}

package org.npuc.interp;

/**
 * Numpy-broadcast elementwise loops over precomputed strides: each operand gets a stride per
 * output dimension (0 where it is stretched), adjacent dimensions that are contiguous for every
 * operand are merged, and the innermost run is a plain loop with fixed strides.
 */
public final class Broadcast {
  public static final int ADD = 0, SUB = 1, MUL = 2, DIV = 3, MAX = 4, MIN = 5, POW = 6;

  private Broadcast() {}

  /** Strides of a row-major tensor of {@code shape} (right-aligned) read over {@code outShape}. */
  public static int[] stridesFor(int[] shape, int[] outShape) {
    int[] s = new int[outShape.length];
    int acc = 1;
    for (int i = outShape.length - 1, j = shape.length - 1; i >= 0; i--, j--) {
      if (j < 0) continue;
      s[i] = shape[j] == 1 && outShape[i] != 1 ? 0 : acc;
      acc *= shape[j];
    }
    return s;
  }

  /**
   * The iteration plan for {@code outShape} and operand strides: merged dims and strides,
   * innermost last. Returns {dims, stridesA, stridesB}.
   */
  static int[][] plan(int[] outShape, int[] sa, int[] sb) {
    int r = outShape.length;
    int[] d = new int[r];
    int[] a = new int[r];
    int[] b = new int[r];
    int n = 0;
    // Walk from the innermost dim outwards, merging when both operands stay contiguous.
    for (int i = r - 1; i >= 0; i--) {
      if (outShape[i] == 1) continue;
      if (n > 0 && sa[i] == a[n - 1] * d[n - 1] && sb[i] == b[n - 1] * d[n - 1]) {
        d[n - 1] *= outShape[i];
        continue;
      }
      d[n] = outShape[i];
      a[n] = sa[i];
      b[n] = sb[i];
      n++;
    }
    if (n == 0) return new int[][] {{1}, {0}, {0}};
    int[][] p = new int[3][n];
    for (int k = 0; k < n; k++) {
      p[0][n - 1 - k] = d[k];
      p[1][n - 1 - k] = a[k];
      p[2][n - 1 - k] = b[k];
    }
    return p;
  }

  /** {@code out = a (op) b} with numpy broadcasting; out has {@code outShape}. */
  public static void binary(int op, float[] a, int[] aShape, float[] b, int[] bShape, float[] out, int[] outShape) {
    int[][] p = plan(outShape, stridesFor(aShape, outShape), stridesFor(bShape, outShape));
    int r = p[0].length;
    int inner = p[0][r - 1];
    int ia = p[1][r - 1];
    int ib = p[2][r - 1];
    int total = out.length;
    Walk w = new Walk(p);
    for (int o = 0; o < total; o += inner) {
      run(op, a, w.ao, ia, b, w.bo, ib, out, o, inner);
      // Advance the outer multi-index (all dims but the innermost).
      w.advance(r - 2);
    }
  }

  /** An odometer over a plan's dims that keeps both operands' offsets in step with it. */
  private static final class Walk {
    private final int[] dims;
    private final int[] sa;
    private final int[] sb;
    private final int[] idx;
    int ao;
    int bo;

    Walk(int[][] plan) {
      dims = plan[0];
      sa = plan[1];
      sb = plan[2];
      idx = new int[dims.length];
    }

    /** Steps the multi-index over dims 0..last (last fastest), wrapping each dim at its end. */
    void advance(int last) {
      for (int k = last; k >= 0; k--) {
        idx[k]++;
        ao += sa[k];
        bo += sb[k];
        if (idx[k] < dims[k]) break;
        ao -= sa[k] * dims[k];
        bo -= sb[k] * dims[k];
        idx[k] = 0;
      }
    }
  }

  private static void run(int op, float[] a, int ao, int sa, float[] b, int bo, int sb, float[] o, int oo, int n) {
    if (sa == 1 && sb == 1) {
      contiguous(op, a, ao, b, bo, o, oo, n);
      return;
    }
    if (sa == 1 && sb == 0 && op != POW) {
      withScalar(op, a, ao, b[bo], o, oo, n);
      return;
    }
    switch (op) {
      case ADD -> {
        for (int i = 0; i < n; i++) o[oo + i] = a[ao + i * sa] + b[bo + i * sb];
      }
      case SUB -> {
        for (int i = 0; i < n; i++) o[oo + i] = a[ao + i * sa] - b[bo + i * sb];
      }
      case MUL -> {
        for (int i = 0; i < n; i++) o[oo + i] = a[ao + i * sa] * b[bo + i * sb];
      }
      case DIV -> {
        for (int i = 0; i < n; i++) o[oo + i] = a[ao + i * sa] / b[bo + i * sb];
      }
      case MAX -> {
        for (int i = 0; i < n; i++) o[oo + i] = Math.max(a[ao + i * sa], b[bo + i * sb]);
      }
      case MIN -> {
        for (int i = 0; i < n; i++) o[oo + i] = Math.min(a[ao + i * sa], b[bo + i * sb]);
      }
      case POW -> {
        for (int i = 0; i < n; i++) o[oo + i] = (float) Math.pow(a[ao + i * sa], b[bo + i * sb]);
      }
      default -> throw new IllegalArgumentException("binary op " + op);
    }
  }

  /** Both operands advance with the output (the common same-shape case); loops the JIT vectorizes. */
  private static void contiguous(int op, float[] a, int ao, float[] b, int bo, float[] o, int oo, int n) {
    switch (op) {
      case ADD -> {
        for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] + b[bo + i];
      }
      case SUB -> {
        for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] - b[bo + i];
      }
      case MUL -> {
        for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] * b[bo + i];
      }
      case DIV -> {
        for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] / b[bo + i];
      }
      case MAX -> {
        for (int i = 0; i < n; i++) o[oo + i] = Math.max(a[ao + i], b[bo + i]);
      }
      case MIN -> {
        for (int i = 0; i < n; i++) o[oo + i] = Math.min(a[ao + i], b[bo + i]);
      }
      default -> {
        for (int i = 0; i < n; i++) o[oo + i] = (float) Math.pow(a[ao + i], b[bo + i]);
      }
    }
  }

  /** The second operand is one value over the whole run (per-channel or scalar operands). */
  private static void withScalar(int op, float[] a, int ao, float v, float[] o, int oo, int n) {
    switch (op) {
      case ADD -> {
        for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] + v;
      }
      case SUB -> {
        for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] - v;
      }
      case MUL -> {
        for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] * v;
      }
      case DIV -> {
        for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] / v;
      }
      case MAX -> {
        for (int i = 0; i < n; i++) o[oo + i] = Math.max(a[ao + i], v);
      }
      default -> {
        for (int i = 0; i < n; i++) o[oo + i] = Math.min(a[ao + i], v);
      }
    }
  }

  /** Integer {@code out = a (op) b} for add/sub/mul/max/min (wrapping 32-bit arithmetic). */
  public static void binaryInt(int op, int[] a, int[] aShape, int[] b, int[] bShape, int[] out, int[] outShape) {
    int[][] p = plan(outShape, stridesFor(aShape, outShape), stridesFor(bShape, outShape));
    int r = p[0].length;
    Walk w = new Walk(p);
    for (int o = 0; o < out.length; o++) {
      int x = a[w.ao];
      int y = b[w.bo];
      out[o] =
          switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case MAX -> Math.max(x, y);
            case MIN -> Math.min(x, y);
            default -> throw new IllegalArgumentException("integer binary op " + op);
          };
      w.advance(r - 1);
    }
  }

  /**
   * Applies {@code x[i] op= v[c]} where c is the index along {@code axis} of a tensor of
   * {@code shape} (per-channel bias, scale), for {@link #ADD} and {@link #MUL}.
   */
  public static void perChannel(int op, float[] x, int[] shape, int axis, float[] v) {
    int outer = 1;
    for (int i = 0; i < axis; i++) outer *= shape[i];
    int c = shape[axis];
    int inner = 1;
    for (int i = axis + 1; i < shape.length; i++) inner *= shape[i];
    int o = 0;
    for (int n = 0; n < outer; n++) {
      for (int k = 0; k < c; k++) {
        float s = v[k];
        if (op == ADD) for (int i = 0; i < inner; i++) x[o + i] += s;
        else for (int i = 0; i < inner; i++) x[o + i] *= s;
        o += inner;
      }
    }
  }
}

package org.npuc.quant;

import java.util.Locale;
import org.npuc.ir.Tensor;

/**
 * Compares integer outputs against two independent references that disagree slightly with each
 * other (e.g. Arm NN's float-requantizing reference and TFLite's XNNPACK). Being bit-exact with
 * neither is expected; the rule is that npuc must not be further off than the references are from
 * each other: (1) the share of elements equal to at least one reference is at least the share on
 * which the references agree; (2) no element is further from its nearer reference than the largest
 * distance between the references; (3) the top-1 class matches wherever the references' top-1s agree.
 */
public final class Agreement {
  private Agreement() {}

  /** The figures of one comparison; {@link #passes()} applies the three rules. */
  public record Result(
      int elements,
      int identicalToEither,
      int identicalToA,
      int identicalToB,
      int refsAgree,
      int maxRefDistance,
      int maxDistanceToNearer,
      int rows,
      int rowsRefsTop1Agree,
      int rowsTop1Match) {

    public double shareIdentical() {
      return elements == 0 ? 1 : (double) identicalToEither / elements;
    }

    public double shareRefsAgree() {
      return elements == 0 ? 1 : (double) refsAgree / elements;
    }

    public boolean passes() {
      return identicalToEither >= refsAgree && maxDistanceToNearer <= maxRefDistance && rowsTop1Match == rowsRefsTop1Agree;
    }

    /** A few lines for the console. */
    public String format() {
      return String.format(
          Locale.ROOT,
          "elements: %d%n"
              + "identical to at least one reference: %d (%.4f); to A: %d, to B: %d%n"
              + "references agree with each other: %d (%.4f)%n"
              + "max distance to the nearer reference: %d units; max distance between references: %d units%n"
              + "top-1 equal where the references' top-1 agree: %d of %d rows (of %d)%n"
              + "verdict: %s",
          elements, identicalToEither, shareIdentical(), identicalToA, identicalToB, refsAgree, shareRefsAgree(),
          maxDistanceToNearer, maxRefDistance, rowsTop1Match, rowsRefsTop1Agree, rows, passes() ? "PASS" : "FAIL");
    }
  }

  /**
   * Compares {@code out} with references {@code a} and {@code b}, all holding the same number of
   * elements; rows for top-1 are the last dimension of {@code out}.
   */
  public static Result compare(Tensor out, Tensor a, Tensor b) {
    int n = out.size();
    if (a.size() != n || b.size() != n) {
      throw new IllegalArgumentException("element counts differ: output " + n + ", references " + a.size() + " and " + b.size());
    }
    int cols = out.rank() == 0 ? 1 : out.dim(-1);
    return compare(values(out), values(a), values(b), cols);
  }

  public static Result compare(long[] o, long[] a, long[] b, int cols) {
    int n = o.length;
    int either = 0, toA = 0, toB = 0, agree = 0, maxRef = 0, maxNear = 0;
    for (int i = 0; i < n; i++) {
      boolean ea = o[i] == a[i], eb = o[i] == b[i];
      if (ea) toA++;
      if (eb) toB++;
      if (ea || eb) either++;
      if (a[i] == b[i]) agree++;
      maxRef = (int) Math.max(maxRef, Math.abs(a[i] - b[i]));
      maxNear = (int) Math.max(maxNear, Math.min(Math.abs(o[i] - a[i]), Math.abs(o[i] - b[i])));
    }
    int rows = cols == 0 ? 0 : n / cols;
    int agreeRows = 0, match = 0;
    for (int r = 0; r < rows; r++) {
      int ta = argmax(a, r * cols, cols), tb = argmax(b, r * cols, cols);
      if (ta == tb) {
        agreeRows++;
        if (argmax(o, r * cols, cols) == ta) match++;
      }
    }
    return new Result(n, either, toA, toB, agree, maxRef, maxNear, rows, agreeRows, match);
  }

  /** Index of the first maximum in {@code v[off, off+len)}. */
  static int argmax(long[] v, int off, int len) {
    int best = 0;
    for (int i = 1; i < len; i++) if (v[off + i] > v[off + best]) best = i;
    return best;
  }

  private static long[] values(Tensor t) {
    long[] r = new long[t.size()];
    if (t.isFloat()) {
      float[] f = t.floats();
      for (int i = 0; i < r.length; i++) {
        if (f[i] != Math.rint(f[i])) throw new IllegalArgumentException("agreement compares integer outputs; got the float " + f[i]);
        r[i] = (long) f[i];
      }
    } else {
      int[] v = t.ints();
      for (int i = 0; i < r.length; i++) r[i] = v[i];
    }
    return r;
  }
}

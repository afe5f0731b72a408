package org.npuc.quant.calib;

import java.util.Arrays;
import java.util.Objects;

/**
 * Range statistics of one tensor over calibration data: finite min/max, counts of NaN and
 * infinities (kept out of everything else), the count of exact zeros (ReLU outputs and images
 * have many; quantiles treat them as a point mass), and a histogram that merges exactly, so that
 * calibration can be sharded and its statistics dumped and reloaded without any change.
 *
 * <p>The histogram has {@code 2·bins} bins of width {@code w = 2^exponent} covering {@code [-bins·w,
 * bins·w)}: value {@code x} falls in signed bin {@code j = floor(x / w)} (stored at {@code j + bins}).
 * Because {@code w} is a power of two, {@code x / w} is exact in double arithmetic and {@code
 * floor(floor(x/w) / 2) = floor(x / 2w)}: doubling the width merges bin pairs {@code (2j, 2j+1)}
 * with no loss, in integer counts. The exponent is always the smallest one (not below {@link
 * #MIN_EXPONENT}) for which {@code maxAbs < bins·2^exponent}, a monotone function of the largest
 * finite magnitude seen. Hence every finite value ends in the bin {@code floor(x / 2^k)} with
 * {@code k} fixed by the whole data's maxAbs, whatever the batching, order or merge tree: two
 * halves merged equal the whole bit for bit. The price is that the data's range fills between half
 * and all of the {@code bins} absolute bins (the occupied part is given by {@link
 * #occupiedAbsBins()}). Nothing needs a second inference pass over the data.
 */
public final class TensorStats {
  /** Default number of bins on each side of zero, i.e. of the absolute-value histogram. */
  public static final int DEFAULT_BINS = 2048;

  /**
   * Smallest bin-width exponent. {@code 2^-170} is below the smallest float subnormal divided by
   * any reasonable bin count, so it only matters for all-zero tensors.
   */
  public static final int MIN_EXPONENT = -170;

  private final int bins;
  private long[] counts;
  private int exponent = MIN_EXPONENT;
  private long finiteCount;
  private long zeroCount;
  private long nanCount;
  private long posInfCount;
  private long negInfCount;
  private double min = Double.POSITIVE_INFINITY;
  private double max = Double.NEGATIVE_INFINITY;

  public TensorStats() {
    this(DEFAULT_BINS);
  }

  /** Empty statistics with {@code bins} bins per side (even, at least 2). */
  public TensorStats(int bins) {
    if (bins < 2 || bins % 2 != 0 || bins > (1 << 24)) {
      throw new IllegalArgumentException("bins must be even and in [2, 2^24], got " + bins);
    }
    this.bins = bins;
    this.counts = new long[2 * bins];
  }

  /** Rebuilds statistics from stored parts (the stats file); checks that they are consistent. */
  static TensorStats restore(
      int bins, int exponent, long[] counts, long zeros, long nan, long posInf, long negInf, double min, double max) {
    TensorStats s = new TensorStats(bins);
    if (counts.length != 2 * bins) throw new IllegalArgumentException("expected " + 2 * bins + " bins, got " + counts.length);
    long n = 0;
    for (long c : counts) {
      if (c < 0) throw new IllegalArgumentException("negative bin count " + c);
      n += c;
    }
    if (nan < 0 || posInf < 0 || negInf < 0) throw new IllegalArgumentException("negative NaN/inf count");
    if (zeros < 0 || zeros > counts[bins]) {
      throw new IllegalArgumentException("zero count " + zeros + " must be in [0, " + counts[bins] + "] (the count of bin 0)");
    }
    if (n > 0) {
      if (!(min <= max) || Double.isInfinite(min) || Double.isInfinite(max)) {
        throw new IllegalArgumentException("min/max must be finite with min <= max, got " + min + ", " + max);
      }
      if (exponent != s.exponentFor(Math.max(Math.abs(min), Math.abs(max)))) {
        throw new IllegalArgumentException("exponent " + exponent + " does not match the range [" + min + ", " + max + "]");
      }
    } else if (exponent != MIN_EXPONENT) {
      throw new IllegalArgumentException("an empty histogram must have exponent " + MIN_EXPONENT);
    }
    s.counts = counts.clone();
    s.exponent = exponent;
    s.finiteCount = n;
    s.zeroCount = zeros;
    s.nanCount = nan;
    s.posInfCount = posInf;
    s.negInfCount = negInf;
    if (n > 0) {
      s.min = min;
      s.max = max;
    }
    return s;
  }

  /** Adds every element of {@code data}. */
  public void add(float[] data) {
    add(data, 0, data.length);
  }

  /** Adds {@code data[from..to)}. NaN and infinities are only counted. */
  public void add(float[] data, int from, int to) {
    double lo = min;
    double hi = max;
    long finite = 0;
    long zeros = 0;
    for (int i = from; i < to; i++) {
      float x = data[i];
      if (Float.isNaN(x)) {
        nanCount++;
      } else if (x == Float.POSITIVE_INFINITY) {
        posInfCount++;
      } else if (x == Float.NEGATIVE_INFINITY) {
        negInfCount++;
      } else {
        // Math.min/max order -0.0 below 0.0, so the result does not depend on the data's order.
        lo = Math.min(lo, x);
        hi = Math.max(hi, x);
        finite++;
        if (x == 0) zeros++;
      }
    }
    if (finite == 0) return;
    min = lo;
    max = hi;
    growTo(exponentFor(Math.max(Math.abs(lo), Math.abs(hi))));
    double inv = Math.scalb(1.0, -exponent); // exact: a power of two within double range
    for (int i = from; i < to; i++) {
      float x = data[i];
      if (Float.isNaN(x) || Float.isInfinite(x)) continue;
      counts[(int) Math.floor(x * inv) + bins]++;
    }
    finiteCount += finite;
    zeroCount += zeros;
  }

  /** Adds {@code other}'s data to this; the result equals having added both datasets here. */
  public void merge(TensorStats other) {
    if (other.bins != bins) {
      throw new IllegalArgumentException("cannot merge statistics with " + bins + " and " + other.bins + " bins");
    }
    long[] theirs = other.counts;
    if (other.exponent < exponent) {
      theirs = coarsen(theirs, other.exponent, exponent);
    } else {
      growTo(other.exponent);
    }
    for (int i = 0; i < counts.length; i++) counts[i] += theirs[i];
    finiteCount += other.finiteCount;
    zeroCount += other.zeroCount;
    nanCount += other.nanCount;
    posInfCount += other.posInfCount;
    negInfCount += other.negInfCount;
    min = Math.min(min, other.min);
    max = Math.max(max, other.max);
  }

  /** A deep copy. */
  public TensorStats copy() {
    TensorStats s = new TensorStats(bins);
    s.merge(this);
    return s;
  }

  /** The smallest exponent k >= MIN_EXPONENT with {@code maxAbs < bins * 2^k}. */
  int exponentFor(double maxAbs) {
    if (maxAbs == 0) return MIN_EXPONENT;
    int k = Math.getExponent(maxAbs) - (31 - Integer.numberOfLeadingZeros(bins));
    while (maxAbs >= Math.scalb((double) bins, k)) k++;
    while (k > MIN_EXPONENT && maxAbs < Math.scalb((double) bins, k - 1)) k--;
    return Math.max(k, MIN_EXPONENT);
  }

  private void growTo(int newExponent) {
    if (newExponent <= exponent) return;
    counts = coarsen(counts, exponent, newExponent);
    exponent = newExponent;
  }

  /** Merges bins from width 2^from to 2^to: signed bin j goes to floor(j / 2^(to-from)). */
  private long[] coarsen(long[] src, int from, int to) {
    int shift = Math.min(to - from, 31);
    long[] dst = new long[src.length];
    for (int i = 0; i < src.length; i++) {
      if (src[i] == 0) continue;
      int j = (i - bins) >> shift; // arithmetic shift is floor division by 2^shift
      dst[j + bins] += src[i];
    }
    return dst;
  }

  /** Bins per side of zero (= bins of the absolute histogram). */
  public int bins() {
    return bins;
  }

  /** log2 of the bin width. */
  public int exponent() {
    return exponent;
  }

  /** The bin width {@code 2^exponent}. */
  public double binWidth() {
    return Math.scalb(1.0, exponent);
  }

  /** Number of finite values seen (the histogram's total). */
  public long count() {
    return finiteCount;
  }

  /** Number of values exactly 0 (or -0); they are also counted in the bin [0, w). */
  public long zeroCount() {
    return zeroCount;
  }

  public long nanCount() {
    return nanCount;
  }

  public long posInfCount() {
    return posInfCount;
  }

  public long negInfCount() {
    return negInfCount;
  }

  /** True when at least one finite value was seen. */
  public boolean hasData() {
    return finiteCount > 0;
  }

  /** Smallest finite value, or NaN when none was seen. */
  public double min() {
    return finiteCount > 0 ? min : Double.NaN;
  }

  /** Largest finite value, or NaN when none was seen. */
  public double max() {
    return finiteCount > 0 ? max : Double.NaN;
  }

  /** Largest finite magnitude, 0 when none was seen. */
  public double maxAbs() {
    return finiteCount > 0 ? Math.max(Math.abs(min), Math.abs(max)) : 0.0;
  }

  /** A copy of the signed histogram: index {@code j + bins} counts {@code [j·w, (j+1)·w)}. */
  public long[] signedCounts() {
    return counts.clone();
  }

  /**
   * The histogram of |x|: bin i counts {@code |x|} in {@code [i·w, (i+1)·w]} (positive values
   * from signed bin i, negative ones from signed bin -(i+1)).
   */
  public long[] absCounts() {
    long[] a = new long[bins];
    for (int i = 0; i < bins; i++) a[i] = counts[bins + i] + counts[bins - 1 - i];
    return a;
  }

  /** One past the last non-empty bin of {@link #absCounts()}; 0 when there is no data. */
  public int occupiedAbsBins() {
    for (int i = bins - 1; i >= 0; i--) {
      if (counts[bins + i] != 0 || counts[bins - 1 - i] != 0) return i + 1;
    }
    return 0;
  }

  /** A one-line note about NaN/inf values, or null when there were none. */
  public String nonFiniteNote() {
    if (nanCount == 0 && posInfCount == 0 && negInfCount == 0) return null;
    return nanCount + " NaN, " + posInfCount + " +inf, " + negInfCount + " -inf (ignored for ranges)";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorStats s
        && s.bins == bins
        && s.exponent == exponent
        && s.finiteCount == finiteCount
        && s.zeroCount == zeroCount
        && s.nanCount == nanCount
        && s.posInfCount == posInfCount
        && s.negInfCount == negInfCount
        && Double.compare(s.min(), min()) == 0
        && Double.compare(s.max(), max()) == 0
        && Arrays.equals(s.counts, counts);
  }

  @Override
  public int hashCode() {
    return Objects.hash(bins, exponent, finiteCount, nanCount, Arrays.hashCode(counts));
  }

  @Override
  public String toString() {
    return "TensorStats{n=" + finiteCount + ", min=" + min() + ", max=" + max() + ", w=2^" + exponent
        + (nonFiniteNote() == null ? "" : ", " + nonFiniteNote()) + "}";
  }
}

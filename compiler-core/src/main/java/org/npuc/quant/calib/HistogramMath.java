package org.npuc.quant.calib;

/**
 * Shared histogram arithmetic for the threshold methods: quantiles with values spread uniformly
 * inside a bin, and moments from bin centres. Everything is a deterministic function of the
 * (exact) histogram, so loaded and live statistics give identical results.
 */
final class HistogramMath {
  private HistogramMath() {}

  /**
   * The value below which a fraction {@code q} of |x| lies, interpolating linearly inside the bin
   * where the cumulative count crosses {@code q·n}; exact zeros are a point mass at 0, the rest of
   * bin 0 spreads over it. Never above maxAbs.
   */
  static double absQuantile(TensorStats s, double q) {
    if (!s.hasData()) return 0;
    long[] a = s.absCounts();
    double w = s.binWidth();
    double target = q * s.count();
    long zeros = s.zeroCount();
    if (target <= zeros) return 0;
    long cum = zeros;
    for (int i = 0; i < a.length; i++) {
      long c = i == 0 ? a[0] - zeros : a[i];
      if (c == 0) continue;
      if (cum + c >= target) {
        double pos = i * w + w * Math.max(0, target - cum) / c;
        return Math.min(pos, s.maxAbs());
      }
      cum += c;
    }
    return s.maxAbs();
  }

  /** The signed quantile {@code q} of x (same interpolation and zeros), within [min, max]. */
  static double signedQuantile(TensorStats s, double q) {
    if (!s.hasData()) return 0;
    long[] c = s.signedCounts();
    int bins = s.bins();
    double w = s.binWidth();
    double target = q * s.count();
    long zeros = s.zeroCount();
    long cum = 0;
    for (int i = 0; i < c.length; i++) {
      long ci = c[i];
      if (i == bins && zeros > 0) {
        // bin [0, w) starts with the point mass at exactly 0
        if (cum + zeros >= target) return Math.min(Math.max(0.0, s.min()), s.max());
        cum += zeros;
        ci -= zeros;
      }
      if (ci == 0) continue;
      if (cum + ci >= target) {
        double pos = (i - bins) * w + w * Math.max(0, target - cum) / ci;
        return Math.min(Math.max(pos, s.min()), s.max());
      }
      cum += ci;
    }
    return s.max();
  }

  /** Centre of signed bin at array index i, pulled inside [min, max] (the end bins are partly empty). */
  static double signedCenter(TensorStats s, int index) {
    double x = (index - s.bins() + 0.5) * s.binWidth();
    return Math.min(Math.max(x, s.min()), s.max());
  }

  /** {mean, mean absolute deviation, standard deviation} from bin centres. */
  static double[] moments(TensorStats s) {
    if (!s.hasData()) return new double[] {0, 0, 0};
    long[] c = s.signedCounts();
    double n = s.count();
    double sum = 0;
    for (int i = 0; i < c.length; i++) if (c[i] != 0) sum += c[i] * signedCenter(s, i);
    double mean = sum / n;
    double abs = 0;
    double sq = 0;
    for (int i = 0; i < c.length; i++) {
      if (c[i] == 0) continue;
      double d = signedCenter(s, i) - mean;
      abs += c[i] * Math.abs(d);
      sq += c[i] * d * d;
    }
    return new double[] {mean, abs / n, Math.sqrt(sq / n)};
  }
}

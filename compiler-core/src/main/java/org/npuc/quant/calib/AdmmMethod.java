package org.npuc.quant.calib;

/**
 * {@code admm(bits=8, iterations=100)}: the scale found by alternating minimization of the
 * quantization error {@code min_{α, q} ||x - α·q||²} with {@code q} integer in {@code [-Q, Q]},
 * {@code Q = 2^(bits-1) - 1}: the projection step of Leng et al., "Extremely Low Bit Neural
 * Network: Squeeze the Last Bit Out with ADMM" (AAAI 2018), which alternates
 *
 * <pre>
 * q ← clamp(round(x / α), -Q, Q)           (best integers for the scale)
 * α ← (Σ x·q) / (Σ q²)                     (least-squares scale for the integers)
 * </pre>
 *
 * from {@code α = max|x| / Q} until q stops changing (or the iteration limit). It runs on the |x|
 * histogram with each bin's count at its centre. Threshold {@code T = Q·α}, capped at max|x|. The
 * BM calibration tool names a method ADMM without publishing its definition; this is the
 * documented formulation npuc uses for that name.
 */
public final class AdmmMethod implements ThresholdMethod {
  private final int bits;
  private final int iterations;

  public AdmmMethod(MethodOptions options) {
    bits = options.getInt("bits", 8, 2, 16);
    iterations = options.getInt("iterations", 100, 1, 100000);
    options.checkAllUsed();
  }

  @Override
  public String name() {
    return "admm";
  }

  @Override
  public String spec() {
    return "admm(bits=" + bits + ",iterations=" + iterations + ")";
  }

  @Override
  public double threshold(TensorStats stats) {
    if (!stats.hasData() || stats.maxAbs() == 0) return 0;
    long[] h = stats.absCounts();
    int m = stats.occupiedAbsBins();
    double w = stats.binWidth();
    double[] x = new double[m];
    for (int i = 0; i < m; i++) x[i] = Math.min((i + 0.5) * w, stats.maxAbs());
    int qmax = (1 << (bits - 1)) - 1;
    double alpha = stats.maxAbs() / qmax;
    long[] q = new long[m];
    for (int it = 0; it < iterations; it++) {
      boolean changed = it == 0;
      for (int i = 0; i < m; i++) {
        long qi = Math.min(qmax, Math.round(x[i] / alpha));
        if (qi != q[i]) changed = true;
        q[i] = qi;
      }
      if (!changed) break;
      double num = 0;
      double den = 0;
      for (int i = 0; i < m; i++) {
        if (h[i] == 0 || q[i] == 0) continue;
        num += h[i] * x[i] * q[i];
        den += (double) h[i] * q[i] * q[i];
      }
      if (den == 0) break; // every value rounds to zero: keep the current scale
      alpha = num / den;
    }
    return Math.min(qmax * alpha, stats.maxAbs());
  }

  /** The objective Σ c·(x - α·clamp(round(x/α)))² for tests and reports. */
  static double error(TensorStats stats, double threshold, int bits) {
    long[] h = stats.absCounts();
    int qmax = (1 << (bits - 1)) - 1;
    double alpha = threshold / qmax;
    double w = stats.binWidth();
    double e = 0;
    for (int i = 0; i < stats.occupiedAbsBins(); i++) {
      double x = Math.min((i + 0.5) * w, stats.maxAbs());
      double d = x - alpha * Math.min(qmax, Math.round(x / alpha));
      e += h[i] * d * d;
    }
    return e;
  }
}

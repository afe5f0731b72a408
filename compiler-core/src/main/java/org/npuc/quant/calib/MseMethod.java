package org.npuc.quant.calib;

/**
 * {@code mse(bits=8)}: the threshold that minimizes the expected squared error of symmetric
 * quantization over the histogram, rounding error inside the range plus clipping error outside:
 *
 * <pre>
 * E(T) = sum_i c_i / w · ( ∫_{[a_i, b_i) ∩ [0, T]} (x - Δ·round(x/Δ))² dx  +  ∫_{[a_i, b_i) ∩ [T, ∞)} (x - T)² dx ),
 * Δ = T / (2^(bits-1) - 1)
 * </pre>
 *
 * over the |x| histogram (bin i = [a_i, b_i) of width w, count c_i), values taken as uniformly
 * spread inside a bin. Both integrals are exact: with {@code k = round(x/Δ)}, {@code s = x - kΔ},
 * {@code ∫_0^x (u - Δ·round(u/Δ))² du = k·Δ³/12 + s³/3}. Candidates are every bin edge {@code j·w}
 * up to the occupied range, and max|x|; the smallest error wins (the smaller T on ties). This is
 * the criterion of NVIDIA pytorch-quantization's MSE calibrator (which fake-quantizes bin centres),
 * evaluated here in closed form.
 */
public final class MseMethod implements ThresholdMethod {
  private final int bits;

  public MseMethod(MethodOptions options) {
    bits = options.getInt("bits", 8, 2, 16);
    options.checkAllUsed();
  }

  @Override
  public String name() {
    return "mse";
  }

  @Override
  public String spec() {
    return "mse(bits=" + bits + ")";
  }

  @Override
  public double threshold(TensorStats stats) {
    if (!stats.hasData() || stats.maxAbs() == 0) return 0;
    long[] h = stats.absCounts();
    int m = stats.occupiedAbsBins();
    double w = stats.binWidth();
    double bestT = stats.maxAbs();
    double best = expectedError(h, m, w, bestT, bits);
    for (int j = 1; j <= m; j++) {
      double t = j * w;
      if (t >= stats.maxAbs()) break;
      double e = expectedError(h, m, w, t, bits);
      if (e < best || (e == best && t < bestT)) {
        best = e;
        bestT = t;
      }
    }
    return bestT;
  }

  /** E(T) above, summed over bins [0, m), as a total (not divided by the count). */
  static double expectedError(long[] h, int m, double w, double t, int bits) {
    double delta = t / ((1 << (bits - 1)) - 1);
    double sum = 0;
    double fa = 0; // roundingIntegral(a) of the current bin, carried over from the previous bin's b
    for (int i = 0; i < m; i++) {
      double a = i * w;
      double b = a + w;
      double fb = b < t ? roundingIntegral(b, delta) : 0;
      if (h[i] != 0) {
        double err = 0;
        if (a < t) err += (b < t ? fb : roundingIntegral(t, delta)) - fa;
        if (b > t) {
          double lo = Math.max(a, t) - t;
          double hi = b - t;
          err += (hi * hi * hi - lo * lo * lo) / 3;
        }
        sum += h[i] * err / w;
      }
      fa = fb;
    }
    return sum;
  }

  /** ∫_0^x (u - Δ·round(u/Δ))² du for x >= 0. */
  static double roundingIntegral(double x, double delta) {
    double k = Math.rint(x / delta);
    double s = x - k * delta;
    return k * delta * delta * delta / 12 + s * s * s / 3;
  }
}

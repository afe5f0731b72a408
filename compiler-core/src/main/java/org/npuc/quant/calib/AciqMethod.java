package org.npuc.quant.calib;

import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code aciq(prior=laplace|gaussian, bits=8)}: analytical clipping (Banner, Nahshan, Soudry,
 * "Post training 4-bit quantization of convolutional networks for rapid-deployment", NeurIPS
 * 2019; arXiv 1810.05723 "ACIQ"). The tensor is modelled as Laplace(μ, b) or Normal(μ, σ) and the
 * clipping value α minimizes the expected error of M-bit uniform quantization of {@code [μ-α,
 * μ+α]}:
 *
 * <pre>
 * Laplace:  E(α) = 2b²·e^(-α/b) + α²/(3·4^M)
 * Gaussian: E(α) = (α² + σ²)·(1 - erf(α/(√2σ))) - √(2/π)·α·σ·e^(-α²/(2σ²)) + α²/(3·4^M)
 * </pre>
 *
 * giving α = c_M·b or c_M·σ with c solved numerically once per M (published values: Laplace 2.83,
 * 3.89, 5.03 for M = 2, 3, 4 and 9.89 for M = 8; Gaussian 1.71, 2.15, 2.55 and 3.92). μ, b =
 * mean |x - μ| and σ are fitted from the histogram (bin centres). Symmetric threshold {@code T =
 * min(max|x|, |μ| + α)}; asymmetric range {@code [max(min, μ-α), min(max, μ+α)]}.
 */
public final class AciqMethod implements ThresholdMethod {
  private static final ConcurrentHashMap<String, Double> COEFFICIENTS = new ConcurrentHashMap<>();

  private final String prior;
  private final int bits;

  public AciqMethod(MethodOptions options) {
    prior = options.getChoice("prior", "laplace", "gaussian");
    bits = options.getInt("bits", 8, 1, 16);
    options.checkAllUsed();
  }

  @Override
  public String name() {
    return "aciq";
  }

  @Override
  public String spec() {
    return "aciq(prior=" + prior + ",bits=" + bits + ")";
  }

  /** α for the fitted distribution of {@code stats}. */
  public double alpha(TensorStats stats) {
    double[] mom = HistogramMath.moments(stats);
    double scale = prior.equals("laplace") ? mom[1] : mom[2];
    return coefficient(prior, bits) * scale;
  }

  @Override
  public double threshold(TensorStats stats) {
    if (!stats.hasData()) return 0;
    double mean = HistogramMath.moments(stats)[0];
    return Math.min(stats.maxAbs(), Math.abs(mean) + alpha(stats));
  }

  @Override
  public ClipRange range(TensorStats stats) {
    if (!stats.hasData()) return new ClipRange(0, 0);
    double mean = HistogramMath.moments(stats)[0];
    double a = alpha(stats);
    double lo = Math.max(stats.min(), mean - a);
    double hi = Math.min(stats.max(), mean + a);
    return new ClipRange(Math.min(lo, hi), hi);
  }

  /** c_M: the α minimizing E(α) for unit b (Laplace) or unit σ (Gaussian). */
  public static double coefficient(String prior, int bits) {
    return COEFFICIENTS.computeIfAbsent(prior + bits, key -> minimize(prior, bits));
  }

  /** Expected squared error E(α) for unit scale. */
  static double expectedError(String prior, int bits, double alpha) {
    double quant = alpha * alpha / (3 * Math.pow(4, bits));
    if (prior.equals("laplace")) return 2 * Math.exp(-alpha) + quant;
    double clip = (alpha * alpha + 1) * erfc(alpha / Math.sqrt(2))
        - Math.sqrt(2 / Math.PI) * alpha * Math.exp(-alpha * alpha / 2);
    return clip + quant;
  }

  /** Golden-section search on [0, 64]; E is unimodal in α for both priors. */
  private static double minimize(String prior, int bits) {
    double lo = 0;
    double hi = 64;
    double g = (Math.sqrt(5) - 1) / 2;
    double x1 = hi - g * (hi - lo);
    double x2 = lo + g * (hi - lo);
    double f1 = expectedError(prior, bits, x1);
    double f2 = expectedError(prior, bits, x2);
    for (int it = 0; it < 200 && hi - lo > 1e-12; it++) {
      if (f1 <= f2) {
        hi = x2;
        x2 = x1;
        f2 = f1;
        x1 = hi - g * (hi - lo);
        f1 = expectedError(prior, bits, x1);
      } else {
        lo = x1;
        x1 = x2;
        f1 = f2;
        x2 = lo + g * (hi - lo);
        f2 = expectedError(prior, bits, x2);
      }
    }
    return (lo + hi) / 2;
  }

  /**
   * Complementary error function with relative error below 1.2e-7 (the Chebyshev-fitted form in
   * Numerical Recipes, "erfcc"); the JDK has none.
   */
  static double erfc(double x) {
    double z = Math.abs(x);
    double t = 1 / (1 + 0.5 * z);
    double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
        + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
        + t * (-0.82215223 + t * 0.17087277)))))))));
    return x >= 0 ? r : 2 - r;
  }
}

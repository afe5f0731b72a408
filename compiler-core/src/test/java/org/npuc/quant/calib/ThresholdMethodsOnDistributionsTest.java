package org.npuc.quant.calib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Every method on synthetic distributions whose right answer is known in closed form. */
class ThresholdMethodsOnDistributionsTest {
  private static final int N = 1_000_000;

  private static double maxAbs(float[] x) {
    double m = 0;
    for (float v : x) m = Math.max(m, Math.abs(v));
    return m;
  }

  private static double threshold(String spec, TensorStats s) {
    return ThresholdMethods.parse(spec).threshold(s);
  }

  @Test
  void uniformDataMaxAndPercentileGiveTheMax() {
    float[] x = Samples.uniform(1, N, -1, 1);
    TensorStats s = Samples.stats(x);
    assertEquals(maxAbs(x), threshold("max", s), 0.0);
    assertEquals(maxAbs(x), threshold("percentile(p=100)", s), 0.0);
    // the 99.99th percentile of |U(-1,1)| is 0.9999
    assertEquals(0.9999, threshold("percentile", s), 2e-4);
    // a uniform distribution has no tail worth clipping: the divergence searches keep the range
    for (String m : List.of("kl", "symkl", "jsd", "kl(stride=1)")) assertEquals(maxAbs(x), threshold(m, s), 1e-3, m);
    assertEquals(maxAbs(x), threshold("admm", s), 1e-3);
  }

  @Test
  void mseOnUniformDataHitsTheAnalyticOptimum() {
    // |x| ~ U(0,1): E(T) = T·Δ²/12 + (1-T)³/3 with Δ = T/127; dE/dT = 0 gives 1 - T = T/254, T = 254/255
    TensorStats s = Samples.stats(Samples.uniform(2, N, -1, 1));
    assertEquals(254.0 / 255.0, threshold("mse", s), 1e-3);
    // and with 4 bits (Δ = T/7): 1 - T = T/14, T = 14/15
    assertEquals(14.0 / 15.0, threshold("mse(bits=4)", s), 2e-3);
  }

  @Test
  void aciqCoefficientsMatchThePublishedValues() {
    // Banner et al. 2019: Laplace 2.83b, 3.89b, 5.03b (2, 3, 4 bits), 9.89b (8 bits);
    // Gaussian 1.71σ, 2.15σ, 2.55σ (2, 3, 4 bits), 3.92σ (8 bits)
    assertEquals(2.83, AciqMethod.coefficient("laplace", 2), 0.005);
    assertEquals(3.89, AciqMethod.coefficient("laplace", 3), 0.01);
    assertEquals(5.03, AciqMethod.coefficient("laplace", 4), 0.005);
    assertEquals(9.89, AciqMethod.coefficient("laplace", 8), 0.01);
    assertEquals(1.71, AciqMethod.coefficient("gaussian", 2), 0.005);
    assertEquals(2.15, AciqMethod.coefficient("gaussian", 3), 0.005);
    assertEquals(2.55, AciqMethod.coefficient("gaussian", 4), 0.01);
    assertEquals(3.92, AciqMethod.coefficient("gaussian", 8), 0.005);
  }

  @Test
  void aciqGaussianEqualsTheClosedFormOnAGaussianSample() {
    float[] x = Samples.gaussian(3, N, 0.25, 0.5);
    double mean = 0;
    for (float v : x) mean += v;
    mean /= x.length;
    double var = 0;
    for (float v : x) var += (v - mean) * (v - mean);
    double sigma = Math.sqrt(var / x.length);
    TensorStats s = Samples.stats(x);
    double alpha = 3.924 * sigma; // the 8-bit coefficient
    assertEquals(Math.abs(mean) + alpha, threshold("aciq(prior=gaussian)", s), 2e-3 * alpha);
    ClipRange r = ThresholdMethods.parse("aciq(prior=gaussian)").range(s);
    assertEquals(mean - alpha, r.min(), 2e-3 * alpha);
    assertEquals(mean + alpha, r.max(), 2e-3 * alpha);
  }

  @Test
  void mseAndAciqLaplaceAgreeOnALaplaceSample() {
    float[] x = Samples.laplace(4, N, 1.0);
    TensorStats s = Samples.stats(x);
    double mse = threshold("mse", s);
    double aciq = threshold("aciq", s);
    assertEquals(9.89, aciq, 0.1); // b = 1
    // ACIQ's model rounds with 2^M levels and a smooth tail, MSE uses 255 levels and the sample's
    // tail, whose few values beyond 9b move the flat optimum: thresholds within 5%, and ACIQ's
    // threshold costs less than 2% more expected error than the histogram's optimum
    assertEquals(aciq, mse, 0.05 * aciq, "mse " + mse + " vs aciq " + aciq);
    long[] h = s.absCounts();
    int m = s.occupiedAbsBins();
    double eMse = MseMethod.expectedError(h, m, s.binWidth(), mse, 8);
    double eAciq = MseMethod.expectedError(h, m, s.binWidth(), aciq, 8);
    assertTrue(eMse <= eAciq && eAciq < 1.02 * eMse, "E(mse)=" + eMse + " E(aciq)=" + eAciq);
    assertTrue(mse < maxAbs(x) * 0.8, "both clip the Laplace tail");
  }

  @Test
  void aFewHugeOutliersAreClippedByEveryMethodButMax() {
    float[] x = Samples.gaussian(5, N, 0, 1);
    x[10] = 100f;
    x[20_000] = -100f;
    x[500_000] = 100f;
    TensorStats s = Samples.stats(x);
    assertEquals(100.0, threshold("max", s), 0.0);
    for (String m : List.of("percentile", "kl", "symkl", "jsd", "aciq", "aciq(prior=gaussian)")) {
      double t = threshold(m, s);
      assertTrue(t > 3 && t < 10, m + " gave " + t + ", expected a threshold between 3σ and 10σ");
    }
    // Squared error weighs each outlier by (100 - T)², so MSE clips only part of the way: with the
    // bulk inside the range E(T) ≈ n·(T/127)²/12 + 3·(100 - T)², minimal at T = 300 / (3 + n/(12·127²))
    double n = N - 3;
    double expected = 300 / (3 + n / (12.0 * 127 * 127));
    assertEquals(expected, threshold("mse", s), 0.03 * expected);
  }

  @Test
  void admmReachesAFixedPointThatDoesNotIncreaseItsObjective() {
    TensorStats s = Samples.stats(Samples.laplace(6, N, 1.0));
    double t = threshold("admm", s);
    assertTrue(t < s.maxAbs(), "laplace: admm clips the tail, got " + t);
    assertTrue(AdmmMethod.error(s, t, 8) <= AdmmMethod.error(s, s.maxAbs(), 8));
    // one more alternation step from the result changes nothing
    assertEquals(t, threshold("admm(iterations=1000)", s), 1e-12 * t);
  }

  @Test
  void oneSidedDataGivesOneSidedRanges() {
    float[] relu = Samples.uniform(7, N, 0, 6);
    TensorStats s = Samples.stats(relu);
    for (ThresholdMethod m : ThresholdMethods.all()) {
      ClipRange r = m.range(s);
      assertTrue(r.min() >= 0 && r.min() < 0.01, m.spec() + " min " + r.min());
      assertTrue(r.max() > 5.9 && r.max() <= 6, m.spec() + " max " + r.max());
      assertEquals(m.threshold(s), Math.max(-r.min(), r.max()), m.name().equals("percentile") ? 1e-3 : 0.0, m.spec());
    }
  }

  @Test
  void shiftedDataAsymmetricRangesFollowTheData() {
    float[] x = Samples.uniform(8, N, -1, 3);
    TensorStats s = Samples.stats(x);
    ClipRange max = ThresholdMethods.parse("max").range(s);
    assertEquals(s.min(), max.min(), 0.0);
    assertEquals(s.max(), max.max(), 0.0);
    // percentiles 0.01% and 99.99% of U(-1, 3): -1 + 4e-4 and 3 - 4e-4
    ClipRange p = ThresholdMethods.parse("percentile").range(s);
    assertEquals(-0.9996, p.min(), 5e-4);
    assertEquals(2.9996, p.max(), 5e-4);
    // symmetric threshold covers the larger side
    assertEquals(2.9996, threshold("percentile", s), 5e-4);
  }
}

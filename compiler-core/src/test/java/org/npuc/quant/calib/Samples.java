package org.npuc.quant.calib;

import java.util.Random;

/** Seeded synthetic data for the calibration tests. */
final class Samples {
  private Samples() {}

  static float[] uniform(long seed, int n, double lo, double hi) {
    Random r = new Random(seed);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) x[i] = (float) (lo + (hi - lo) * r.nextDouble());
    return x;
  }

  static float[] gaussian(long seed, int n, double mean, double sigma) {
    Random r = new Random(seed);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) x[i] = (float) (mean + sigma * r.nextGaussian());
    return x;
  }

  /** Laplace(0, b) by inverse CDF. */
  static float[] laplace(long seed, int n, double b) {
    Random r = new Random(seed);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      double u = r.nextDouble() - 0.5;
      x[i] = (float) (-b * Math.signum(u) * Math.log(1 - 2 * Math.abs(u)));
    }
    return x;
  }

  static TensorStats stats(float[] x) {
    TensorStats s = new TensorStats();
    s.add(x);
    return s;
  }
}

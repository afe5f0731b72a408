package org.npuc.quant.calib;

/**
 * {@code jsd(levels=128, stride=128, start=128)}: the entropy search of {@link KlMethod} with the
 * Jensen-Shannon divergence {@code JSD(P, Q) = ½·KL(P || M) + ½·KL(Q || M)}, {@code M = (P + Q)/2}
 * (Lin 1991): symmetric and bounded by ln 2. Listed as JSD by the BM calibration tool.
 */
public final class JsdMethod implements ThresholdMethod {
  private final int levels;
  private final int start;
  private final int stride;
  private final boolean dropZeros;

  public JsdMethod(MethodOptions options) {
    levels = options.getInt("levels", 128, 2, 1 << 16);
    stride = options.getInt("stride", 128, 1, 1 << 24);
    start = options.getInt("start", levels, levels, 1 << 24);
    dropZeros = options.getChoice("zeros", "exclude", "include").equals("exclude");
    options.checkAllUsed();
  }

  @Override
  public String name() {
    return "jsd";
  }

  @Override
  public String spec() {
    return "jsd(levels=" + levels + ",stride=" + stride + ",start=" + start + ",zeros=" + (dropZeros ? "exclude" : "include") + ")";
  }

  @Override
  public double threshold(TensorStats stats) {
    return EntropyCalibration.threshold(stats, levels, start, stride, dropZeros, JsdMethod::jensenShannon);
  }

  static double jensenShannon(double[] p, double[] q) {
    double r = 0;
    for (int k = 0; k < p.length; k++) {
      double m = 0.5 * (p[k] + q[k]);
      r += 0.5 * p[k] * Math.log(p[k] / m) + 0.5 * q[k] * Math.log(q[k] / m);
    }
    return r;
  }
}

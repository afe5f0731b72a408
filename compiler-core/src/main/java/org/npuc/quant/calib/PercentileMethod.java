package org.npuc.quant.calib;

/**
 * {@code percentile(p=99.99)}: clips the rarest values. Symmetric threshold {@code T} = the p-th
 * percentile of |x|; asymmetric range = the (100-p)-th and p-th percentiles of x. Within a
 * histogram bin values are taken as uniformly spread (linear interpolation of the cumulative
 * count). As in NVIDIA's pytorch-quantization percentile calibrator and the BM calibration tool's
 * PERCENTILE9999 (whose name gives the default).
 */
public final class PercentileMethod implements ThresholdMethod {
  private final double p;

  public PercentileMethod(MethodOptions options) {
    p = options.getDouble("p", 99.99, 50, 100);
    options.checkAllUsed();
  }

  public double percentile() {
    return p;
  }

  @Override
  public String name() {
    return "percentile";
  }

  @Override
  public String spec() {
    return "percentile(p=" + p + ")";
  }

  @Override
  public double threshold(TensorStats stats) {
    return HistogramMath.absQuantile(stats, p / 100.0);
  }

  @Override
  public ClipRange range(TensorStats stats) {
    if (!stats.hasData()) return new ClipRange(0, 0);
    double lo = HistogramMath.signedQuantile(stats, 1 - p / 100.0);
    double hi = HistogramMath.signedQuantile(stats, p / 100.0);
    return new ClipRange(lo, Math.max(lo, hi));
  }
}

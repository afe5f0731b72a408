package org.npuc.quant.calib;

/**
 * {@code max}: the whole observed range. Symmetric threshold {@code T = max|x|}; asymmetric range
 * {@code [min x, max x]}. The plain min/max calibration of TFLite's converter and of Jacob et al.
 * 2018 (for activations they use moving averages during training; post-training the extremes).
 */
public final class MaxMethod implements ThresholdMethod {
  public MaxMethod(MethodOptions options) {
    options.checkAllUsed();
  }

  @Override
  public String name() {
    return "max";
  }

  @Override
  public String spec() {
    return "max";
  }

  @Override
  public double threshold(TensorStats stats) {
    return stats.maxAbs();
  }

  @Override
  public ClipRange range(TensorStats stats) {
    return stats.hasData() ? new ClipRange(stats.min(), stats.max()) : new ClipRange(0, 0);
  }
}

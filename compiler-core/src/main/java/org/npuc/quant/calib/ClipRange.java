package org.npuc.quant.calib;

/**
 * A calibrated real range {@code [min, max]} for asymmetric quantization (the scheme math adds
 * zero to it when needed). Both ends are finite and {@code min <= max}.
 */
public record ClipRange(double min, double max) {
  public ClipRange {
    if (!(min <= max) || Double.isInfinite(min) || Double.isInfinite(max)) {
      throw new IllegalArgumentException("a range needs finite min <= max, got [" + min + ", " + max + "]");
    }
  }

  /** The observed range of {@code s} cut to {@code [-threshold, threshold]}; [0, 0] without data. */
  public static ClipRange clip(TensorStats s, double threshold) {
    if (!s.hasData()) return new ClipRange(0, 0);
    double lo = Math.max(s.min(), -threshold);
    double hi = Math.min(s.max(), threshold);
    if (lo > hi) {
      // The threshold cuts away all data on one side (e.g. all values above T): keep the cut point.
      return s.min() > threshold ? new ClipRange(threshold, threshold) : new ClipRange(-threshold, -threshold);
    }
    return new ClipRange(lo, hi);
  }
}

package org.npuc.quant.calib;

/**
 * A way to pick a tensor's quantization range from its calibration statistics. Implementations
 * are stateless once constructed (options are fixed at construction) and registered by the name
 * users type in {@link ThresholdMethods}.
 */
public interface ThresholdMethod {
  /** The name users type ({@code kl}, {@code percentile}, ...). */
  String name();

  /** The name with the options in effect, e.g. {@code percentile(p=99.99)}; written in table headers. */
  String spec();

  /**
   * The symmetric threshold {@code T >= 0}: the tensor is quantized over {@code [-T, T]}. Returns 0
   * for a tensor without finite data or with only zeros.
   */
  double threshold(TensorStats stats);

  /**
   * The range for asymmetric quantization. By default the observed {@code [min, max]} clipped to
   * {@code [-T, T]}; methods that have a one-sided definition override it.
   */
  default ClipRange range(TensorStats stats) {
    return ClipRange.clip(stats, threshold(stats));
  }
}

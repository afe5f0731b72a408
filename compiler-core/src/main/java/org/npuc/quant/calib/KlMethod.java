package org.npuc.quant.calib;

/**
 * {@code kl(levels=128, stride=128, start=128)}: TensorRT's entropy calibration. Picks the cut of
 * the |x| histogram whose clipped distribution P loses the least information, {@code KL(P || Q) =
 * sum P·ln(P/Q)}, when re-quantized into {@code levels} levels (Q); see {@link
 * EntropyCalibration} for P, Q and the smoothing. Source: Migacz, "8-bit Inference with TensorRT"
 * (GTC 2017); cuts step by 128 bins as the BM calibration tool does ({@code stride=1} gives
 * TensorRT's search over every bin from 128 on).
 */
public final class KlMethod implements ThresholdMethod {
  private final int levels;
  private final int start;
  private final int stride;
  private final boolean dropZeros;

  public KlMethod(MethodOptions options) {
    levels = options.getInt("levels", 128, 2, 1 << 16);
    stride = options.getInt("stride", 128, 1, 1 << 24);
    start = options.getInt("start", levels, levels, 1 << 24);
    dropZeros = options.getChoice("zeros", "exclude", "include").equals("exclude");
    options.checkAllUsed();
  }

  @Override
  public String name() {
    return "kl";
  }

  @Override
  public String spec() {
    return "kl(levels=" + levels + ",stride=" + stride + ",start=" + start + ",zeros=" + (dropZeros ? "exclude" : "include") + ")";
  }

  @Override
  public double threshold(TensorStats stats) {
    return EntropyCalibration.threshold(stats, levels, start, stride, dropZeros, EntropyCalibration::kl);
  }
}

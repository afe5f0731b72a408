package org.npuc.quant.calib;

/**
 * {@code symkl(levels=128, stride=128, start=128)}: the entropy search of {@link KlMethod} with
 * the symmetric (Jeffreys) divergence {@code KL(P || Q) + KL(Q || P) = sum (P - Q)·ln(P/Q)}, which
 * also penalizes mass that Q puts where P has little. Listed as SYMKL by the BM calibration tool;
 * its exact definition there is not published, this is the textbook symmetrized KL.
 */
public final class SymKlMethod implements ThresholdMethod {
  private final int levels;
  private final int start;
  private final int stride;
  private final boolean dropZeros;

  public SymKlMethod(MethodOptions options) {
    levels = options.getInt("levels", 128, 2, 1 << 16);
    stride = options.getInt("stride", 128, 1, 1 << 24);
    start = options.getInt("start", levels, levels, 1 << 24);
    dropZeros = options.getChoice("zeros", "exclude", "include").equals("exclude");
    options.checkAllUsed();
  }

  @Override
  public String name() {
    return "symkl";
  }

  @Override
  public String spec() {
    return "symkl(levels=" + levels + ",stride=" + stride + ",start=" + start + ",zeros=" + (dropZeros ? "exclude" : "include") + ")";
  }

  @Override
  public double threshold(TensorStats stats) {
    return EntropyCalibration.threshold(stats, levels, start, stride, dropZeros, SymKlMethod::symmetricKl);
  }

  static double symmetricKl(double[] p, double[] q) {
    double r = 0;
    for (int k = 0; k < p.length; k++) r += (p[k] - q[k]) * Math.log(p[k] / q[k]);
    return r;
  }
}

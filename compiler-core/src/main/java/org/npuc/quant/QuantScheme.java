package org.npuc.quant;

import org.npuc.ir.type.ScalarType;
import org.npuc.quant.calib.CalibrationTable;

/**
 * How a target quantizes activations: storage type, symmetric or not, narrow range, power-of-two
 * scales. Turns a calibration table entry into {@link QuantParams}: symmetric schemes use the
 * threshold, asymmetric ones the entry's min/max.
 */
public record QuantScheme(ScalarType storage, boolean symmetric, boolean narrowRange, boolean powerOfTwoScale) {
  /** npuc's default for activations: int8, asymmetric, full range, free scales (as TFLite). */
  public static final QuantScheme DEFAULT_ACTIVATIONS = new QuantScheme(ScalarType.I8, false, false, false);

  public QuantScheme {
    if (!storage.isInteger() || storage == ScalarType.BOOL || storage.bits() > 16) {
      throw new IllegalArgumentException("quantized storage must be an integer type of 2..16 bits, got " + storage);
    }
  }

  public QuantParams params(double threshold, double min, double max) {
    return symmetric
        ? QuantParams.symmetric(threshold, storage, narrowRange, powerOfTwoScale)
        : QuantParams.asymmetric(min, max, storage, narrowRange, powerOfTwoScale);
  }

  public QuantParams params(CalibrationTable.Entry e) {
    return params(e.threshold(), e.min(), e.max());
  }
}

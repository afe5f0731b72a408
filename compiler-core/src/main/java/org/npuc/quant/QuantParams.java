package org.npuc.quant;

import org.npuc.ir.type.ScalarType;
import org.npuc.ir.type.UniformQuantType;

/**
 * Scale and zero point of per-tensor affine quantization, {@code real = scale·(q - zeroPoint)} with
 * {@code q} in {@code [qmin, qmax]}, computed from a calibrated threshold or range. Integer storage
 * of at most 16 bits (int8 and uint8 being the usual ones).
 *
 * <p>Symmetric, from a threshold T: the positive side has {@code P = qmax - zp} steps, {@code scale
 * = T / P}. Signed storage: {@code zp = 0}, {@code [qmin, qmax] = [-128, 127]} or, narrow, {@code
 * [-127, 127]}. Unsigned storage: {@code zp = 2^(bits-1)} (128 for uint8), so the grid is int8's
 * shifted by 128; narrow range drops {@code q = 0}.
 *
 * <p>Asymmetric, from [min, max] (Jacob et al. 2018, TensorFlow's FakeQuant nudging, in double):
 * the range is first widened to contain 0; {@code scale = (max - min)/(qmax - qmin)}, {@code zp =
 * clamp(round(qmin - min/scale), qmin, qmax)} with rounding half away from zero, so that 0 is
 * exactly representable.
 *
 * <p>Power-of-two scales (fixed-point targets): the scale above is rounded up to the next power of
 * two, so the representable range still covers the calibrated one; zp is recomputed from it.
 *
 * <p>An empty range (T = 0, or min = max = 0: an all-zero tensor) gets scale 1 and the symmetric
 * zero point; every scale represents zeros exactly, 1 is npuc's choice.
 */
public record QuantParams(ScalarType storage, double scale, int zeroPoint, int qmin, int qmax) {

  public QuantParams {
    if (!(scale > 0) || Double.isInfinite(scale)) throw new IllegalArgumentException("scale must be positive and finite: " + scale);
    if (qmin >= qmax || zeroPoint < qmin || zeroPoint > qmax) {
      throw new IllegalArgumentException("bad quantized range [" + qmin + ", " + qmax + "] with zero point " + zeroPoint);
    }
  }

  /** Symmetric parameters for the range [-threshold, threshold]. */
  public static QuantParams symmetric(double threshold, ScalarType storage, boolean narrowRange, boolean powerOfTwo) {
    checkThreshold(threshold);
    int[] q = storageRange(storage, narrowRange);
    int zp = storage.isSigned() ? 0 : 1 << (storage.bits() - 1);
    int positiveSteps = q[1] - zp;
    double scale = threshold == 0 ? 1.0 : threshold / positiveSteps;
    if (powerOfTwo) scale = powerOfTwoAtLeast(scale);
    return new QuantParams(storage, scale, zp, q[0], q[1]);
  }

  /** Asymmetric parameters for [min, max] (widened to contain 0). */
  public static QuantParams asymmetric(double min, double max, ScalarType storage, boolean narrowRange, boolean powerOfTwo) {
    if (!(min <= max) || Double.isInfinite(min) || Double.isInfinite(max)) {
      throw new IllegalArgumentException("range must be finite with min <= max: [" + min + ", " + max + "]");
    }
    int[] q = storageRange(storage, narrowRange);
    double lo = Math.min(min, 0);
    double hi = Math.max(max, 0);
    if (hi - lo == 0) return symmetric(0, storage, narrowRange, powerOfTwo);
    double scale = (hi - lo) / ((double) q[1] - q[0]);
    if (powerOfTwo) scale = powerOfTwoAtLeast(scale);
    double zpFromMin = q[0] - lo / scale;
    int zp;
    if (zpFromMin <= q[0]) {
      zp = q[0];
    } else if (zpFromMin >= q[1]) {
      zp = q[1];
    } else {
      zp = (int) roundHalfAwayFromZero(zpFromMin);
    }
    return new QuantParams(storage, scale, zp, q[0], q[1]);
  }

  /** The quantized element type {@code uniform<storage:f32, scale:zp>} with this range. */
  public UniformQuantType toType() {
    return new UniformQuantType(storage, ScalarType.F32, scale, zeroPoint, qmin, qmax);
  }

  /** {@code clamp(round_half_away(x / scale) + zp, qmin, qmax)}, the {@code quantize} op's rule. */
  public int quantize(double x) {
    double r = roundHalfAwayFromZero(x / scale) + zeroPoint;
    return (int) Math.max(qmin, Math.min(qmax, r));
  }

  public double dequantize(int q) {
    return scale * (q - zeroPoint);
  }

  /** Smallest representable real value. */
  public double realMin() {
    return dequantize(qmin);
  }

  /** Largest representable real value. */
  public double realMax() {
    return dequantize(qmax);
  }

  static double roundHalfAwayFromZero(double x) {
    return Math.signum(x) * Math.floor(Math.abs(x) + 0.5);
  }

  /** The smallest power of two >= x (x > 0, finite), exact. */
  static double powerOfTwoAtLeast(double x) {
    double p = Math.scalb(1.0, Math.getExponent(x));
    return p == x ? p : p * 2;
  }

  private static int[] storageRange(ScalarType storage, boolean narrowRange) {
    if (!storage.isInteger() || storage == ScalarType.BOOL || storage.bits() > 16) {
      throw new IllegalArgumentException("quantized storage must be an integer type of 2..16 bits, got " + storage);
    }
    int lo = (int) storage.minValue() + (narrowRange ? 1 : 0);
    return new int[] {lo, (int) storage.maxValue()};
  }

  private static void checkThreshold(double t) {
    if (!(t >= 0) || Double.isInfinite(t)) throw new IllegalArgumentException("threshold must be finite and >= 0: " + t);
  }
}

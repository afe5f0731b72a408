package org.npuc.quant;

/**
 * The fixed-point arithmetic of TFLite's integer kernels (and of gemmlowp underneath them): turning
 * a real multiplier into a Q31 multiplier and shift, and applying it with TFLite's rounding. Kept in
 * one small class so that every integer kernel and the int8 lowering share the same bits.
 *
 * <p>Two requantization variants exist in TFLite. The default build (no {@code
 * TFLITE_SINGLE_ROUNDING}) rounds twice: a rounding doubling high multiply, then a rounding right
 * shift ({@link #multiplyByQuantizedMultiplier}). The single-rounding build does one 64-bit multiply
 * and one rounding shift ({@link #multiplyByQuantizedMultiplierSingleRounding}). Each kernel in
 * {@code org.npuc.quant.kernels} says which one it follows and why (per-tensor conv, fully
 * connected, mul and requantization: single; add, mean and the gemmlowp-based
 * softmax/logistic/tanh: double; per-channel conv uses XNNPACK's fp32 requantization instead).
 */
public final class FixedPoint {
  private FixedPoint() {}

  /** A Q31 multiplier and a power-of-two exponent: {@code real ≈ multiplier · 2^(shift-31)}. */
  public record Multiplier(int multiplier, int shift) {}

  /**
   * TFLite's {@code QuantizeMultiplier}: {@code frexp} the real multiplier into [0.5, 1) · 2^shift,
   * round the mantissa to Q31 (half away from zero), renormalize when it rounds up to 2^31, and flush
   * to zero when the shift is below -31.
   */
  public static Multiplier quantizeMultiplier(double realMultiplier) {
    if (realMultiplier == 0.0) return new Multiplier(0, 0);
    if (!(realMultiplier > 0) || Double.isInfinite(realMultiplier)) {
      throw new IllegalArgumentException("multiplier must be positive and finite, got " + realMultiplier);
    }
    int shift = Math.getExponent(realMultiplier) + 1;
    double q = realMultiplier / Math.scalb(1.0, shift); // in [0.5, 1), as frexp gives
    if (q >= 1.0) { // subnormal inputs: getExponent is off; renormalize
      q /= 2;
      shift++;
    }
    while (q < 0.5) {
      q *= 2;
      shift--;
    }
    long qFixed = Math.round(q * (1L << 31)); // q > 0, so round-half-up equals half away from zero
    if (qFixed == (1L << 31)) {
      qFixed /= 2;
      shift++;
    }
    if (shift < -31) {
      shift = 0;
      qFixed = 0;
    }
    return new Multiplier((int) qFixed, shift);
  }

  /** {@code QuantizeMultiplierSmallerThanOneExp}: a multiplier below one, so shift <= 0. */
  public static Multiplier quantizeMultiplierSmallerThanOne(double realMultiplier) {
    if (!(realMultiplier > 0 && realMultiplier < 1)) {
      throw new IllegalArgumentException("expected a multiplier in (0, 1), got " + realMultiplier);
    }
    return quantizeMultiplier(realMultiplier);
  }

  /** {@code QuantizeMultiplierGreaterThanOne}: a multiplier above one, so shift >= 0. */
  public static Multiplier quantizeMultiplierGreaterThanOne(double realMultiplier) {
    if (!(realMultiplier > 1)) throw new IllegalArgumentException("expected a multiplier > 1, got " + realMultiplier);
    return quantizeMultiplier(realMultiplier);
  }

  /**
   * gemmlowp's {@code SaturatingRoundingDoublingHighMul}: the high 32 bits of {@code 2·a·b},
   * rounded half away from zero; the one overflowing case (both INT_MIN) saturates to INT_MAX.
   */
  public static int saturatingRoundingDoublingHighMul(int a, int b) {
    if (a == Integer.MIN_VALUE && b == Integer.MIN_VALUE) return Integer.MAX_VALUE;
    long ab = (long) a * (long) b;
    long nudge = ab >= 0 ? (1L << 30) : (1 - (1L << 30));
    return (int) ((ab + nudge) / (1L << 31)); // Java division truncates toward zero, as C++ does
  }

  /**
   * gemmlowp's {@code RoundingDivideByPOT}: {@code x / 2^exponent} rounded to nearest, ties away
   * from zero. {@code exponent} in [0, 31].
   */
  public static int roundingDivideByPOT(int x, int exponent) {
    if (exponent < 0 || exponent > 31) throw new IllegalArgumentException("exponent must be in [0, 31], got " + exponent);
    int mask = (int) ((1L << exponent) - 1);
    int remainder = x & mask;
    int threshold = (mask >> 1) + (x < 0 ? 1 : 0);
    return (x >> exponent) + (remainder > threshold ? 1 : 0);
  }

  /**
   * TFLite's {@code MultiplyByQuantizedMultiplier} (double rounding, the default build): {@code
   * RoundingDivideByPOT(SRDHM(x · 2^max(shift,0), m), max(-shift,0))}. The left shift wraps on int32
   * overflow exactly as the C++ does on the usual two's-complement targets.
   */
  public static int multiplyByQuantizedMultiplier(int x, int quantizedMultiplier, int shift) {
    int leftShift = shift > 0 ? shift : 0;
    int rightShift = shift > 0 ? 0 : -shift;
    return roundingDivideByPOT(saturatingRoundingDoublingHighMul(x * (1 << leftShift), quantizedMultiplier), rightShift);
  }

  public static int multiplyByQuantizedMultiplier(int x, Multiplier m) {
    return multiplyByQuantizedMultiplier(x, m.multiplier(), m.shift());
  }

  /**
   * The {@code TFLITE_SINGLE_ROUNDING} variant: {@code (x·m + 2^(30-shift)) >> (31-shift)} in 64
   * bits, one rounding (half up). Requires shift in [-31, 30].
   */
  public static int multiplyByQuantizedMultiplierSingleRounding(int x, int quantizedMultiplier, int shift) {
    if (shift < -31 || shift > 30) throw new IllegalArgumentException("shift must be in [-31, 30], got " + shift);
    int totalShift = 31 - shift;
    long round = 1L << (totalShift - 1);
    long result = (long) x * (long) quantizedMultiplier + round;
    return (int) (result >> totalShift);
  }

  /**
   * Single rounding with a {@link Multiplier} from {@link #quantizeMultiplier}: a shift above 30
   * is clamped to 30 with the largest multiplier, as the single-rounding {@code QuantizeMultiplier}
   * does.
   */
  public static int multiplyByQuantizedMultiplierSingleRounding(int x, Multiplier m) {
    if (m.shift() > 30) return multiplyByQuantizedMultiplierSingleRounding(x, Integer.MAX_VALUE, 30);
    if (m.shift() < -31) return 0;
    return multiplyByQuantizedMultiplierSingleRounding(x, m.multiplier(), m.shift());
  }

  /** {@code MultiplyByQuantizedMultiplierSmallerThanOneExp}: shift <= 0, double rounding. */
  public static int multiplyByQuantizedMultiplierSmallerThanOne(int x, int quantizedMultiplier, int leftShift) {
    return roundingDivideByPOT(saturatingRoundingDoublingHighMul(x, quantizedMultiplier), -leftShift);
  }

  /** {@code MultiplyByQuantizedMultiplierGreaterThanOne}: shift >= 0. */
  public static int multiplyByQuantizedMultiplierGreaterThanOne(int x, int quantizedMultiplier, int leftShift) {
    return saturatingRoundingDoublingHighMul(x * (1 << leftShift), quantizedMultiplier);
  }

  /**
   * gemmlowp's {@code SaturatingRoundingMultiplyByPOT}: multiply by {@code 2^exponent}, saturating
   * when shifting left, rounding ({@link #roundingDivideByPOT}) when shifting right.
   */
  public static int saturatingRoundingMultiplyByPOT(int x, int exponent) {
    if (exponent == 0) return x;
    if (exponent < 0) return roundingDivideByPOT(x, -exponent);
    int threshold = (int) ((1L << (31 - exponent)) - 1);
    if (x > threshold) return Integer.MAX_VALUE;
    if (x < -threshold) return Integer.MIN_VALUE;
    return x << exponent;
  }

  /** gemmlowp's {@code RoundingHalfSum}: {@code (a + b) / 2} rounded half away from zero. */
  public static int roundingHalfSum(int a, int b) {
    long sum = (long) a + (long) b;
    long sign = sum >= 0 ? 1 : -1;
    return (int) ((sum + sign) / 2);
  }

  /** Round half away from zero, as C's {@code round} (TFLite's {@code TfLiteRound}). */
  public static double roundHalfAway(double x) {
    double a = Math.abs(x);
    double f = Math.floor(a);
    double r = a - f >= 0.5 ? f + 1 : f; // a - f is exact; x + 0.5 would round for x near 0.5
    return Math.copySign(r, x);
  }

  /** {@code roundf}: half away from zero on a float. */
  public static float roundHalfAway(float x) {
    return (float) roundHalfAway((double) x);
  }

  /** Clamps {@code v} to [lo, hi]. */
  public static int clamp(int v, int lo, int hi) {
    return v < lo ? lo : (v > hi ? hi : v);
  }
}

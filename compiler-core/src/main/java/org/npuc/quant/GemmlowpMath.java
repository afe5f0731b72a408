package org.npuc.quant;

import static org.npuc.quant.FixedPoint.roundingDivideByPOT;
import static org.npuc.quant.FixedPoint.roundingHalfSum;
import static org.npuc.quant.FixedPoint.saturatingRoundingDoublingHighMul;
import static org.npuc.quant.FixedPoint.saturatingRoundingMultiplyByPOT;

/**
 * gemmlowp's fixed-point transcendental functions on raw int32 values, used by TFLite's integer
 * softmax, logistic and tanh. A value "in Qm" has m integer bits and 31-m fractional bits; a
 * product of Qa and Qb is a Qa+b computed with {@link FixedPoint#saturatingRoundingDoublingHighMul}.
 * The constants are gemmlowp's (each is the Q-format rounding of the real number named beside it).
 */
public final class GemmlowpMath {
  private GemmlowpMath() {}

  private static final int ONE_Q0 = Integer.MAX_VALUE; // 1.0 saturates in Q0
  private static final int ONE_Q2 = 1 << 29;

  private static int mul(int a, int b) {
    return saturatingRoundingDoublingHighMul(a, b);
  }

  /** Rescales a raw value from Q{@code src} to Q{@code dst}. */
  public static int rescale(int raw, int src, int dst) {
    return saturatingRoundingMultiplyByPOT(raw, src - dst);
  }

  /** exp(a) for a in [-1/4, 0), a in Q0, result in Q0 (Taylor expansion around -1/8). */
  static int expOnIntervalBetweenNegativeOneQuarterAnd0Excl(int a) {
    final int constantTerm = 1895147668; // exp(-1/8)
    final int constant1Over3 = 715827883; // 1/3
    int x = a + (1 << 28); // + 1/8
    int x2 = mul(x, x);
    int x3 = mul(x2, x);
    int x4 = mul(x2, x2);
    int x4Over4 = saturatingRoundingMultiplyByPOT(x4, -2);
    int poly = saturatingRoundingMultiplyByPOT(mul(x4Over4 + x3, constant1Over3) + x2, -1);
    return constantTerm + mul(constantTerm, x + poly);
  }

  private static final int[] BARREL_EXPONENTS = {-2, -1, 0, 1, 2, 3, 4};
  private static final int[] BARREL_MULTIPLIERS = {
    1672461947, // exp(-1/4)
    1302514674, // exp(-1/2)
    790015084, // exp(-1)
    290630308, // exp(-2)
    39332535, // exp(-4)
    720401, // exp(-8)
    242 // exp(-16)
  };

  /** exp(a) for a <= 0 given in Q{@code integerBits}; the result is in Q0. */
  public static int expOnNegativeValues(int a, int integerBits) {
    int fractionalBits = 31 - integerBits;
    int oneQuarter = 1 << (fractionalBits - 2);
    int mask = oneQuarter - 1;
    int aModQuarterMinusOneQuarter = (a & mask) - oneQuarter;
    int result = expOnIntervalBetweenNegativeOneQuarterAnd0Excl(rescale(aModQuarterMinusOneQuarter, integerBits, 0));
    int remainder = aModQuarterMinusOneQuarter - a;
    for (int i = 0; i < BARREL_EXPONENTS.length; i++) {
      int e = BARREL_EXPONENTS[i];
      if (integerBits > e) {
        int shiftAmount = fractionalBits + e;
        if ((remainder & (1 << shiftAmount)) != 0) result = mul(result, BARREL_MULTIPLIERS[i]);
      }
    }
    if (integerBits > 5) {
      int clampRaw = -(1 << (36 - integerBits)); // -32
      if (a < clampRaw) result = 0;
    }
    if (a == 0) result = ONE_Q0;
    return result;
  }

  /** 1/(1+a) for a in [0, 1] in Q0, by three Newton-Raphson steps; result in Q0. */
  public static int oneOverOnePlusXForXIn01(int a) {
    int halfDenominator = roundingHalfSum(a, ONE_Q0);
    int x = newtonReciprocal(halfDenominator);
    return rescale(x, 1, 0); // ExactMulByPot<-1> reinterprets Q2 as Q1, then rescale to Q0
  }

  /** (1-a)/(1+a) for a in [0, 1] in Q0; result in Q0. */
  static int oneMinusXOverOnePlusXForXIn01(int a) {
    int halfDenominator = roundingHalfSum(a, ONE_Q0);
    int x = newtonReciprocal(halfDenominator);
    return rescale(x - ONE_Q2, 2, 0);
  }

  /** 1/d for d = halfDenominator in [1/2, 1] (Q0), as a Q2 value. */
  private static int newtonReciprocal(int halfDenominator) {
    final int constant48Over17 = 1515870810; // Q2
    final int constantNeg32Over17 = -1010580540; // Q2
    int x = constant48Over17 + mul(halfDenominator, constantNeg32Over17);
    for (int i = 0; i < 3; i++) {
      int halfDenominatorTimesX = mul(halfDenominator, x);
      int oneMinus = ONE_Q2 - halfDenominatorTimesX;
      x = x + rescale(mul(x, oneMinus), 4, 2);
    }
    return x;
  }

  /** The logistic function of a value in Q{@code integerBits}; result in Q0. */
  public static int logistic(int a, int integerBits) {
    if (a == 0) return 1 << 30; // one half
    boolean positive = a > 0;
    int abs = positive ? a : -a;
    int resultIfPositive = oneOverOnePlusXForXIn01(expOnNegativeValues(-abs, integerBits));
    return positive ? resultIfPositive : ONE_Q0 - resultIfPositive;
  }

  /** tanh of a value in Q{@code integerBits}; result in Q0. */
  public static int tanh(int a, int integerBits) {
    if (a == 0) return 0;
    boolean negative = a < 0;
    int n = negative ? a : -a;
    // exp(2n): ExactMulByPot<1> reinterprets n as a Q(integerBits+1) value with the same raw bits.
    int t = oneMinusXOverOnePlusXForXIn01(expOnNegativeValues(n, integerBits + 1));
    return negative ? -t : t;
  }

  /** TFLite's {@code GetReciprocal}: 1/x for a positive Q{@code xIntegerDigits} value. */
  public static int[] reciprocal(int x, int xIntegerDigits) {
    int headroomPlusOne = Integer.numberOfLeadingZeros(x);
    int numBitsOverUnit = xIntegerDigits - headroomPlusOne;
    int shiftedSumMinusOne = (int) (((x & 0xffffffffL) << headroomPlusOne) - (1L << 31));
    int shiftedScale = oneOverOnePlusXForXIn01(shiftedSumMinusOne);
    return new int[] {shiftedScale, numBitsOverUnit};
  }

  /** TFLite's {@code CalculateInputRadius}. */
  public static int calculateInputRadius(int inputIntegerBits, int inputLeftShift, int totalSignedBits) {
    double maxInputRescaled =
        1.0 * ((1 << inputIntegerBits) - 1) * (double) (1L << (totalSignedBits - inputIntegerBits)) / (double) (1L << inputLeftShift);
    return (int) Math.floor(maxInputRescaled);
  }

  /** Exposed for the softmax kernel. */
  public static int roundingDivide(int x, int exponent) {
    return roundingDivideByPOT(x, exponent);
  }
}

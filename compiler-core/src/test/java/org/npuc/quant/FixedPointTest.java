package org.npuc.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** TFLite/gemmlowp fixed-point helpers on hand-computed edge cases. */
class FixedPointTest {
  private static final int MIN = Integer.MIN_VALUE;
  private static final int MAX = Integer.MAX_VALUE;

  @Test
  void saturatingRoundingDoublingHighMul() {
    assertEquals(MAX, FixedPoint.saturatingRoundingDoublingHighMul(MIN, MIN)); // the one overflow saturates
    assertEquals(1 << 29, FixedPoint.saturatingRoundingDoublingHighMul(1 << 30, 1 << 30)); // 0.5 · 0.5
    assertEquals(-(1 << 29), FixedPoint.saturatingRoundingDoublingHighMul(-(1 << 30), 1 << 30));
    // 3 · 0.5 = 1.5 and -1.5: the nudge rounds ties toward +infinity
    assertEquals(2, FixedPoint.saturatingRoundingDoublingHighMul(3, 1 << 30));
    assertEquals(-1, FixedPoint.saturatingRoundingDoublingHighMul(-3, 1 << 30));
    assertEquals(-3, FixedPoint.saturatingRoundingDoublingHighMul(-5, (int) (0.6 * (1L << 31)))); // -3.0 (-5·0.6)
    assertEquals(MIN + 1, FixedPoint.saturatingRoundingDoublingHighMul(MIN, MAX)); // -1 · (1 - 2^-31)
  }

  @Test
  void roundingDivideByPowerOfTwo() {
    assertEquals(7, FixedPoint.roundingDivideByPOT(7, 0)); // shift 0 is the identity
    assertEquals(-7, FixedPoint.roundingDivideByPOT(-7, 0));
    assertEquals(3, FixedPoint.roundingDivideByPOT(5, 1)); // 2.5 -> 3 (ties away from zero)
    assertEquals(-3, FixedPoint.roundingDivideByPOT(-5, 1)); // -2.5 -> -3
    assertEquals(-2, FixedPoint.roundingDivideByPOT(-6, 2)); // -1.5 -> -2
    assertEquals(-1, FixedPoint.roundingDivideByPOT(-5, 2)); // -1.25 -> -1
    assertEquals(1, FixedPoint.roundingDivideByPOT(MAX, 31)); // 0.99.. -> 1
    assertEquals(-1, FixedPoint.roundingDivideByPOT(MIN, 31)); // exactly -1
    assertEquals(1, FixedPoint.roundingDivideByPOT(1 << 30, 31)); // 0.5 -> 1
    assertEquals(-1, FixedPoint.roundingDivideByPOT(-(1 << 30), 31)); // -0.5 -> -1
    assertEquals(0, FixedPoint.roundingDivideByPOT((1 << 30) - 1, 31)); // just under 0.5 -> 0
    assertThrows(IllegalArgumentException.class, () -> FixedPoint.roundingDivideByPOT(1, 32));
  }

  @Test
  void quantizeMultiplier() {
    assertEquals(new FixedPoint.Multiplier(1 << 30, 0), FixedPoint.quantizeMultiplier(0.5));
    assertEquals(new FixedPoint.Multiplier(1 << 30, 1), FixedPoint.quantizeMultiplier(1.0));
    assertEquals(new FixedPoint.Multiplier(1610612736, 0), FixedPoint.quantizeMultiplier(0.75));
    assertEquals(new FixedPoint.Multiplier(1 << 30, -2), FixedPoint.quantizeMultiplier(0.125));
    // a mantissa that rounds up to 2^31 is renormalized to 2^30 with the shift one higher
    assertEquals(new FixedPoint.Multiplier(1 << 30, 1), FixedPoint.quantizeMultiplier(1.0 - 1e-12));
    // below 2^-32 the shift would be under -31: flushed to zero
    assertEquals(new FixedPoint.Multiplier(0, 0), FixedPoint.quantizeMultiplier(1e-10));
    assertEquals(new FixedPoint.Multiplier(0, 0), FixedPoint.quantizeMultiplier(0.0));
    assertEquals(new FixedPoint.Multiplier(1 << 30, 31), FixedPoint.quantizeMultiplier(Math.scalb(1.0, 30)));
    assertThrows(IllegalArgumentException.class, () -> FixedPoint.quantizeMultiplierSmallerThanOne(1.5));
    assertThrows(IllegalArgumentException.class, () -> FixedPoint.quantizeMultiplierGreaterThanOne(0.5));
  }

  @Test
  void doubleAndSingleRoundingDiffer() {
    // A real case from mobilenet_v1 (acc 1247, multiplier 0.0894 = 1535886208·2^-34): exactly
    // 111.48; double rounding first rounds 891.86 to 892 and then 892/8 = 111.5 up to 112.
    assertEquals(112, FixedPoint.multiplyByQuantizedMultiplier(1247, 1535886208, -3));
    assertEquals(111, FixedPoint.multiplyByQuantizedMultiplierSingleRounding(1247, 1535886208, -3));
    // Negative values: -1247 gives -112 (double, ties away from zero) and -111 (single, ties up).
    assertEquals(-112, FixedPoint.multiplyByQuantizedMultiplier(-1247, 1535886208, -3));
    assertEquals(-111, FixedPoint.multiplyByQuantizedMultiplierSingleRounding(-1247, 1535886208, -3));
    // A tie in single rounding: 3 · 0.5 = 1.5 -> 2; -3 · 0.5 = -1.5 -> -1 (half up).
    assertEquals(2, FixedPoint.multiplyByQuantizedMultiplierSingleRounding(3, 1 << 30, 0));
    assertEquals(-1, FixedPoint.multiplyByQuantizedMultiplierSingleRounding(-3, 1 << 30, 0));
  }

  @Test
  void shiftsAtTheEnds() {
    // shift -31: (2^31-1) · 0.5 · 2^-31 is just under 0.5. Single rounding gives 0; double rounding
    // first rounds (2^31-1)·0.5 up to 2^30, an exact 0.5 that the second rounding takes to 1.
    assertEquals(0, FixedPoint.multiplyByQuantizedMultiplierSingleRounding(MAX, 1 << 30, -31));
    assertEquals(1, FixedPoint.multiplyByQuantizedMultiplier(MAX, 1 << 30, -31));
    assertEquals(2, FixedPoint.multiplyByQuantizedMultiplierSingleRounding(MAX, MAX, -30)); // ≈ 2^31 · 2^-30
    assertEquals(500, FixedPoint.multiplyByQuantizedMultiplier(1000, 1 << 30, 0));
    assertEquals(250, FixedPoint.multiplyByQuantizedMultiplier(1000, 1 << 30, -1));
    // a positive shift multiplies first: 100 · 2^3 · 0.5 = 400
    assertEquals(400, FixedPoint.multiplyByQuantizedMultiplier(100, 1 << 30, 3));
    assertEquals(400, FixedPoint.multiplyByQuantizedMultiplierSingleRounding(100, 1 << 30, 3));
    // single rounding clamps a shift above 30 to 30 with the largest multiplier
    assertEquals(FixedPoint.multiplyByQuantizedMultiplierSingleRounding(1, MAX, 30),
        FixedPoint.multiplyByQuantizedMultiplierSingleRounding(1, new FixedPoint.Multiplier(1 << 30, 31)));
    assertThrows(IllegalArgumentException.class, () -> FixedPoint.multiplyByQuantizedMultiplierSingleRounding(1, 1, 31));
  }

  @Test
  void saturatingMultiplyByPowerOfTwo() {
    assertEquals(MAX, FixedPoint.saturatingRoundingMultiplyByPOT(1 << 30, 2));
    assertEquals(MIN, FixedPoint.saturatingRoundingMultiplyByPOT(-(1 << 30), 2));
    assertEquals(1 << 29, FixedPoint.saturatingRoundingMultiplyByPOT(1 << 27, 2));
    assertEquals(3, FixedPoint.saturatingRoundingMultiplyByPOT(5, -1)); // rounds like RoundingDivideByPOT
    assertEquals(-5, FixedPoint.saturatingRoundingMultiplyByPOT(-5, 0));
  }

  @Test
  void roundHalfAwayFromZero() {
    assertEquals(3.0, FixedPoint.roundHalfAway(2.5));
    assertEquals(-3.0, FixedPoint.roundHalfAway(-2.5));
    assertEquals(0.0, FixedPoint.roundHalfAway(0.49999999999999994)); // x + 0.5 would round to 1
    assertEquals(-2.0, FixedPoint.roundHalfAway(-1.5f));
    assertEquals(2, FixedPoint.roundingHalfSum(1, 2)); // 1.5 -> 2
    assertEquals(-2, FixedPoint.roundingHalfSum(-1, -2)); // -1.5 -> -2
  }
}

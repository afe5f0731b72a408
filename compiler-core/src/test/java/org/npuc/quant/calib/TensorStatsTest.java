package org.npuc.quant.calib;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TensorStatsTest {

  /** Data whose halves have very different ranges, so merging must rescale one side. */
  private static float[] mixed() {
    float[] small = Samples.gaussian(1, 50_000, 0, 0.01);
    float[] big = Samples.laplace(2, 50_000, 3.0);
    float[] all = new float[100_000];
    System.arraycopy(small, 0, all, 0, small.length);
    System.arraycopy(big, 0, all, small.length, big.length);
    return all;
  }

  @Test
  void halvesMergeIntoTheWholeBitForBit() {
    float[] x = mixed();
    TensorStats whole = Samples.stats(x);
    TensorStats a = new TensorStats();
    a.add(x, 0, 50_000);
    TensorStats b = new TensorStats();
    b.add(x, 50_000, x.length);
    assertNotEquals(a.exponent(), b.exponent(), "the halves must need different bin widths for this test to mean anything");

    TensorStats ab = a.copy();
    ab.merge(b);
    TensorStats ba = b.copy();
    ba.merge(a);
    assertEquals(whole, ab);
    assertEquals(whole, ba);
    assertArrayEquals(whole.signedCounts(), ab.signedCounts());
  }

  @Test
  void anyBatchingOrderAndMergeTreeGivesTheSameStatistics() {
    float[] x = mixed();
    TensorStats whole = Samples.stats(x);
    Random r = new Random(7);
    for (int trial = 0; trial < 5; trial++) {
      // shuffle, cut into random batches, add some batches directly and merge others
      float[] y = x.clone();
      for (int i = y.length - 1; i > 0; i--) {
        int j = r.nextInt(i + 1);
        float t = y[i];
        y[i] = y[j];
        y[j] = t;
      }
      TensorStats acc = new TensorStats();
      int pos = 0;
      while (pos < y.length) {
        int len = Math.min(y.length - pos, 1 + r.nextInt(20_000));
        if (r.nextBoolean()) {
          acc.add(y, pos, pos + len);
        } else {
          TensorStats part = new TensorStats();
          part.add(y, pos, pos + len);
          part.merge(acc);
          acc = part;
        }
        pos += len;
      }
      assertEquals(whole, acc, "trial " + trial);
    }
  }

  @Test
  void calibrationStatsMergeByName() {
    float[] x = mixed();
    CalibrationStats whole = new CalibrationStats();
    whole.add("a", x);
    whole.add("b", Arrays.copyOf(x, 1000));
    CalibrationStats h1 = new CalibrationStats();
    h1.add("a", Arrays.copyOfRange(x, 0, 30_000));
    CalibrationStats h2 = new CalibrationStats();
    h2.add("b", Arrays.copyOf(x, 1000));
    h2.add("a", Arrays.copyOfRange(x, 30_000, x.length));
    h1.merge(h2);
    assertEquals(whole, h1);
  }

  @Test
  void binsFollowFloorOfXOverAPowerOfTwo() {
    TensorStats s = new TensorStats(4); // 8 signed bins
    s.add(new float[] {-3.5f, -0.25f, 0f, 0.25f, 1f, 3.9f});
    // max|x| = 3.9 < 4 * 2^0 and >= 4 * 2^-1: width 1
    assertEquals(0, s.exponent());
    // bins j = -4..3 at index j + 4: -3.5 -> -4, -0.25 -> -1, 0 and 0.25 -> 0, 1 -> 1, 3.9 -> 3
    assertArrayEquals(new long[] {1, 0, 0, 1, 2, 1, 0, 1}, s.signedCounts());
    // |x| histogram: [0,1]: 0, 0.25, 0.25 ; (1,2]: 1 ; (3,4]: 3.5, 3.9
    assertArrayEquals(new long[] {3, 1, 0, 2}, s.absCounts());
    assertEquals(4, s.occupiedAbsBins());
    s.add(new float[] {-8f}); // needs width 4: pairs merge twice
    assertEquals(2, s.exponent());
    // -8 -> -2; -3.5, -0.25 -> -1; 0, 0.25, 1, 3.9 -> 0
    assertArrayEquals(new long[] {0, 0, 1, 2, 4, 0, 0, 0}, s.signedCounts());
  }

  @Test
  void nanAndInfinitiesAreCountedButDoNotPoisonTheRange() {
    TensorStats s = new TensorStats();
    s.add(new float[] {1f, Float.NaN, -2f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN});
    assertEquals(3 - 1, s.count());
    assertEquals(2, s.nanCount());
    assertEquals(1, s.posInfCount());
    assertEquals(1, s.negInfCount());
    assertEquals(-2.0, s.min());
    assertEquals(1.0, s.max());
    assertEquals(2.0, s.maxAbs());
    assertTrue(s.nonFiniteNote().contains("2 NaN"));
    for (ThresholdMethod m : ThresholdMethods.all()) {
      double t = m.threshold(s);
      assertTrue(Double.isFinite(t) && t >= 0 && t <= 2.0, m.spec() + " gave " + t);
    }
  }

  @Test
  void onlyNanGivesNoDataAndZeroThresholds() {
    TensorStats s = new TensorStats();
    s.add(new float[] {Float.NaN, Float.NaN});
    assertFalse(s.hasData());
    assertTrue(Double.isNaN(s.min()));
    for (ThresholdMethod m : ThresholdMethods.all()) {
      assertEquals(0.0, m.threshold(s), m.spec());
      assertEquals(new ClipRange(0, 0), m.range(s), m.spec());
    }
  }

  @Test
  void allZeroTensor() {
    TensorStats s = new TensorStats();
    s.add(new float[1000]);
    s.add(new float[] {-0.0f});
    assertEquals(1001, s.count());
    assertEquals(1001, s.zeroCount());
    assertEquals(TensorStats.MIN_EXPONENT, s.exponent());
    assertEquals(0.0, s.maxAbs());
    assertEquals(1001, s.absCounts()[0]);
    for (ThresholdMethod m : ThresholdMethods.all()) assertEquals(0.0, m.threshold(s), m.spec());
    // zeros merged with later data stay in bin 0
    TensorStats t = s.copy();
    t.add(new float[] {5f});
    assertEquals(1001, t.absCounts()[0]);
  }

  @Test
  void tinyAndHugeRanges() {
    float[] tiny = {Float.MIN_VALUE, -3 * Float.MIN_VALUE, 1e-44f};
    TensorStats s = Samples.stats(tiny);
    assertEquals(1e-44f, s.maxAbs(), 0.0); // 7 times the smallest subnormal
    assertEquals(3, Arrays.stream(s.signedCounts()).sum());
    assertTrue(s.maxAbs() < s.bins() * s.binWidth());

    float[] huge = {Float.MAX_VALUE, -Float.MAX_VALUE, 1e30f, 0f};
    TensorStats h = Samples.stats(huge);
    assertEquals(Float.MAX_VALUE, h.maxAbs(), 0.0);
    assertEquals(4, h.count());
    assertEquals(Float.MAX_VALUE, new MaxMethod(MethodOptions.none("max")).threshold(h), 0.0);
    for (ThresholdMethod m : ThresholdMethods.all()) {
      double t = m.threshold(h);
      assertTrue(Double.isFinite(t) && t <= Float.MAX_VALUE, m.spec() + " gave " + t);
    }

    // tiny data merged into huge data: the tiny values land in bin 0 (or -1), exactly as added at once
    TensorStats both = s.copy();
    both.merge(h);
    float[] all = new float[7];
    System.arraycopy(tiny, 0, all, 0, 3);
    System.arraycopy(huge, 0, all, 3, 4);
    assertEquals(Samples.stats(all), both);
  }

  @Test
  void restoreRejectsInconsistentParts() {
    TensorStats s = Samples.stats(new float[] {1f, 2f});
    long[] c = s.signedCounts();
    assertThrowsIae(() -> TensorStats.restore(s.bins(), s.exponent() + 1, c, 0, 0, 0, 0, 1, 2));
    assertThrowsIae(() -> TensorStats.restore(s.bins(), s.exponent(), c, 0, 0, 0, 0, 2, 1));
    assertEquals(s, TensorStats.restore(s.bins(), s.exponent(), c, 0, 0, 0, 0, 1, 2));
    assertThrowsIae(() -> TensorStats.restore(s.bins(), s.exponent(), c, 5, 0, 0, 0, 1, 2));
  }

  private static void assertThrowsIae(Runnable r) {
    try {
      r.run();
    } catch (IllegalArgumentException e) {
      return;
    }
    throw new AssertionError("expected IllegalArgumentException");
  }
}

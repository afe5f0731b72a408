package org.npuc.backend.bm1684;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Integer winograd F(2x2,3x3) gives exactly the direct convolution's int32 accumulators. */
class WinogradF23Test {

  private static int[] randomInt8(Random r, int n, int zp) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) a[i] = (r.nextInt(256) - 128) - zp;
    return a;
  }

  /** Direct vs winograd on one geometry, whole output and a few row tiles. */
  private static void check(Random r, int c, int h, int w, int o, int[] pads, int xzp, int wzp) {
    int[] x = randomInt8(r, c * h * w, xzp);
    int[] wt = randomInt8(r, o * c * 9, wzp);
    DirectConv.Geometry g = new DirectConv.Geometry(c, h, w, o, 3, 3, 1, new int[] {1, 1}, new int[] {1, 1}, pads);
    int oh = g.oh();
    int ow = g.ow();
    int[] direct = DirectConv.accumulate(x, wt, g, 0, o, 0, oh);
    int[] u = WinogradF23.transformWeights(wt, o, c);
    int[] wino = WinogradF23.accumulate(x, c, h, w, u, 0, o, 0, oh, ow, pads[0], pads[1]);
    assertArrayEquals(direct, wino, "C=" + c + " H=" + h + " W=" + w + " pads=" + Arrays.toString(pads));
    // A tile of rows starting at an odd row and a channel range: still exact.
    if (oh > 2 && o > 1) {
      int oy0 = 1;
      int oy1 = Math.min(oh, 4);
      int[] dt = DirectConv.accumulate(x, wt, g, 1, o, oy0, oy1);
      int[] wtile = WinogradF23.accumulate(x, c, h, w, u, 1, o, oy0, oy1, ow, pads[0], pads[1]);
      assertArrayEquals(dt, wtile, "tile rows [1," + oy1 + ")");
    }
  }

  @Test
  void exactOnRandomInt8WithEdgeSizesAndPadding() {
    Random r = new Random(20261122);
    int[][] sizes = {{3, 3}, {4, 4}, {5, 5}, {3, 8}, {7, 4}, {12, 12}, {13, 9}, {1, 1}, {2, 6}};
    int[][] padSets = {{0, 0, 0, 0}, {1, 1, 1, 1}, {1, 0, 0, 1}, {0, 1, 1, 0}, {2, 2, 2, 2}};
    int cases = 0;
    for (int[] hw : sizes) {
      for (int[] pads : padSets) {
        if (hw[0] + pads[0] + pads[2] < 3 || hw[1] + pads[1] + pads[3] < 3) continue;
        check(r, 1 + r.nextInt(5), hw[0], hw[1], 1 + r.nextInt(4), pads, 0, 0);
        cases++;
      }
    }
    assertTrue(cases > 30, "ran " + cases + " geometries");
  }

  @Test
  void exactAtTheExtremesOfInt8() {
    // All inputs -128 and all weights -128 (centered with zero point 0) are the largest products.
    int c = 64;
    int h = 6;
    int w = 6;
    int[] x = new int[c * h * w];
    Arrays.fill(x, -128);
    int[] wt = new int[2 * c * 9];
    Arrays.fill(wt, -128);
    for (int i = 0; i < wt.length; i += 7) wt[i] = 127;
    DirectConv.Geometry g = new DirectConv.Geometry(c, h, w, 2, 3, 3, 1, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1, 1, 1});
    int[] direct = DirectConv.accumulate(x, wt, g, 0, 2, 0, g.oh());
    int[] wino = WinogradF23.accumulate(x, c, h, w, WinogradF23.transformWeights(wt, 2, c), 0, 2, 0, g.oh(), g.ow(), 1, 1);
    assertArrayEquals(direct, wino);
    // The center output of channel 0 sees every tap: -128 times the sum of its weights.
    long sum = 0;
    for (int i = 0; i < c * 9; i++) sum += wt[i];
    assertEquals(-128L * sum, direct[g.ow() + 1]);
  }

  @Test
  void exactWithNonzeroZeroPoints() {
    // Asymmetric inputs: operands are centered before the transform, padding stays 0.
    Random r = new Random(7);
    check(r, 3, 9, 11, 5, new int[] {1, 1, 1, 1}, -17, 0);
    check(r, 2, 8, 8, 3, new int[] {1, 2, 0, 1}, 5, 3);
  }

  @Test
  void appliesOnlyTo3x3Stride1Dilation1SingleGroup() {
    assertTrue(WinogradF23.applies(3, 3, new int[] {1, 1}, new int[] {1, 1}, 1));
    assertFalse(WinogradF23.applies(3, 3, new int[] {2, 2}, new int[] {1, 1}, 1));
    assertFalse(WinogradF23.applies(3, 3, new int[] {1, 1}, new int[] {2, 2}, 1));
    assertFalse(WinogradF23.applies(5, 5, new int[] {1, 1}, new int[] {1, 1}, 1));
    assertFalse(WinogradF23.applies(3, 3, new int[] {1, 1}, new int[] {1, 1}, 4));
  }
}

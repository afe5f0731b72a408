package org.npuc.backend.ascend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** NC1HWC0 and fractal Z conversions are exact inverses and put each value where the layout says. */
class AscendLayoutsTest {
  private static int[] random(Random r, int n) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) a[i] = r.nextInt(65536);
    return a;
  }

  @Test
  void nc1hwc0RoundTripsForEveryChannelCountAndC0() {
    Random r = new Random(1);
    for (int c0 : new int[] {16, 32}) {
      for (int c : new int[] {1, 3, 15, 16, 17, 32, 33, 70}) {
        int[] shape = {2, c, 3, 5};
        int[] x = random(r, 2 * c * 15);
        int[] y = AscendLayouts.toNc1hwc0(x, shape, c0, 0);
        int[] s = AscendLayouts.nc1hwc0Shape(shape, c0);
        assertEquals(s[0] * s[1] * s[2] * s[3] * s[4], y.length);
        assertArrayEquals(x, AscendLayouts.fromNc1hwc0(y, shape, c0), "C=" + c + " C0=" + c0);
      }
    }
  }

  @Test
  void nc1hwc0PlacesChannelsInBlocksAndPadsTheLastOne() {
    // [1, 3, 1, 2] with C0 = 16: one block, lanes 0..2 hold the channels, 3..15 the pad value.
    int[] x = {10, 11, 20, 21, 30, 31};
    int[] y = AscendLayouts.toNc1hwc0(x, new int[] {1, 3, 1, 2}, 16, -1);
    assertEquals(32, y.length);
    assertEquals(10, y[0]);
    assertEquals(20, y[1]);
    assertEquals(30, y[2]);
    assertEquals(-1, y[3]);
    assertEquals(11, y[16]);
    assertEquals(31, y[18]);
    // Channel 17 of 40 with C0=16 is block 1, lane 1.
    assertEquals(((0 * 3 + 1) * 4 + 2) * 16 + 1, AscendLayouts.nc1hwc0Index(0, 17, 2, 40, 4, 16));
  }

  @Test
  void fractalZRoundTripsAndHasCubeShapedBlocks() {
    Random r = new Random(2);
    for (int c0 : new int[] {16, 32}) {
      for (int[] oihw : new int[][] {{10, 3, 3, 3}, {16, 16, 1, 1}, {50, 20, 5, 5}, {33, 40, 2, 3}, {1, 1, 1, 1}}) {
        int n = oihw[0] * oihw[1] * oihw[2] * oihw[3];
        int[] w = random(r, n);
        int[] f = AscendLayouts.toFractalZ(w, oihw, c0);
        int[] s = AscendLayouts.fractalZShape(oihw, c0);
        assertEquals(16, s[4]);
        assertEquals(c0, s[5]);
        assertEquals(s[0] * s[1] * s[2] * s[3] * s[4] * s[5], f.length);
        assertArrayEquals(w, AscendLayouts.fromFractalZ(f, oihw, c0));
      }
    }
    // Weight (o=17, c=1, y=0, x=0) of [20, 2, 1, 1], C0=16: block c1=0, tap 0, o1=1, o0=1, lane 1.
    assertEquals(((0 * 2 + 1) * 16 + 1) * 16 + 1, AscendLayouts.fractalZIndex(17, 1, 0, 0, new int[] {20, 2, 1, 1}, 16));
  }
}

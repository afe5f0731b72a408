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

  @Test
  void theRegisteredFractalCodecStoresWeightsAsToFractalZDoesAndReadsThemBack() {
    FractalZCodec.register();
    Random r = new Random(3);
    // A conv weight [O, C, kh, kw], a matmul weight [N, K] and a [K, N] one (suffix T).
    int[] w4 = random(r, 20 * 7 * 3 * 3);
    org.npuc.ir.Tensor t4 = org.npuc.ir.Tensor.ofInts(new int[] {20, 7, 3, 3}, org.npuc.ir.type.ScalarType.I32, w4);
    byte[] b4 = org.npuc.target.lower.Layouts.encode(t4, "FRACTAL_Z:16");
    int[] f4 = AscendLayouts.toFractalZ(w4, new int[] {20, 7, 3, 3}, 16);
    for (int i = 0; i < f4.length; i++) assertEquals(f4[i], java.nio.ByteBuffer.wrap(b4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(4 * i));
    assertArrayEquals(w4, org.npuc.target.lower.Layouts.decode(b4, 0, t4.type(), "FRACTAL_Z:16").ints());
    int k = 40;
    int n = 10;
    int[] kn = random(r, k * n);
    int[] nk = new int[k * n];
    for (int i = 0; i < k; i++) for (int j = 0; j < n; j++) nk[j * k + i] = kn[i * n + j];
    org.npuc.ir.Tensor tkn = org.npuc.ir.Tensor.ofInts(new int[] {k, n}, org.npuc.ir.type.ScalarType.I32, kn);
    org.npuc.ir.Tensor tnk = org.npuc.ir.Tensor.ofInts(new int[] {n, k}, org.npuc.ir.type.ScalarType.I32, nk);
    assertArrayEquals(org.npuc.target.lower.Layouts.encode(tnk, "FRACTAL_Z:32"), org.npuc.target.lower.Layouts.encode(tkn, "FRACTAL_Z:32T"));
    assertArrayEquals(kn, org.npuc.target.lower.Layouts.decode(org.npuc.target.lower.Layouts.encode(tkn, "FRACTAL_Z:32T"), 0, tkn.type(), "FRACTAL_Z:32T").ints());
  }
}

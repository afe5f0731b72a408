package org.npuc.backend.bm1684;

/**
 * Winograd F(2x2, 3x3) convolution in exact integer arithmetic, so that it gives the same int32
 * accumulators as a direct convolution and hence bit-identical int8 outputs.
 *
 * <p>The textbook transform {@code Y = Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A} has halves in G. We use {@code G2
 * = 2G = [[2,0,0],[1,1,1],[1,-1,1],[0,0,2]]}, which is integral, so {@code U = G2 g G2ᵀ = 4·G g Gᵀ}
 * is an integer 4x4 matrix per (output, input) channel pair; the input transform {@code Bᵀ d B}
 * only adds and subtracts. The summed product over input channels, taken through {@code Aᵀ · A},
 * is then exactly 4 times the direct result, and the division by 4 is exact. Sums are kept in 64
 * bits: |U| ≤ 9·255 and |V| ≤ 4·255, so a product fits 2^22 and int64 holds any channel count.
 *
 * <p>Operands are zero-point-centered ({@code x - x_zp}, {@code w - w_zp}) so that padding is 0,
 * as in the direct integer convolution, where padded taps add nothing.
 */
public final class WinogradF23 {
  private WinogradF23() {}

  /** Multiplies per 2x2 output tile and channel pair: 16, against 36 for the direct 3x3 form. */
  public static final int TILE_MULTIPLIES = 16;

  public static final int DIRECT_MULTIPLIES = 36;

  /**
   * Transformed weights {@code U = G2 g G2ᵀ} for centered 3x3 weights {@code w[O][C][3][3]}
   * (row-major ints), as {@code int[O·C·16]} (each 4x4 row-major).
   */
  public static int[] transformWeights(int[] w, int outChannels, int inChannels) {
    int[] u = new int[outChannels * inChannels * 16];
    int[] t = new int[12]; // G2 g: 4x3
    for (int oc = 0; oc < outChannels; oc++) {
      for (int ic = 0; ic < inChannels; ic++) {
        int g = (oc * inChannels + ic) * 9;
        for (int j = 0; j < 3; j++) {
          int g0 = w[g + j];
          int g1 = w[g + 3 + j];
          int g2 = w[g + 6 + j];
          t[j] = 2 * g0;
          t[3 + j] = g0 + g1 + g2;
          t[6 + j] = g0 - g1 + g2;
          t[9 + j] = 2 * g2;
        }
        int o = (oc * inChannels + ic) * 16;
        for (int i = 0; i < 4; i++) {
          int a = t[i * 3];
          int b = t[i * 3 + 1];
          int c = t[i * 3 + 2];
          u[o + i * 4] = 2 * a;
          u[o + i * 4 + 1] = a + b + c;
          u[o + i * 4 + 2] = a - b + c;
          u[o + i * 4 + 3] = 2 * c;
        }
      }
    }
    return u;
  }

  /** {@code V = Bᵀ d B} of a 4x4 tile {@code d} (row-major), into {@code v}. */
  static void transformInput(int[] d, int[] v) {
    int[] t = new int[16]; // Bᵀ d
    for (int j = 0; j < 4; j++) {
      int d0 = d[j];
      int d1 = d[4 + j];
      int d2 = d[8 + j];
      int d3 = d[12 + j];
      t[j] = d0 - d2;
      t[4 + j] = d1 + d2;
      t[8 + j] = d2 - d1;
      t[12 + j] = d1 - d3;
    }
    for (int i = 0; i < 4; i++) {
      int a = t[i * 4];
      int b = t[i * 4 + 1];
      int c = t[i * 4 + 2];
      int e = t[i * 4 + 3];
      v[i * 4] = a - c;
      v[i * 4 + 1] = b + c;
      v[i * 4 + 2] = c - b;
      v[i * 4 + 3] = b - e;
    }
  }

  /**
   * Int32 accumulators of a stride-1, dilation-1 3x3 convolution computed by F(2x2,3x3): input
   * {@code x[C][H][W]} (one image, centered), transformed weights {@code u} from {@link
   * #transformWeights} for output channels {@code [oc0, oc1)} of {@code outChannelsTotal}, output
   * rows {@code [oy0, oy1)} and all columns. Returns {@code acc[(oc-oc0)][oy-oy0][ox]}.
   * {@code padTop}/{@code padLeft} place the input; positions outside it are 0.
   */
  public static int[] accumulate(
      int[] x, int c, int h, int w, int[] u, int oc0, int oc1, int oy0, int oy1, int ow, int padTop, int padLeft) {
    int rows = oy1 - oy0;
    int[] acc = new int[(oc1 - oc0) * rows * ow];
    int tilesY = (rows + 1) / 2;
    int tilesX = (ow + 1) / 2;
    int[] d = new int[16];
    // V for every input channel of the current tile, reused across output channels.
    int[] v = new int[c * 16];
    int[] vt = new int[16];
    long[] m = new long[16];
    for (int ty = 0; ty < tilesY; ty++) {
      for (int tx = 0; tx < tilesX; tx++) {
        int iy0 = oy0 + 2 * ty - padTop;
        int ix0 = 2 * tx - padLeft;
        for (int ic = 0; ic < c; ic++) {
          int base = ic * h * w;
          for (int r = 0; r < 4; r++) {
            int iy = iy0 + r;
            for (int s = 0; s < 4; s++) {
              int ix = ix0 + s;
              d[r * 4 + s] = iy >= 0 && iy < h && ix >= 0 && ix < w ? x[base + iy * w + ix] : 0;
            }
          }
          transformInput(d, vt);
          System.arraycopy(vt, 0, v, ic * 16, 16);
        }
        for (int oc = oc0; oc < oc1; oc++) {
          java.util.Arrays.fill(m, 0);
          int ub = oc * c * 16;
          for (int ic = 0; ic < c; ic++) {
            int uo = ub + ic * 16;
            int vo = ic * 16;
            for (int k = 0; k < 16; k++) m[k] += (long) u[uo + k] * v[vo + k];
          }
          // Y4 = Aᵀ M A with Aᵀ = [[1,1,1,0],[0,1,-1,-1]]; each entry is 4·Y, divided exactly.
          long[] t = new long[8];
          for (int j = 0; j < 4; j++) {
            t[j] = m[j] + m[4 + j] + m[8 + j];
            t[4 + j] = m[4 + j] - m[8 + j] - m[12 + j];
          }
          for (int i = 0; i < 2; i++) {
            long y0 = t[i * 4] + t[i * 4 + 1] + t[i * 4 + 2];
            long y1 = t[i * 4 + 1] - t[i * 4 + 2] - t[i * 4 + 3];
            int oy = 2 * ty + i;
            if (oy >= rows) continue;
            int ob = ((oc - oc0) * rows + oy) * ow;
            int ox = 2 * tx;
            acc[ob + ox] = (int) exactQuarter(y0);
            if (ox + 1 < ow) acc[ob + ox + 1] = (int) exactQuarter(y1);
          }
        }
      }
    }
    return acc;
  }

  private static long exactQuarter(long v) {
    if ((v & 3) != 0) throw new ArithmeticException("winograd output " + v + " is not a multiple of 4");
    return v >> 2;
  }

  /** Whether a convolution can use F(2x2,3x3): 3x3 kernel, stride 1, dilation 1, one group. */
  public static boolean applies(int kh, int kw, int[] strides, int[] dilations, int group) {
    return kh == 3 && kw == 3 && strides[0] == 1 && strides[1] == 1 && dilations[0] == 1 && dilations[1] == 1 && group == 1;
  }
}

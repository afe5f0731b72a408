package org.npuc.interp;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Float 3×3, stride-1, undilated convolution by Winograd's minimal filtering F(2×2, 3×3) (Lavin and
 * Gray 2016): each 2×2 output tile is {@code Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A} over a 4×4 input tile, so
 * the multiply-adds become 16 independent channel products ({@code M_ξ = U_ξ · V_ξ}, ξ one of the
 * 16 transform positions) with 2.25× fewer multiplications than the direct convolution. Weights
 * are transformed once per constant array (cached weakly by identity, like {@link PackedMatrix}).
 * Results equal the direct convolution up to float rounding; inputs or weights that are not all
 * finite take the direct path instead, because the transforms would turn an infinity into NaN
 * where the direct sum has ±∞, and so do layers whose values come near the float range, where an
 * intermediate of the transforms could overflow.
 */
final class WinogradConv {
  /** Fewer input channels than this leave the transforms dominant; the direct path is faster. */
  static final int MIN_CHANNELS = 16;

  /** Off only to compare against the direct path (tests and measurements). */
  static volatile boolean enabled = true;

  private static final Map<float[], Weights> CACHE = Collections.synchronizedMap(new WeakHashMap<>());

  private WinogradConv() {}

  /** Transformed weights of one constant: {@code uo[ξ][oc·c + ic]} and the same as zero-based rows {@code ur[ξ][ic][oc]}. */
  private record Weights(int o, int c, boolean finite, double maxAbs, float[][] uo, float[][][] ur) {}

  /**
   * The transforms scale values by small constants (at most 4 on the input side, 9/4 on the weight
   * side, 9 on the output side), so where the products come within this factor of the float range
   * an intermediate could overflow where the direct sum does not: such layers take the direct path.
   */
  static final double HEADROOM = 1024;

  /** Whether this convolution takes the Winograd path (the caller checks the input is finite). */
  static boolean applies(ConvKernels.Geometry g, int group, int c, boolean constantWeights, int oh, int ow) {
    return enabled && constantWeights && group == 1 && c >= MIN_CHANNELS && g.kh() == 3 && g.kw() == 3 && g.sh() == 1 && g.sw() == 1
        && g.dh() == 1 && g.dw() == 1 && oh >= 2 && ow >= 2;
  }

  private static Weights weights(float[] w, int o, int c) {
    Weights u = CACHE.get(w);
    if (u != null && u.o == o && u.c == c) return u;
    boolean finite = true;
    double maxAbs = 0;
    for (int i = 0; i < o * c * 9; i++) {
      finite &= Float.isFinite(w[i]);
      maxAbs = Math.max(maxAbs, Math.abs(w[i]));
    }
    float[][] uo = new float[16][o * c];
    float[][][] ur = new float[16][c][o];
    float[] t = new float[12];
    for (int oc = 0; oc < o; oc++) {
      for (int ic = 0; ic < c; ic++) {
        int g = (oc * c + ic) * 9;
        // t = G·g (4×3), then U = t·Gᵀ (4×4); G = [1 0 0; ½ ½ ½; ½ -½ ½; 0 0 1].
        for (int j = 0; j < 3; j++) {
          float g0 = w[g + j];
          float g1 = w[g + 3 + j];
          float g2 = w[g + 6 + j];
          t[j] = g0;
          t[3 + j] = 0.5f * (g0 + g1 + g2);
          t[6 + j] = 0.5f * (g0 - g1 + g2);
          t[9 + j] = g2;
        }
        for (int r = 0; r < 4; r++) {
          float a = t[3 * r];
          float b = t[3 * r + 1];
          float d = t[3 * r + 2];
          float[] row = {a, 0.5f * (a + b + d), 0.5f * (a - b + d), d};
          for (int col = 0; col < 4; col++) {
            uo[4 * r + col][oc * c + ic] = row[col];
            ur[4 * r + col][ic][oc] = row[col];
          }
        }
      }
    }
    u = new Weights(o, c, finite, maxAbs, uo, ur);
    CACHE.put(w, u);
    return u;
  }

  /**
   * Runs batch element {@code b} of the convolution into {@code out[b]}, or returns false (nothing
   * written) when its input or the weights are not all finite or too large for the transforms.
   */
  static boolean run(
      float[] x, int b, int c, int h, int w, float[] wt, int o, float[] bias, ConvKernels.Geometry g, float[] out, int oh, int ow,
      Gemm.Epilogue act) {
    Weights u = weights(wt, o, c);
    if (!u.finite) return false;
    int xOff = b * c * h * w;
    float maxX = 0;
    for (int i = xOff; i < xOff + c * h * w; i++) {
      if (!Float.isFinite(x[i])) return false;
      maxX = Math.max(maxX, Math.abs(x[i]));
    }
    if (maxX * u.maxAbs * HEADROOM > Float.MAX_VALUE) return false;
    int th = (oh + 1) / 2;
    int tw = (ow + 1) / 2;
    int tiles = th * tw;
    // Products run as rows of the longer side: oc-major rows of tiles, or tile-major rows of
    // channels (the vectorized loop is only efficient over long rows).
    boolean ocMajor = tiles >= o;
    boolean par = 16L * tiles * c * o >= Gemm.PARALLEL_WORK;
    // V: ocMajor → v[ξ][ic] rows of tiles; else vt[ξ][t·c + ic].
    float[][][] v = ocMajor ? new float[16][c][tiles] : null;
    float[][] vt = ocMajor ? null : new float[16][tiles * c];
    int ph = 2 * th + 2;
    int pw = 2 * tw + 2;
    Parallel.forRange(c, par,
        ic -> {
          float[] p = new float[ph * pw];
          // Zero-padded plane: padded (py, px) = (iy + pt, ix + pl), cropped to what tiles read.
          int src = xOff + ic * h * w;
          PaddedPlane.copy(x, src, h, w, g.pt(), g.pl(), p, ph, pw);
          float[] d = new float[16];
          // This channel's row of each ξ, looked up once (not per tile and element).
          float[][] vr = new float[16][];
          for (int xi = 0; xi < 16 && ocMajor; xi++) vr[xi] = v[xi][ic];
          for (int ty = 0; ty < th; ty++) {
            for (int tx = 0; tx < tw; tx++) {
              int base = 2 * ty * pw + 2 * tx;
              // Bᵀ·d·B with Bᵀ = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1]: first the rows...
              for (int j = 0; j < 4; j++) {
                float d0 = p[base + j];
                float d1 = p[base + pw + j];
                float d2 = p[base + 2 * pw + j];
                float d3 = p[base + 3 * pw + j];
                d[j] = d0 - d2;
                d[4 + j] = d1 + d2;
                d[8 + j] = d2 - d1;
                d[12 + j] = d1 - d3;
              }
              int t = ty * tw + tx;
              // ...then the columns.
              for (int r = 0; r < 4; r++) {
                float d0 = d[4 * r];
                float d1 = d[4 * r + 1];
                float d2 = d[4 * r + 2];
                float d3 = d[4 * r + 3];
                float e0 = d0 - d2;
                float e1 = d1 + d2;
                float e2 = d2 - d1;
                float e3 = d1 - d3;
                if (ocMajor) {
                  vr[4 * r][t] = e0;
                  vr[4 * r + 1][t] = e1;
                  vr[4 * r + 2][t] = e2;
                  vr[4 * r + 3][t] = e3;
                } else {
                  int k = t * c + ic;
                  vt[4 * r][k] = e0;
                  vt[4 * r + 1][k] = e1;
                  vt[4 * r + 2][k] = e2;
                  vt[4 * r + 3][k] = e3;
                }
              }
            }
          }
        });
    // M_ξ: ocMajor → m[ξ][oc·tiles + t], else m[ξ][t·o + oc].
    float[][] m = new float[16][tiles * o];
    Parallel.forRange(16, par,
        xi -> {
          if (Simd.enabled()) {
            // One product per ξ on the vector GEMM: M = U·V (oc rows) or Vᵀ·Uᵀ (tile rows).
            if (ocMajor) Gemm.multiply(o, tiles, c, u.uo[xi], 0, c, 1, Gemm.rows(v[xi]), m[xi], 0, tiles, false);
            else Gemm.multiply(tiles, o, c, vt[xi], 0, c, 1, Gemm.rows(u.ur[xi]), m[xi], 0, o, false);
            return;
          }
          if (ocMajor) {
            float[] acc = new float[tiles];
            for (int oc = 0; oc < o; oc++) {
              java.util.Arrays.fill(acc, 0f);
              rows(acc, tiles, u.uo[xi], oc * c, v[xi], c);
              System.arraycopy(acc, 0, m[xi], oc * tiles, tiles);
            }
          } else {
            float[] acc = new float[o];
            for (int t = 0; t < tiles; t++) {
              java.util.Arrays.fill(acc, 0f);
              rows(acc, o, vt[xi], t * c, u.ur[xi], c);
              System.arraycopy(acc, 0, m[xi], t * o, o);
            }
          }
        });
    int plane = oh * ow;
    int outOff = b * o * plane;
    if (Simd.enabled()) {
      outputVectors(m, ocMajor, tiles, tw, o, bias, out, outOff, oh, ow, act, par);
      return true;
    }
    Parallel.forRange(o, par,
        oc -> {
          float init = bias == null ? 0f : bias[oc];
          int dst = outOff + oc * plane;
          float[] s = new float[8];
          for (int t = 0; t < tiles; t++) {
            int idx = ocMajor ? oc * tiles + t : t * o + oc;
            // Aᵀ·M·A with Aᵀ = [1 1 1 0; 0 1 -1 -1]: rows, then columns.
            for (int j = 0; j < 4; j++) {
              float m0 = m[j][idx];
              float m1 = m[4 + j][idx];
              float m2 = m[8 + j][idx];
              float m3 = m[12 + j][idx];
              s[j] = m0 + m1 + m2;
              s[4 + j] = m1 - m2 - m3;
            }
            int oy = 2 * (t / tw);
            int ox = 2 * (t % tw);
            for (int r = 0; r < 2 && oy + r < oh; r++) {
              int row = dst + (oy + r) * ow + ox;
              out[row] = init + (s[4 * r] + s[4 * r + 1] + s[4 * r + 2]);
              if (ox + 1 < ow) out[row + 1] = init + (s[4 * r + 1] - s[4 * r + 2] - s[4 * r + 3]);
            }
          }
          if (act != null) act.apply(out, dst, dst + plane);
        });
    return true;
  }

  /**
   * The output transform on vectors: the 2×2 outputs of a run of tiles (one channel's tiles when
   * oc-major, one tile's channels otherwise) at once, then laid into the planes with the bias.
   */
  private static void outputVectors(
      float[][] m, boolean ocMajor, int tiles, int tw, int o, float[] bias, float[] out, int outOff, int oh, int ow, Gemm.Epilogue act, boolean par) {
    int plane = oh * ow;
    int runs = ocMajor ? o : tiles;
    int n = ocMajor ? tiles : o;
    Parallel.forRange(runs, par,
        r -> {
          float[] y00 = new float[n];
          float[] y01 = new float[n];
          float[] y10 = new float[n];
          float[] y11 = new float[n];
          VectorOps.winogradOutput(m, r * n, n, y00, y01, y10, y11);
          for (int i = 0; i < n; i++) {
            int oc = ocMajor ? r : i;
            int t = ocMajor ? i : r;
            float init = bias == null ? 0f : bias[oc];
            int oy = 2 * (t / tw);
            int ox = 2 * (t % tw);
            int row = outOff + oc * plane + oy * ow + ox;
            out[row] = init + y00[i];
            if (ox + 1 < ow) out[row + 1] = init + y01[i];
            if (oy + 1 < oh) {
              out[row + ow] = init + y10[i];
              if (ox + 1 < ow) out[row + ow + 1] = init + y11[i];
            }
          }
        });
    if (act != null) {
      Parallel.forRange(o, par, oc -> act.apply(out, outOff + oc * plane, outOff + (oc + 1) * plane));
    }
  }

  /** {@code acc[0..n) += Σ_k coef[co + k]·rows[k][0..n)}, four rows per pass through the vectorized axpy. */
  private static void rows(float[] acc, int n, float[] coef, int co, float[][] rows, int k) {
    int kk = 0;
    for (; kk + 3 < k; kk += 4) {
      Gemm.axpy4(
          acc, n, coef[co + kk], rows[kk], coef[co + kk + 1], rows[kk + 1], coef[co + kk + 2], rows[kk + 2], coef[co + kk + 3], rows[kk + 3]);
    }
    for (; kk < k; kk++) Gemm.axpy(acc, n, coef[co + kk], rows[kk]);
  }
}

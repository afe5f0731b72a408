package org.npuc.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Vector API kernels against direct loops, over sizes below, at and around the vector width
 * (tails, the overlapping last vector, row blocks of 4): bit-exact where the order of operations
 * is the loop's (depthwise taps, max, PReLU's select, Winograd's output transform).
 */
class VectorOpsTest {
  @BeforeEach
  void vectorsOn() {
    assumeTrue(Simd.enabled(), "Vector API not enabled in this JVM (the plain-Java path is tested instead)");
  }

  @Test
  void depthwiseWideEqualsTapLoopExactly() {
    Random r = new Random(5);
    for (int n : new int[] {1, 7, 15, 16, 17, 31, 32, 33, 63, 100}) {
      int[] off = {0, 1, 2, n + 3, n + 4, n + 5, 2 * n + 6, 2 * n + 7, 2 * n + 8};
      float[] q = new float[3 * n + 9 + n];
      for (int i = 0; i < q.length; i++) q[i] = r.nextFloat() * 4 - 2;
      float[] w = new float[11];
      for (int i = 0; i < w.length; i++) w[i] = r.nextFloat() * 2 - 1;
      float[] acc = new float[n];
      VectorOps.depthwiseWide(q, off, w, 2, off.length, 0.25f, acc, n);
      for (int i = 0; i < n; i++) {
        float s = 0.25f;
        for (int t = 0; t < off.length; t++) s += w[2 + t] * q[off[t] + i];
        assertEquals(s, acc[i], "n " + n + " at " + i);
      }
    }
  }

  @Test
  void maxIntoEqualsMathMaxExactly() {
    float[] special = {Float.NaN, -0f, 0f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, 1f, -1f};
    Random r = new Random(9);
    for (int n : new int[] {0, 1, 15, 16, 17, 40}) {
      float[] acc = new float[n + 3];
      float[] v = new float[n + 5];
      for (int i = 0; i < acc.length; i++) acc[i] = special[r.nextInt(special.length)];
      for (int i = 0; i < v.length; i++) v[i] = special[r.nextInt(special.length)];
      float[] want = acc.clone();
      for (int i = 0; i < n; i++) want[3 + i] = Math.max(want[3 + i], v[5 + i]);
      VectorOps.maxInto(acc, 3, v, 5, n);
      for (int i = 0; i < acc.length; i++) assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(acc[i]), "n " + n + " at " + i);
    }
  }

  @Test
  void preluEqualsSelectExactly() {
    float[] special = {Float.NaN, -0f, 0f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, 1.5f, -2.5f};
    Random r = new Random(11);
    for (float k : new float[] {0.25f, Float.POSITIVE_INFINITY, Float.NaN, 0f}) {
      for (int n : new int[] {1, 16, 21, 50}) {
        float[] x = new float[n + 2];
        for (int i = 0; i < x.length; i++) x[i] = special[r.nextInt(special.length)];
        float[] out = new float[n + 1];
        VectorOps.prelu(x, 2, out, 1, n, k);
        for (int i = 0; i < n; i++) {
          float xi = x[2 + i];
          float want = xi >= 0 ? xi : k * xi;
          assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(out[1 + i]), "slope " + k + " n " + n + " at " + i);
        }
      }
    }
  }

  @Test
  void winogradOutputEqualsScalarTransformExactly() {
    Random r = new Random(13);
    for (int n : new int[] {1, 9, 16, 21, 64, 121}) {
      float[][] m = new float[16][3 + n];
      for (float[] row : m) for (int i = 0; i < row.length; i++) row[i] = r.nextFloat() * 8 - 4;
      float[][] y = new float[4][n];
      VectorOps.winogradOutput(m, 3, n, y[0], y[1], y[2], y[3]);
      for (int i = 0; i < n; i++) {
        float[] s = new float[8];
        for (int j = 0; j < 4; j++) {
          s[j] = m[j][3 + i] + m[4 + j][3 + i] + m[8 + j][3 + i];
          s[4 + j] = m[4 + j][3 + i] - m[8 + j][3 + i] - m[12 + j][3 + i];
        }
        float[] want = {s[0] + s[1] + s[2], s[1] - s[2] - s[3], s[4] + s[5] + s[6], s[5] - s[6] - s[7]};
        for (int q = 0; q < 4; q++) assertEquals(want[q], y[q][i], "n " + n + " tile " + i + " output " + q);
      }
    }
  }
}

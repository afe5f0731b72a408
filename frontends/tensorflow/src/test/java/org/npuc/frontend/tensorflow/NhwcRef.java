package org.npuc.frontend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.npuc.ir.Tensor;

/**
 * Independent reference computations in TensorFlow's NHWC layout, written from TF's documented
 * definitions (not from the importer), for the hand-written GraphDef tests.
 */
final class NhwcRef {
  private NhwcRef() {}

  static float[] random(int n, long seed) {
    Random r = new Random(seed);
    float[] f = new float[n];
    for (int i = 0; i < n; i++) f[i] = (float) (r.nextGaussian());
    return f;
  }

  static Tensor tensor(int[] shape, float[] data) {
    return Tensor.ofFloats(shape, data);
  }

  static void assertClose(float[] expected, Tensor actual, double tol) {
    assertEquals(expected.length, actual.size(), "element count");
    float[] a = actual.floats();
    for (int i = 0; i < expected.length; i++) {
      if (Math.abs(expected[i] - a[i]) > tol * Math.max(1, Math.abs(expected[i]))) {
        assertEquals(expected[i], a[i], tol, "element " + i);
      }
    }
  }

  static void assertShape(int[] expected, Tensor t) {
    assertArrayEquals(expected, t.shape());
  }

  /** TF SAME padding along one axis: [before, after]. */
  static int[] same(int in, int k, int s, int d) {
    int out = (in + s - 1) / s;
    int eff = (k - 1) * d + 1;
    int total = Math.max(0, (out - 1) * s + eff - in);
    return new int[] {total / 2, total - total / 2};
  }

  /**
   * NHWC convolution, filter [kh, kw, cin/group, cout] (depthwise: pass {@code depthwise} with a
   * [kh, kw, C, M] filter). pads = {top, bottom, left, right}.
   */
  static float[] conv(
      float[] x,
      int[] xs,
      float[] w,
      int[] ws,
      int[] s,
      int[] d,
      int[] pads,
      boolean depthwise,
      int[] outShape) {
    int n = xs[0], h = xs[1], wd = xs[2], c = xs[3];
    int kh = ws[0], kw = ws[1];
    int cout = depthwise ? ws[2] * ws[3] : ws[3];
    int cinPerGroup = depthwise ? 1 : ws[2];
    int groups = depthwise ? c : c / cinPerGroup;
    int coutPerGroup = cout / groups;
    int oh = (h + pads[0] + pads[1] - ((kh - 1) * d[0] + 1)) / s[0] + 1;
    int ow = (wd + pads[2] + pads[3] - ((kw - 1) * d[1] + 1)) / s[1] + 1;
    outShape[0] = n;
    outShape[1] = oh;
    outShape[2] = ow;
    outShape[3] = cout;
    float[] y = new float[n * oh * ow * cout];
    for (int b = 0; b < n; b++)
      for (int i = 0; i < oh; i++)
        for (int j = 0; j < ow; j++)
          for (int o = 0; o < cout; o++) {
            int g = o / coutPerGroup;
            double acc = 0;
            for (int a = 0; a < kh; a++)
              for (int e = 0; e < kw; e++) {
                int yi = i * s[0] + a * d[0] - pads[0];
                int xj = j * s[1] + e * d[1] - pads[2];
                if (yi < 0 || yi >= h || xj < 0 || xj >= wd) continue;
                for (int ci = 0; ci < cinPerGroup; ci++) {
                  int inC;
                  float wv;
                  if (depthwise) {
                    inC = o / ws[3];
                    wv = w[((a * kw + e) * ws[2] + inC) * ws[3] + o % ws[3]];
                  } else {
                    inC = g * cinPerGroup + ci;
                    wv = w[((a * kw + e) * ws[2] + ci) * ws[3] + o];
                  }
                  acc += x[((b * h + yi) * wd + xj) * c + inC] * wv;
                }
              }
            y[((b * oh + i) * ow + j) * cout + o] = (float) acc;
          }
    return y;
  }

  /**
   * Conv2DBackpropInput by its definition: scatter each out_backprop element through the filter.
   */
  static float[] convBackpropInput(
      int[] inSizes, float[] w, int[] ws, float[] dy, int[] dys, int[] s, int[] pads) {
    int n = inSizes[0], h = inSizes[1], wd = inSizes[2], c = inSizes[3];
    float[] dx = new float[n * h * wd * c];
    for (int b = 0; b < n; b++)
      for (int i = 0; i < dys[1]; i++)
        for (int j = 0; j < dys[2]; j++)
          for (int o = 0; o < dys[3]; o++)
            for (int a = 0; a < ws[0]; a++)
              for (int e = 0; e < ws[1]; e++) {
                int yi = i * s[0] + a - pads[0];
                int xj = j * s[1] + e - pads[2];
                if (yi < 0 || yi >= h || xj < 0 || xj >= wd) continue;
                for (int ci = 0; ci < c; ci++) {
                  dx[((b * h + yi) * wd + xj) * c + ci] +=
                      dy[((b * dys[1] + i) * dys[2] + j) * dys[3] + o]
                          * w[((a * ws[1] + e) * ws[2] + ci) * ws[3] + o];
                }
              }
    return dx;
  }

  /** NHWC pooling; avg divides by the number of real (unpadded) elements, as TF does. */
  static float[] pool(
      float[] x, int[] xs, int[] k, int[] s, int[] pads, boolean max, int[] outShape) {
    int n = xs[0], h = xs[1], wd = xs[2], c = xs[3];
    int oh = (h + pads[0] + pads[1] - k[0]) / s[0] + 1;
    int ow = (wd + pads[2] + pads[3] - k[1]) / s[1] + 1;
    outShape[0] = n;
    outShape[1] = oh;
    outShape[2] = ow;
    outShape[3] = c;
    float[] y = new float[n * oh * ow * c];
    for (int b = 0; b < n; b++)
      for (int i = 0; i < oh; i++)
        for (int j = 0; j < ow; j++)
          for (int ch = 0; ch < c; ch++) {
            double acc = max ? Double.NEGATIVE_INFINITY : 0;
            int count = 0;
            for (int a = 0; a < k[0]; a++)
              for (int e = 0; e < k[1]; e++) {
                int yi = i * s[0] + a - pads[0];
                int xj = j * s[1] + e - pads[2];
                if (yi < 0 || yi >= h || xj < 0 || xj >= wd) continue;
                float v = x[((b * h + yi) * wd + xj) * c + ch];
                acc = max ? Math.max(acc, v) : acc + v;
                count++;
              }
            y[((b * oh + i) * ow + j) * c + ch] = (float) (max ? acc : acc / count);
          }
    return y;
  }

  /** TF ResizeBilinear (legacy, align_corners, half_pixel_centers) on NHWC. */
  static float[] resizeBilinear(float[] x, int[] xs, int oh, int ow, boolean align, boolean half) {
    int n = xs[0], h = xs[1], wd = xs[2], c = xs[3];
    float sy = scale(h, oh, align), sx = scale(wd, ow, align);
    float[] y = new float[n * oh * ow * c];
    for (int b = 0; b < n; b++)
      for (int i = 0; i < oh; i++) {
        float fy = half ? (i + 0.5f) * sy - 0.5f : i * sy;
        int y0 = Math.max((int) Math.floor(fy), 0), y1 = Math.min((int) Math.ceil(fy), h - 1);
        float ly = fy - (float) Math.floor(fy);
        for (int j = 0; j < ow; j++) {
          float fx = half ? (j + 0.5f) * sx - 0.5f : j * sx;
          int x0 = Math.max((int) Math.floor(fx), 0), x1 = Math.min((int) Math.ceil(fx), wd - 1);
          float lx = fx - (float) Math.floor(fx);
          for (int ch = 0; ch < c; ch++) {
            float tl = x[((b * h + y0) * wd + x0) * c + ch],
                tr = x[((b * h + y0) * wd + x1) * c + ch];
            float bl = x[((b * h + y1) * wd + x0) * c + ch],
                br = x[((b * h + y1) * wd + x1) * c + ch];
            float top = tl + (tr - tl) * lx, bot = bl + (br - bl) * lx;
            y[((b * oh + i) * ow + j) * c + ch] = top + (bot - top) * ly;
          }
        }
      }
    return y;
  }

  /** TF ResizeNearestNeighbor on NHWC. */
  static float[] resizeNearest(float[] x, int[] xs, int oh, int ow, boolean align, boolean half) {
    int n = xs[0], h = xs[1], wd = xs[2], c = xs[3];
    float sy = scale(h, oh, align), sx = scale(wd, ow, align);
    float[] y = new float[n * oh * ow * c];
    for (int b = 0; b < n; b++)
      for (int i = 0; i < oh; i++) {
        int yi = Math.min(h - 1, nearest(i, sy, align, half));
        for (int j = 0; j < ow; j++) {
          int xj = Math.min(wd - 1, nearest(j, sx, align, half));
          for (int ch = 0; ch < c; ch++)
            y[((b * oh + i) * ow + j) * c + ch] = x[((b * h + yi) * wd + xj) * c + ch];
        }
      }
    return y;
  }

  private static int nearest(int o, float scale, boolean align, boolean half) {
    float src = half ? (o + 0.5f) * scale : o * scale;
    return align ? Math.round(src) : (int) Math.floor(src);
  }

  private static float scale(int in, int out, boolean align) {
    return align && out > 1 ? (in - 1) / (float) (out - 1) : in / (float) out;
  }

  /** TF FakeQuant on one value, from its documented nudging, in float. */
  static float fakeQuant(float x, float min, float max, int bits, boolean narrow) {
    float qmin = narrow ? 1 : 0, qmax = (1 << bits) - 1;
    float scale = (max - min) / (qmax - qmin);
    float zpFromMin = qmin - min / scale;
    float zp = zpFromMin < qmin ? qmin : zpFromMin > qmax ? qmax : Math.round(zpFromMin);
    float lo = (qmin - zp) * scale, hi = (qmax - zp) * scale;
    float c = Math.min(Math.max(x, lo), hi);
    return (float) Math.floor((c - lo) / scale + 0.5f) * scale + lo;
  }
}

package org.npuc.frontend.caffe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.npuc.ir.Graph;
import org.npuc.ir.Tensor;

/** Convolution, Deconvolution and InnerProduct in all their parameter forms, against direct loops. */
class ConvolutionLayersTest {
  @TempDir Path dir;

  /** Direct cross-correlation as Caffe defines it. */
  static float[] conv(Tensor x, Tensor w, float[] b, int g, int sh, int sw, int ph, int pw, int dh, int dw, int oh, int ow) {
    int n = x.dim(0), c = x.dim(1), h = x.dim(2), wd = x.dim(3);
    int o = w.dim(0), cg = w.dim(1), kh = w.dim(2), kw = w.dim(3);
    float[] out = new float[n * o * oh * ow];
    for (int in = 0; in < n; in++)
      for (int oc = 0; oc < o; oc++) {
        int grp = oc / (o / g);
        for (int y = 0; y < oh; y++)
          for (int xx = 0; xx < ow; xx++) {
            double s = b == null ? 0 : b[oc];
            for (int ic = 0; ic < cg; ic++)
              for (int ky = 0; ky < kh; ky++)
                for (int kx = 0; kx < kw; kx++) {
                  int iy = y * sh - ph + ky * dh;
                  int ix = xx * sw - pw + kx * dw;
                  if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
                  s += x.floats()[((in * c + grp * cg + ic) * h + iy) * wd + ix] * w.floats()[((oc * cg + ic) * kh + ky) * kw + kx];
                }
            out[((in * o + oc) * oh + y) * ow + xx] = (float) s;
          }
      }
    return out;
  }

  @Test
  void convolutionWithPerDimensionFormsGroupsAndDilation() throws Exception {
    Tensor x = CaffeTesting.tensor(new int[] {2, 4, 7, 6}, CaffeTesting.data(2 * 4 * 7 * 6, 1));
    Tensor w = CaffeTesting.tensor(new int[] {6, 2, 3, 2}, CaffeTesting.data(6 * 2 * 3 * 2, 2));
    float[] b = CaffeTesting.data(6, 3);
    var out = new TestNet().input("data", x).layer("layer { name: \"c\" type: \"Convolution\" bottom: \"data\" top: \"c\""
        + " convolution_param { num_output: 6 kernel_h: 3 kernel_w: 2 stride_h: 2 stride_w: 1 pad_h: 1 pad_w: 2 dilation: 2 dilation: 1 group: 2 }"
        + TestNet.blob(w) + TestNet.blob(Tensor.ofFloats(new int[] {6}, b)) + " }").run(dir);
    // H' = (7 + 2 - (2·2+1))/2 + 1 = 3, W' = (6 + 4 - 2)/1 + 1 = 9
    CaffeTesting.assertShape(new int[] {2, 6, 3, 9}, out.get("c"), "conv");
    CaffeTesting.assertClose(conv(x, w, b, 2, 2, 1, 1, 2, 2, 1, 3, 9), out.get("c"), 1e-5f, "conv");
  }

  @Test
  void convolutionRepeatedFieldsAndNoBias() throws Exception {
    Tensor x = CaffeTesting.tensor(new int[] {1, 3, 5, 8}, CaffeTesting.data(120, 4));
    Tensor w = CaffeTesting.tensor(new int[] {2, 3, 2, 3}, CaffeTesting.data(36, 5));
    var out = new TestNet().input("data", x).layer("layer { name: \"c\" type: \"Convolution\" bottom: \"data\" top: \"c\""
        + " convolution_param { num_output: 2 bias_term: false kernel_size: 2 kernel_size: 3 stride: 1 stride: 2 pad: 0 pad: 1 }"
        + TestNet.blob(w) + " }").run(dir);
    // H' = (5 - 2)/1 + 1 = 4, W' = (8 + 2 - 3)/2 + 1 = 4
    CaffeTesting.assertClose(conv(x, w, null, 1, 1, 2, 0, 1, 1, 1, 4, 4), out.get("c"), 1e-5f, "conv");
  }

  @Test
  void deconvolutionScattersEachInputThroughTheKernel() throws Exception {
    Tensor x = CaffeTesting.tensor(new int[] {1, 4, 3, 2}, CaffeTesting.data(24, 6));
    Tensor w = CaffeTesting.tensor(new int[] {4, 3, 3, 3}, CaffeTesting.data(108, 7)); // [C, O/group, kh, kw], group 2 -> O = 6
    float[] b = CaffeTesting.data(6, 8);
    var out = new TestNet().input("data", x).layer("layer { name: \"d\" type: \"Deconvolution\" bottom: \"data\" top: \"d\""
        + " convolution_param { num_output: 6 kernel_size: 3 stride: 2 pad: 1 group: 2 }"
        + TestNet.blob(w) + TestNet.blob(Tensor.ofFloats(new int[] {6}, b)) + " }").run(dir);
    int oh = 2 * (3 - 1) + 3 - 2, ow = 2 * (2 - 1) + 3 - 2; // 5, 3
    float[] want = new float[6 * oh * ow];
    for (int o = 0; o < 6; o++) for (int i = 0; i < oh * ow; i++) want[o * oh * ow + i] = b[o];
    for (int c = 0; c < 4; c++) {
      int g = c / 2;
      for (int i = 0; i < 3; i++)
        for (int j = 0; j < 2; j++)
          for (int o = 0; o < 3; o++)
            for (int ky = 0; ky < 3; ky++)
              for (int kx = 0; kx < 3; kx++) {
                int y = i * 2 - 1 + ky, xx = j * 2 - 1 + kx;
                if (y < 0 || y >= oh || xx < 0 || xx >= ow) continue;
                want[((g * 3 + o) * oh + y) * ow + xx] += x.floats()[(c * 3 + i) * 2 + j] * w.floats()[((c * 3 + o) * 3 + ky) * 3 + kx];
              }
    }
    CaffeTesting.assertShape(new int[] {1, 6, 5, 3}, out.get("d"), "deconv");
    CaffeTesting.assertClose(want, out.get("d"), 1e-5f, "deconv");
  }

  @Test
  void innerProductFlattensFromAxisAndHonoursTranspose() throws Exception {
    Tensor x = CaffeTesting.tensor(new int[] {2, 3, 2, 2}, CaffeTesting.data(24, 9));
    Tensor w = CaffeTesting.tensor(new int[] {5, 4}, CaffeTesting.data(20, 10)); // axis 2: K = 2·2
    Tensor wt = CaffeTesting.tensor(new int[] {4, 5}, CaffeTesting.data(20, 11)); // transpose: [K, N]
    float[] b = CaffeTesting.data(5, 12);
    TestNet net = new TestNet().input("data", x)
        .layer("layer { name: \"a\" type: \"InnerProduct\" bottom: \"data\" top: \"a\" inner_product_param { num_output: 5 axis: 2 }"
            + TestNet.blob(w) + TestNet.blob(Tensor.ofFloats(new int[] {5}, b)) + " }")
        .layer("layer { name: \"t\" type: \"InnerProduct\" bottom: \"data\" top: \"t\" inner_product_param { num_output: 5 transpose: true bias_term: false }"
            + TestNet.blob(CaffeTesting.tensor(new int[] {12, 5}, CaffeTesting.data(60, 13))) + " }")
        .layer("layer { name: \"u\" type: \"InnerProduct\" bottom: \"data\" top: \"u\" inner_product_param { num_output: 5 axis: -2 transpose: true bias_term: false }"
            + TestNet.blob(wt) + " }");
    Graph g = net.graph(dir);
    assertEquals(3, g.outputs().size());
    var out = net.run(dir);
    float[] a = new float[2 * 3 * 5];
    float[] u = new float[2 * 3 * 5];
    for (int r = 0; r < 6; r++)
      for (int n = 0; n < 5; n++) {
        double s = b[n];
        double su = 0;
        for (int k = 0; k < 4; k++) {
          s += x.floats()[r * 4 + k] * w.floats()[n * 4 + k];
          su += x.floats()[r * 4 + k] * wt.floats()[k * 5 + n];
        }
        a[r * 5 + n] = (float) s;
        u[r * 5 + n] = (float) su;
      }
    CaffeTesting.assertShape(new int[] {2, 3, 5}, out.get("a"), "axis 2");
    CaffeTesting.assertClose(a, out.get("a"), 1e-5f, "axis 2");
    CaffeTesting.assertClose(u, out.get("u"), 1e-5f, "axis -2 transpose");
    Tensor w12 = CaffeTesting.tensor(new int[] {12, 5}, CaffeTesting.data(60, 13));
    float[] t = new float[10];
    for (int r = 0; r < 2; r++)
      for (int n = 0; n < 5; n++) {
        double s = 0;
        for (int k = 0; k < 12; k++) s += x.floats()[r * 12 + k] * w12.floats()[k * 5 + n];
        t[r * 5 + n] = (float) s;
      }
    CaffeTesting.assertShape(new int[] {2, 5}, out.get("t"), "transpose");
    CaffeTesting.assertClose(t, out.get("t"), 1e-5f, "transpose");
  }
}

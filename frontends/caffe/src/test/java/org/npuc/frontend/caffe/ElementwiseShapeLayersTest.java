package org.npuc.frontend.caffe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.npuc.ir.Graph;
import org.npuc.ir.Tensor;

/** Activations, Power, Eltwise, Softmax and the data-movement layers, with hand-computed values. */
class ElementwiseShapeLayersTest {
  @TempDir Path dir;

  private static final Tensor X = CaffeTesting.tensor(new int[] {1, 2, 1, 3}, -2f, -0.5f, 0f, 1f, 4f, 8f);

  @Test
  void activations() throws Exception {
    var out = new TestNet().input("data", X)
        .layer("layer { name: \"r\" type: \"ReLU\" bottom: \"data\" top: \"r\" }")
        .layer("layer { name: \"l\" type: \"ReLU\" bottom: \"data\" top: \"l\" relu_param { negative_slope: 0.1 } }")
        .layer("layer { name: \"r6\" type: \"ReLU6\" bottom: \"data\" top: \"r6\" }")
        .layer("layer { name: \"c\" type: \"Clip\" bottom: \"data\" top: \"c\" clip_param { min: -1 max: 2 } }")
        .layer("layer { name: \"s\" type: \"Sigmoid\" bottom: \"data\" top: \"s\" }")
        .layer("layer { name: \"t\" type: \"TanH\" bottom: \"data\" top: \"t\" }")
        .layer("layer { name: \"p\" type: \"PReLU\" bottom: \"data\" top: \"p\" " + TestNet.blob(CaffeTesting.tensor(new int[] {2}, 0.25f, 3f)) + " }")
        .layer("layer { name: \"ps\" type: \"PReLU\" bottom: \"data\" top: \"ps\" prelu_param { channel_shared: true } "
            + TestNet.blob(Tensor.ofFloats(new int[0], new float[] {0.5f})) + " }")
        .layer("layer { name: \"d\" type: \"Dropout\" bottom: \"data\" top: \"d\" dropout_param { dropout_ratio: 0.3 } }")
        .layer("layer { name: \"e\" type: \"ELU\" bottom: \"data\" top: \"e\" elu_param { alpha: 2 } }")
        .layer("layer { name: \"a\" type: \"AbsVal\" bottom: \"data\" top: \"a\" }")
        .run(dir);
    CaffeTesting.assertClose(new float[] {0, 0, 0, 1, 4, 8}, out.get("r"), 0, "relu");
    CaffeTesting.assertClose(new float[] {-0.2f, -0.05f, 0, 1, 4, 8}, out.get("l"), 1e-7f, "leaky");
    CaffeTesting.assertClose(new float[] {0, 0, 0, 1, 4, 6}, out.get("r6"), 0, "relu6");
    CaffeTesting.assertClose(new float[] {-1, -0.5f, 0, 1, 2, 2}, out.get("c"), 0, "clip");
    float[] s = new float[6];
    float[] t = new float[6];
    float[] e = new float[6];
    for (int i = 0; i < 6; i++) {
      float v = X.floats()[i];
      s[i] = (float) (1 / (1 + Math.exp(-v)));
      t[i] = (float) Math.tanh(v);
      e[i] = v > 0 ? v : (float) (2 * (Math.exp(v) - 1));
    }
    CaffeTesting.assertClose(s, out.get("s"), 1e-6f, "sigmoid");
    CaffeTesting.assertClose(t, out.get("t"), 1e-6f, "tanh");
    CaffeTesting.assertClose(new float[] {-0.5f, -0.125f, 0, 1, 4, 8}, out.get("p"), 1e-7f, "prelu per channel (channel 1 is >= 0)");
    CaffeTesting.assertClose(new float[] {-1f, -0.25f, 0, 1, 4, 8}, out.get("ps"), 1e-7f, "prelu shared");
    CaffeTesting.assertClose(X.floats(), out.get("d"), 0, "dropout is identity");
    CaffeTesting.assertClose(e, out.get("e"), 1e-6f, "elu");
    CaffeTesting.assertClose(new float[] {2, 0.5f, 0, 1, 4, 8}, out.get("a"), 0, "abs");
  }

  @Test
  void powerInItsForms() throws Exception {
    var out = new TestNet().input("data", X)
        .layer("layer { name: \"p\" type: \"Power\" bottom: \"data\" top: \"p\" power_param { power: 2 scale: 0.5 shift: 1 } }")
        .layer("layer { name: \"q\" type: \"Power\" bottom: \"data\" top: \"q\" power_param { scale: -2 } }")
        .layer("layer { name: \"z\" type: \"Power\" bottom: \"data\" top: \"z\" power_param { power: 3 scale: 0 shift: 2 } }")
        .layer("layer { name: \"o\" type: \"Power\" bottom: \"data\" top: \"o\" power_param { power: 0 } }")
        .layer("layer { name: \"i\" type: \"Power\" bottom: \"data\" top: \"i\" }")
        .run(dir);
    CaffeTesting.assertClose(new float[] {0, 0.5625f, 1, 2.25f, 9, 25}, out.get("p"), 1e-6f, "(1 + x/2)^2");
    CaffeTesting.assertClose(new float[] {4, 1, 0, -2, -8, -16}, out.get("q"), 0, "-2x");
    CaffeTesting.assertClose(new float[] {8, 8, 8, 8, 8, 8}, out.get("z"), 0, "scale 0: shift^power");
    CaffeTesting.assertClose(new float[] {1, 1, 1, 1, 1, 1}, out.get("o"), 0, "power 0");
    CaffeTesting.assertClose(X.floats(), out.get("i"), 0, "defaults: identity");
  }

  @Test
  void eltwiseSoftmaxConcat() throws Exception {
    Tensor y = CaffeTesting.tensor(new int[] {1, 2, 1, 3}, 1f, 1f, 2f, -3f, 0.5f, 10f);
    var out = new TestNet().input("data", X).input("y", y)
        .layer("layer { name: \"sum\" type: \"Eltwise\" bottom: \"data\" bottom: \"y\" bottom: \"y\" top: \"sum\" eltwise_param { coeff: 1 coeff: -1 coeff: 0.5 } }")
        .layer("layer { name: \"prod\" type: \"Eltwise\" bottom: \"data\" bottom: \"y\" top: \"prod\" eltwise_param { operation: PROD } }")
        .layer("layer { name: \"max\" type: \"Eltwise\" bottom: \"data\" bottom: \"y\" top: \"max\" eltwise_param { operation: MAX } }")
        .layer("layer { name: \"plain\" type: \"Eltwise\" bottom: \"data\" bottom: \"y\" top: \"plain\" }")
        .layer("layer { name: \"sm\" type: \"Softmax\" bottom: \"data\" top: \"sm\" }")
        .layer("layer { name: \"sm3\" type: \"Softmax\" bottom: \"data\" top: \"sm3\" softmax_param { axis: -1 } }")
        .layer("layer { name: \"cat\" type: \"Concat\" bottom: \"data\" bottom: \"y\" top: \"cat\" concat_param { axis: 3 } }")
        .layer("layer { name: \"cat1\" type: \"Concat\" bottom: \"data\" bottom: \"y\" top: \"cat1\" }")
        .run(dir);
    float[] x = X.floats();
    float[] yy = y.floats();
    float[] sum = new float[6], prod = new float[6], max = new float[6], plain = new float[6], sm = new float[6], sm3 = new float[6];
    for (int i = 0; i < 6; i++) {
      sum[i] = x[i] - yy[i] + 0.5f * yy[i];
      prod[i] = x[i] * yy[i];
      max[i] = Math.max(x[i], yy[i]);
      plain[i] = x[i] + yy[i];
    }
    for (int w = 0; w < 3; w++) {
      double a = Math.exp(x[w]), b = Math.exp(x[3 + w]);
      sm[w] = (float) (a / (a + b));
      sm[3 + w] = (float) (b / (a + b));
    }
    for (int c = 0; c < 2; c++) {
      double z = 0;
      for (int w = 0; w < 3; w++) z += Math.exp(x[c * 3 + w]);
      for (int w = 0; w < 3; w++) sm3[c * 3 + w] = (float) (Math.exp(x[c * 3 + w]) / z);
    }
    CaffeTesting.assertClose(sum, out.get("sum"), 1e-6f, "sum with coeff");
    CaffeTesting.assertClose(prod, out.get("prod"), 0, "prod");
    CaffeTesting.assertClose(max, out.get("max"), 0, "max");
    CaffeTesting.assertClose(plain, out.get("plain"), 0, "sum");
    CaffeTesting.assertClose(sm, out.get("sm"), 1e-6f, "softmax over channels (Caffe's default axis 1)");
    CaffeTesting.assertClose(sm3, out.get("sm3"), 1e-6f, "softmax axis -1");
    CaffeTesting.assertClose(new float[] {-2, -0.5f, 0, 1, 1, 2, 1, 4, 8, -3, 0.5f, 10}, out.get("cat"), 0, "concat axis 3");
    CaffeTesting.assertShape(new int[] {1, 4, 1, 3}, out.get("cat1"), "concat axis 1");
    CaffeTesting.assertClose(new float[] {-2, -0.5f, 0, 1, 4, 8, 1, 1, 2, -3, 0.5f, 10}, out.get("cat1"), 0, "concat axis 1");
  }

  @Test
  void reshapeFlattenPermuteSliceSplit() throws Exception {
    Tensor x = CaffeTesting.tensor(new int[] {2, 3, 2, 2}, new float[24]);
    for (int i = 0; i < 24; i++) x.floats()[i] = i;
    TestNet net = new TestNet().input("data", x)
        .layer("layer { name: \"f\" type: \"Flatten\" bottom: \"data\" top: \"f\" }")
        .layer("layer { name: \"f2\" type: \"Flatten\" bottom: \"data\" top: \"f2\" flatten_param { axis: 1 end_axis: 2 } }")
        .layer("layer { name: \"r\" type: \"Reshape\" bottom: \"data\" top: \"r\" reshape_param { shape { dim: 0 dim: -1 dim: 3 } } }")
        .layer("layer { name: \"r2\" type: \"Reshape\" bottom: \"data\" top: \"r2\" reshape_param { shape { dim: 2 dim: 1 } axis: 2 num_axes: 1 } }")
        .layer("layer { name: \"p\" type: \"Permute\" bottom: \"data\" top: \"p\" permute_param { order: 0 order: 2 } }")
        .layer("layer { name: \"sl\" type: \"Slice\" bottom: \"data\" top: \"a\" top: \"b\" slice_param { axis: 1 slice_point: 1 } }")
        .layer("layer { name: \"sl2\" type: \"Slice\" bottom: \"data\" top: \"c\" top: \"d\" slice_param { axis: -1 } }")
        .layer("layer { name: \"sp\" type: \"Split\" bottom: \"data\" top: \"s1\" top: \"s2\" }")
        .layer("layer { name: \"add\" type: \"Eltwise\" bottom: \"s1\" bottom: \"s2\" top: \"sum\" }");
    Graph g = net.graph(dir);
    assertEquals(List.of("f", "f2", "r", "r2", "p", "a", "b", "c", "d", "sum"), g.outputs().stream().map(o -> o.attributes().getString("name")).toList());
    var out = net.run(dir);
    CaffeTesting.assertShape(new int[] {2, 12}, out.get("f"), "flatten");
    CaffeTesting.assertShape(new int[] {2, 6, 2}, out.get("f2"), "flatten 1..2");
    CaffeTesting.assertShape(new int[] {2, 4, 3}, out.get("r"), "reshape 0,-1,3");
    CaffeTesting.assertShape(new int[] {2, 3, 2, 1, 2}, out.get("r2"), "reshape axis 2, num_axes 1: H becomes 2x1");
    CaffeTesting.assertClose(x.floats(), out.get("r"), 0, "reshape keeps order");
    // Permute order 0,2 then the rest (1,3): [2,2,3,2]; element (n,h,c,w) = x(n,c,h,w).
    CaffeTesting.assertShape(new int[] {2, 2, 3, 2}, out.get("p"), "permute");
    float[] p = out.get("p").floats();
    for (int n = 0; n < 2; n++)
      for (int h = 0; h < 2; h++)
        for (int c = 0; c < 3; c++)
          for (int w = 0; w < 2; w++) assertEquals(((n * 3 + c) * 2 + h) * 2 + w, p[((n * 2 + h) * 3 + c) * 2 + w], 0f);
    CaffeTesting.assertShape(new int[] {2, 1, 2, 2}, out.get("a"), "slice a");
    CaffeTesting.assertClose(new float[] {0, 1, 2, 3, 12, 13, 14, 15}, out.get("a"), 0, "slice a");
    CaffeTesting.assertShape(new int[] {2, 2, 2, 2}, out.get("b"), "slice b");
    CaffeTesting.assertShape(new int[] {2, 3, 2, 1}, out.get("c"), "even slice");
    assertEquals(0f, out.get("c").floats()[0]);
    assertEquals(2f, out.get("c").floats()[1]);
    assertEquals(1f, out.get("d").floats()[0]);
    for (int i = 0; i < 24; i++) assertEquals(2f * i, out.get("sum").floats()[i], 0f);
  }
}

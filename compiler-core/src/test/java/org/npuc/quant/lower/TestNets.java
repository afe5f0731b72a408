package org.npuc.quant.lower;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.npuc.ir.Attributes;
import org.npuc.ir.Builder;
import org.npuc.ir.Graph;
import org.npuc.ir.Location;
import org.npuc.ir.Tensor;
import org.npuc.ir.Value;
import org.npuc.ir.type.TensorType;

/** A small seeded CNN with every op kind the lowering handles, and random inputs for it. */
final class TestNets {
  private TestNets() {}

  private static Tensor gauss(Random r, double std, int... shape) {
    float[] d = new float[(int) Tensor.count(shape)];
    for (int i = 0; i < d.length; i++) d[i] = (float) (r.nextGaussian() * std);
    return Tensor.ofFloats(shape, d);
  }

  private static Attributes conv(String act) {
    return Attributes.of("pads", new int[] {1, 1, 1, 1}, "act", act);
  }

  /**
   * input [N,3,8,8] → conv(relu6) → conv(relu) ⊕ conv (residual add, relu) → concat with the first
   * conv → max_pool → avg_pool(global) → flatten → matmul → softmax; and a depthwise conv branch.
   */
  static Graph cnn(long seed) {
    Random r = new Random(seed);
    Graph g = new Graph("cnn");
    Builder b = new Builder(g);
    Value x = b.input("x", TensorType.f32(-1, 3, 8, 8), Location.of("x"));
    Value c1 = b.value("conv2d", List.of(x, b.constant(gauss(r, 0.4, 8, 3, 3, 3), Location.of("c1")), b.constant(gauss(r, 0.1, 8), Location.of("c1"))), conv("relu6"), Location.of("c1"));
    Value c2 = b.value("conv2d", List.of(c1, b.constant(gauss(r, 0.2, 8, 8, 3, 3), Location.of("c2")), b.constant(gauss(r, 0.1, 8), Location.of("c2"))), conv("relu"), Location.of("c2"));
    Value c3 = b.value("conv2d", List.of(c2, b.constant(gauss(r, 0.2, 8, 8, 3, 3), Location.of("c3"))), conv("none"), Location.of("c3"));
    Value res = b.value("add", List.of(c3, c1), Attributes.of("act", "relu"), Location.of("res"));
    Value dw = b.value("conv2d", List.of(res, b.constant(gauss(r, 0.3, 8, 1, 3, 3), Location.of("dw"))), Attributes.of("pads", new int[] {1, 1, 1, 1}, "group", 8), Location.of("dw"));
    Value cat = b.value("concat", List.of(dw, c1), Attributes.of("axis", 1), Location.of("cat"));
    Value mp = b.value("max_pool", List.of(cat), Attributes.of("kernel", new int[] {2, 2}, "strides", new int[] {2, 2}), Location.of("pool"));
    Value gap = b.value("avg_pool", List.of(mp), Attributes.of("global", true), Location.of("gap"));
    Value flat = b.value("flatten", List.of(gap), null, Location.of("flat"));
    Value fc = b.value("matmul", List.of(flat, b.constant(gauss(r, 0.5, 5, 16), Location.of("fc")), b.constant(gauss(r, 0.1, 5), Location.of("fc"))), Attributes.of("transpose_b", true), Location.of("fc"));
    Value prob = b.value("softmax", List.of(fc), Attributes.of("axis", -1), Location.of("prob"));
    b.output("prob", prob, Location.of("prob"));
    b.output("logits", fc, Location.of("logits"));
    return g;
  }

  /** {@code n} random images in [0, 1). */
  static SampleSet inputs(long seed, int n) {
    Random r = new Random(seed);
    float[] d = new float[n * 3 * 8 * 8];
    for (int i = 0; i < d.length; i++) d[i] = r.nextFloat();
    return SampleSet.of(Map.of("x", Tensor.ofFloats(new int[] {n, 3, 8, 8}, d)));
  }
}

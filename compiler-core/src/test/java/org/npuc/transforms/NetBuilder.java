package org.npuc.transforms;

import java.util.List;
import java.util.Random;
import org.npuc.ir.Attributes;
import org.npuc.ir.Builder;
import org.npuc.ir.Graph;
import org.npuc.ir.Location;
import org.npuc.ir.Tensor;
import org.npuc.ir.Value;
import org.npuc.ir.type.TensorType;

/** Builds small float test graphs of core ops with seeded random weights, for the pass tests. */
final class NetBuilder {
  final Graph graph = new Graph("net");
  final Builder b = new Builder(graph);
  private final Random random;
  private int counter;

  NetBuilder(long seed) {
    random = new Random(seed);
  }

  Value input(String name, int... shape) {
    return b.input(name, TensorType.f32(shape), Location.of(name));
  }

  void output(String name, Value v) {
    b.output(name, v, Location.of(name));
  }

  /** A random constant with values in [lo, hi). */
  Value random(float lo, float hi, int... shape) {
    float[] d = new float[(int) Tensor.count(shape)];
    for (int i = 0; i < d.length; i++) d[i] = lo + (hi - lo) * random.nextFloat();
    return b.constant(Tensor.ofFloats(shape, d), Location.of("c" + counter++));
  }

  Value constant(float[] values, int... shape) {
    return b.constant(Tensor.ofFloats(shape, values), Location.of("c" + counter++));
  }

  Value op(String name, List<Value> operands, Object... attrs) {
    return b.value(name, operands, Attributes.of(attrs), Location.of(name + counter++));
  }

  Value conv(Value x, int out, int k, int[] pads, int group, boolean bias, Object... extra) {
    int c = x.type().dim(1);
    Value w = random(-1, 1, out, c / group, k, k);
    Attributes a = Attributes.of(extra).set("pads", pads).set("group", group);
    List<Value> ops = bias ? List.of(x, w, random(-1, 1, out)) : List.of(x, w);
    return b.value("conv2d", ops, a, Location.of("conv" + counter++));
  }

  /** batch_norm with random positive variances and scales of either sign. */
  Value batchNorm(Value x, int axis) {
    int c = x.type().dim(axis);
    return b.value("batch_norm", List.of(x, random(-2, 2, c), random(-1, 1, c), random(-1, 1, c), random(0.1f, 2, c)),
        Attributes.of("epsilon", 1e-3, "axis", axis), Location.of("bn" + counter++));
  }
}

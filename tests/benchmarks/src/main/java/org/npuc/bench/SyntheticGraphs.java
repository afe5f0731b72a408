package org.npuc.bench;

import java.util.List;
import java.util.SplittableRandom;
import org.npuc.ir.Attributes;
import org.npuc.ir.Builder;
import org.npuc.ir.Graph;
import org.npuc.ir.Location;
import org.npuc.ir.Tensor;
import org.npuc.ir.Value;
import org.npuc.ir.type.TensorType;

/**
 * Synthetic graphs of a requested size for the scaling figure, built from the patterns real
 * networks give the default pipeline: convolutions with bias and ReLU, a bias_add to fuse,
 * identities to remove, constant sub-graphs to fold, equal constants for CSE, and (in the DAG
 * kind) inception-style branches joined by a concat plus a residual add. Tensors are small
 * (1×8×8×8) so the figure measures the compiler's per-op cost, not arithmetic.
 */
public final class SyntheticGraphs {
  /** The shape of a graph: a straight chain, or a DAG with branches, concats and residuals. */
  public enum Kind {
    CHAIN,
    DAG
  }

  private static final int C = 8;
  private static final int HW = 8;

  private final Builder b;
  private final SplittableRandom random;
  private int serial;

  private SyntheticGraphs(Graph g, long seed) {
    this.b = new Builder(g);
    this.random = new SplittableRandom(seed);
  }

  /** A graph of {@code kind} with at least {@code ops} operations (inputs, constants and outputs count). */
  public static Graph build(Kind kind, int ops, long seed) {
    Graph g = new Graph(kind.name().toLowerCase() + "_" + ops);
    SyntheticGraphs s = new SyntheticGraphs(g, seed);
    Value x = s.b.input("x", TensorType.f32(1, C, HW, HW), Location.of("x"));
    while (g.size() < ops - 1) x = kind == Kind.CHAIN ? s.link(x) : s.block(x);
    s.b.output("y", x, Location.of("y"));
    return g;
  }

  /** Chain link (5 ops): 1×1 conv with bias, relu, identity. */
  private Value link(Value x) {
    String n = "l" + (++serial);
    Value w = constant(n + "/w", random(C, C, 1, 1));
    Value bias = constant(n + "/b", random(C));
    Value y = b.value("conv2d", List.of(x, w, bias), new Attributes(), Location.of(n));
    y = b.value("relu", List.of(y), new Attributes(), Location.of(n + "/relu"));
    return b.value("identity", List.of(y), new Attributes(), Location.of(n + "/id"));
  }

  /**
   * DAG block (16 ops): branch a = relu(conv1×1(x) + bias); branch b = relu(bias_add(conv3×3(x)));
   * concat(a, b) + x (residual), an identity, and a per-channel scale whose factor is a product of
   * two constants (folded) that are equal in every block (merged by CSE).
   */
  private Value block(Value x) {
    String n = "b" + (++serial);
    Value wa = constant(n + "/a/w", random(C / 2, C, 1, 1));
    Value ba = constant(n + "/a/b", random(C / 2));
    Value a = b.value("conv2d", List.of(x, wa, ba), new Attributes(), Location.of(n + "/a"));
    a = b.value("relu", List.of(a), new Attributes(), Location.of(n + "/a/relu"));
    Value wb = constant(n + "/b/w", random(C / 2, C, 3, 3));
    Value c = b.value("conv2d", List.of(x, wb), Attributes.of("pads", new int[] {1, 1, 1, 1}), Location.of(n + "/b"));
    Value bb = constant(n + "/b/bias", random(C / 2));
    c = b.value("bias_add", List.of(c, bb), new Attributes(), Location.of(n + "/b/bias_add"));
    c = b.value("relu", List.of(c), new Attributes(), Location.of(n + "/b/relu"));
    Value cat = b.value("concat", List.of(a, c), Attributes.of("axis", 1), Location.of(n + "/concat"));
    Value sum = b.value("add", List.of(cat, x), new Attributes(), Location.of(n + "/add"));
    Value id = b.value("identity", List.of(sum), new Attributes(), Location.of(n + "/id"));
    Value k1 = constant(n + "/k1", fixed(0.5f));
    Value k2 = constant(n + "/k2", fixed(1.5f));
    Value k = b.value("mul", List.of(k1, k2), new Attributes(), Location.of(n + "/k"));
    return b.value("mul", List.of(id, k), new Attributes(), Location.of(n + "/scale"));
  }

  private Value constant(String name, Tensor t) {
    return b.constant(t, Location.of(name));
  }

  private Tensor random(int... shape) {
    float[] v = new float[(int) Tensor.count(shape)];
    for (int i = 0; i < v.length; i++) v[i] = (float) ((random.nextDouble() * 2 - 1) * 0.3);
    return Tensor.ofFloats(shape, v);
  }

  private static Tensor fixed(float base) {
    float[] v = new float[C];
    for (int i = 0; i < C; i++) v[i] = base + 0.01f * i;
    return Tensor.ofFloats(new int[] {1, C, 1, 1}, v);
  }
}

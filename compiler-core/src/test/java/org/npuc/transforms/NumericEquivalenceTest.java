package org.npuc.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.npuc.interp.Interpreter;
import org.npuc.ir.Attributes;
import org.npuc.ir.Builder;
import org.npuc.ir.Graph;
import org.npuc.ir.Location;
import org.npuc.ir.Operation;
import org.npuc.ir.Tensor;
import org.npuc.ir.Value;
import org.npuc.ir.type.TensorType;
import org.npuc.pass.PassContext;
import org.npuc.pass.PassManager;

/**
 * Every general pass keeps the float function: the reference interpreter runs the graph before and
 * after the pass on seeded random inputs and the outputs must agree (1e-5), then the structure is
 * checked (the pass did fire). The graph is a small CNN with everything the passes act on.
 */
class NumericEquivalenceTest {
  private static Tensor random(Random r, int... shape) {
    float[] d = new float[(int) Tensor.count(shape)];
    for (int i = 0; i < d.length; i++) d[i] = (float) r.nextGaussian();
    return Tensor.ofFloats(shape, d);
  }

  /**
   * conv(x, w*scale) + b → identity → relu, computed twice (cse), a constant-only weight
   * subexpression (fold), a dead branch (dce), an unused input (strip), then pool and matmul.
   */
  static Graph model(long seed) {
    Random r = new Random(seed);
    Graph g = new Graph("cnn");
    Builder b = new Builder(g);
    Value x = b.input("x", TensorType.f32(1, 3, 8, 8), Location.of("x"));
    b.input("unused", TensorType.f32(1, 4), Location.of("unused"));
    Value w = b.constant(random(r, 4, 3, 3, 3), Location.of("w"));
    Value scale = b.constant(random(r, 4, 1, 1, 1), Location.of("scale"));
    Value ws = b.value("mul", List.of(w, scale), null, Location.of("w_scaled"));
    Value bias = b.constant(random(r, 4), Location.of("b"));
    Attributes conv = Attributes.of("strides", new int[] {1, 1}, "pads", new int[] {1, 1, 1, 1}, "dilations", new int[] {1, 1}, "group", 1);
    Value c1 = b.value("conv2d", List.of(x, ws, bias), new Attributes(conv), Location.of("conv_a"));
    Value c2 = b.value("conv2d", List.of(x, ws, bias), new Attributes(conv), Location.of("conv_b"));
    Value i1 = b.value("identity", List.of(c1), null, Location.of("Identity"));
    Value r1 = b.value("relu", List.of(i1), null, Location.of("relu_a"));
    Value r2 = b.value("relu", List.of(c2), null, Location.of("relu_b"));
    Value sum = b.value("add", List.of(r1, r2), null, Location.of("sum"));
    b.value("sigmoid", List.of(sum), null, Location.of("dead"));
    Value p = b.value("avg_pool", List.of(sum), Attributes.of("kernel", new int[] {2, 2}, "strides", new int[] {2, 2}), Location.of("pool"));
    Value f = b.value("flatten", List.of(p), null, Location.of("flat"));
    Value fc = b.constant(random(r, 5, 64), Location.of("fc_w"));
    Value y = b.value("matmul", List.of(f, fc), Attributes.of("transpose_b", true), Location.of("fc"));
    Value id = b.value("identity", List.of(y), null, Location.of("Identity_1"));
    b.output("y", id, Location.of("y"));
    return g;
  }

  private static Map<String, Tensor> inputs(Graph g, long seed) {
    Random r = new Random(seed);
    Map<String, Tensor> m = new LinkedHashMap<>();
    for (Operation in : g.inputs()) m.put(in.attributes().getString("name"), random(r, in.result().type().shape()));
    return m;
  }

  private static int count(Graph g, String opName) {
    int n = 0;
    for (Operation op : g) if (op.is(opName)) n++;
    return n;
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = ';', value = {
    "fold_constants; mul",
    "cse; conv2d",
    "remove_nodes(op=identity); identity",
    "eliminate_dead_code; sigmoid",
    "strip_unused_nodes; input",
    "optimize; constant",
  })
  void passKeepsTheFunction(String pipeline, String shrinkingOp) {
    Graph before = model(7);
    Graph after = model(7);
    int opsBefore = count(after, shrinkingOp);
    new PassManager(org.npuc.pass.Pipeline.parse(pipeline, org.npuc.pass.PassRegistry.global()), PassContext.global()).run(after);
    assertTrue(count(after, shrinkingOp) < opsBefore, pipeline + " should remove some " + shrinkingOp + " ops");
    Consumer<Long> compare = seed -> {
      Map<String, Tensor> in = inputs(before, seed);
      Tensor want = new Interpreter(before).run(in).get("y");
      Map<String, Tensor> inAfter = new LinkedHashMap<>();
      for (Operation op : after.inputs()) inAfter.put(op.attributes().getString("name"), in.get(op.attributes().getString("name")));
      Tensor got = new Interpreter(after).run(inAfter).get("y");
      assertEquals(want.type(), got.type());
      for (int i = 0; i < want.size(); i++) {
        float a = want.getFloat(i);
        float c = got.getFloat(i);
        assertTrue(Math.abs(a - c) <= 1e-5f * Math.max(1f, Math.abs(a)), pipeline + ": output " + i + " was " + a + ", now " + c);
      }
    };
    for (long seed = 1; seed <= 3; seed++) compare.accept(seed);
  }
}

package org.npuc.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.npuc.ops.OpTester.a;
import static org.npuc.ops.OpTester.check;
import static org.npuc.ops.OpTester.run;
import static org.npuc.ops.OpTester.s;
import static org.npuc.ops.OpTester.t;

import org.junit.jupiter.api.Test;
import org.npuc.ir.Tensor;
import org.npuc.ir.type.ScalarType;
import org.npuc.ir.type.TensorType;

/** Binary (broadcasting) and unary elementwise ops, prelu and softmax against hand-computed values. */
class ElementwiseOpsTest {
  @Test
  void broadcastScalar() {
    check(run("add", null, Tensor.scalar(10), t(s(2, 2), 1, 2, 3, 4)), s(2, 2), 11, 12, 13, 14);
    check(run("sub", null, t(s(2, 2), 1, 2, 3, 4), Tensor.scalar(1)), s(2, 2), 0, 1, 2, 3);
  }

  @Test
  void broadcastOneAgainstN() {
    check(run("mul", null, t(s(1), 3), t(s(3), 1, 2, 3)), s(3), 3, 6, 9);
    check(run("mul", null, t(s(3), 1, 2, 3), t(s(1), 3)), s(3), 3, 6, 9);
  }

  @Test
  void broadcastRankMismatch() {
    check(run("sub", null, t(s(2, 3), 1, 2, 3, 4, 5, 6), t(s(3), 1, 1, 1)), s(2, 3), 0, 1, 2, 3, 4, 5);
    // Per-channel NCHW bias [C,1,1] against [N,C,H,W].
    check(run("add", null, t(s(1, 2, 1, 2), 1, 2, 3, 4), t(s(2, 1, 1), 10, 20)), s(1, 2, 1, 2), 11, 12, 23, 24);
  }

  @Test
  void broadcastBothSidesStretch() {
    check(run("add", null, t(s(2, 1), 10, 20), t(s(1, 3), 1, 2, 3)), s(2, 3), 11, 12, 13, 21, 22, 23);
    // [3,1,2] vs [1,2,1] -> [3,2,2]
    Tensor x = t(s(3, 1, 2), 1, 2, 3, 4, 5, 6);
    Tensor y = t(s(1, 2, 1), 0, 100);
    check(run("add", null, x, y), s(3, 2, 2), 1, 2, 101, 102, 3, 4, 103, 104, 5, 6, 105, 106);
  }

  @Test
  void incompatibleShapesAreNamed() {
    OpTester.inferError("add", null, new TensorType[] {TensorType.f32(2, 3), TensorType.f32(2)},
        "add:", "[2,3]", "[2]", "not broadcast-compatible", "got 3 and 2");
    OpTester.inferError("div", a("act", "relu"), new TensorType[] {TensorType.f32(2), TensorType.f32(2)}, "attribute 'act'");
  }

  @Test
  void unknownDimsPropagate() {
    assertArrayEquals(s(-1, 3), OpTester.infer("add", null, TensorType.f32(-1, 3), TensorType.f32(3)).shape());
    assertArrayEquals(s(4, 3), OpTester.infer("add", null, TensorType.f32(-1, 3), TensorType.f32(4, 1)).shape());
    assertArrayEquals(s(-1, 3), OpTester.infer("add", null, TensorType.f32(-1, 3), TensorType.f32(-1, 1)).shape());
  }

  @Test
  void otherBinaryOps() {
    Tensor x = t(s(4), 1, -2, 9, 0);
    Tensor y = t(s(4), 2, 4, -3, 0);
    check(run("div", null, x, y), s(4), 0.5f, -0.5f, -3, Float.NaN);
    check(run("max", null, x, y), s(4), 2, 4, 9, 0);
    check(run("min", null, x, y), s(4), 1, -2, -3, 0);
    check(run("pow", null, t(s(3), 2, 9, 4), t(s(3), 3, 0.5f, -1)), s(3), 8, 3, 0.25f);
    check(run("div", null, t(s(1), 1), t(s(1), 0)), s(1), Float.POSITIVE_INFINITY);
  }

  @Test
  void fusedActivations() {
    Tensor x = t(s(4), -4, -1, 1, 7);
    Tensor zero = t(s(1), 0);
    check(run("add", a("act", "relu6"), x, zero), s(4), 0, 0, 1, 6);
    check(run("add", a("act", "leaky_relu", "act_alpha", 0.5), x, zero), s(4), -2, -0.5f, 1, 7);
    check(run("add", a("act", "leaky_relu"), x, zero), s(4), -0.04f, -0.01f, 1, 7);
    check(run("sub", a("act", "clip", "act_min", -2.0, "act_max", 2.0), x, zero), s(4), -2, -1, 1, 2);
    check(run("mul", a("act", "hard_swish"), t(s(4), -3, 0, 1, 3), t(s(1), 1)), s(4), 0, 0, 4f / 6, 3);
    check(run("add", a("act", "sigmoid"), t(s(1), 0), zero), s(1), 0.5f);
    check(run("add", a("act", "tanh"), t(s(1), 0.5f), zero), s(1), 0.46211716f);
  }

  @Test
  void integerAddKeepsType() {
    Tensor x = Tensor.ofInts(s(2), ScalarType.I32, new int[] {3, -4});
    Tensor y = Tensor.ofInts(s(1), ScalarType.I32, new int[] {5});
    Tensor r = run("mul", null, x, y);
    assertEquals(ScalarType.I32, r.elementType());
    assertArrayEquals(new int[] {15, -20}, r.ints());
    OpTester.inferError("div", null, new TensorType[] {TensorType.of(ScalarType.I32, 2), TensorType.of(ScalarType.I32, 2)},
        "expected a float element type, got i32");
    OpTester.inferError("relu", null, new TensorType[] {TensorType.of(ScalarType.I8, 2)}, "operand 'x'", "expected a float element type, got i8");
  }

  @Test
  void unaryOps() {
    Tensor x = t(s(4), -2, -0.5f, 0.5f, 8);
    check(run("relu", null, x), s(4), 0, 0, 0.5f, 8);
    check(run("relu6", null, x), s(4), 0, 0, 0.5f, 6);
    check(run("clip", a("min", -1.0, "max", 1.0), x), s(4), -1, -0.5f, 0.5f, 1);
    check(run("clip", a("min", 0.0), x), s(4), 0, 0, 0.5f, 8);
    check(run("leaky_relu", null, x), s(4), -0.02f, -0.005f, 0.5f, 8);
    check(run("leaky_relu", a("alpha", 0.2), x), s(4), -0.4f, -0.1f, 0.5f, 8);
    check(run("elu", null, t(s(2), 0, 1)), s(2), 0, 1);
    check(run("elu", a("alpha", 2.0), t(s(1), (float) Math.log(0.5))), s(1), -1);
    check(run("sigmoid", null, t(s(2), 0, (float) Math.log(3))), s(2), 0.5f, 0.75f);
    check(run("tanh", null, t(s(2), 0, (float) (0.5 * Math.log(3)))), s(2), 0, 0.5f);
    check(run("hard_swish", null, t(s(4), -4, -3, 1, 4)), s(4), 0, 0, 4f / 6, 4);
    check(run("exp", null, t(s(2), 0, 1)), s(2), 1, (float) Math.E);
    check(run("log", null, t(s(2), 1, (float) Math.E)), s(2), 0, 1);
    check(run("sqrt", null, t(s(2), 4, 2.25f)), s(2), 2, 1.5f);
    check(run("rsqrt", null, t(s(2), 4, 0.25f)), s(2), 0.5f, 2);
    check(run("square", null, t(s(2), -3, 0.5f)), s(2), 9, 0.25f);
    check(run("abs", null, t(s(2), -3, 2)), s(2), 3, 2);
    check(run("neg", null, t(s(2), -3, 2)), s(2), 3, -2);
    Tensor ints = Tensor.ofInts(s(2), ScalarType.I32, new int[] {1, 2});
    assertArrayEquals(new int[] {1, 2}, run("identity", null, ints).ints());
    OpTester.inferError("clip", a("min", 2.0, "max", 1.0), new TensorType[] {TensorType.f32(2)}, "attributes 'min'/'max'");
    OpTester.inferError("relu", a("act", "relu6"), new TensorType[] {TensorType.f32(2)}, "attribute 'act'", "got act on relu");
  }

  @Test
  void prelu() {
    Tensor x = t(s(1, 2, 1, 2), -1, 2, -3, 4);
    check(run("prelu", null, x, t(s(2), 0.5f, 0.25f)), s(1, 2, 1, 2), -0.5f, 2, -0.75f, 4);
    check(run("prelu", null, x, t(s(1), 0.1f)), s(1, 2, 1, 2), -0.1f, 2, -0.3f, 4);
    check(run("prelu", a("axis", 3), x, t(s(2), 2, 3)), s(1, 2, 1, 2), -2, 2, -6, 4);
    OpTester.inferError("prelu", null, new TensorType[] {TensorType.f32(1, 2, 1, 2), TensorType.f32(3)}, "operand 'slope'", "expected shape [2]");
  }

  @Test
  void softmaxAlongAxes() {
    float ln2 = (float) Math.log(2);
    float ln3 = (float) Math.log(3);
    Tensor x = t(s(2, 2), 0, ln3, ln2, 0);
    check(run("softmax", null, x), s(2, 2), 0.25f, 0.75f, 2f / 3, 1f / 3);
    check(run("softmax", a("axis", 0), x), s(2, 2), 1f / 3, 0.75f, 2f / 3, 0.25f);
    // Large values stay finite thanks to the max shift.
    check(run("softmax", null, t(s(2), 1000, 1000)), s(2), 0.5f, 0.5f);
    OpTester.inferError("softmax", a("axis", 2), new TensorType[] {TensorType.f32(2, 2)}, "attribute 'axis'", "got 2");
  }
}

package org.npuc.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.npuc.ops.OpTester.a;
import static org.npuc.ops.OpTester.check;
import static org.npuc.ops.OpTester.run;
import static org.npuc.ops.OpTester.s;
import static org.npuc.ops.OpTester.t;

import org.junit.jupiter.api.Test;
import org.npuc.ir.Tensor;
import org.npuc.ir.type.TensorType;

/** matmul and bias_add against hand-computed outputs. */
class MatmulOpsTest {
  private static final Tensor A = t(s(2, 3), 1, 2, 3, 4, 5, 6);
  private static final Tensor B = t(s(3, 2), 1, 0, 0, 1, 1, 1);
  private static final Tensor AT = t(s(3, 2), 1, 4, 2, 5, 3, 6);
  private static final Tensor BT = t(s(2, 3), 1, 0, 1, 0, 1, 1);

  @Test
  void plainAndTransposed() {
    check(run("matmul", null, A, B), s(2, 2), 4, 5, 10, 11);
    check(run("matmul", a("transpose_a", true), AT, B), s(2, 2), 4, 5, 10, 11);
    check(run("matmul", a("transpose_b", true), A, BT), s(2, 2), 4, 5, 10, 11);
    check(run("matmul", a("transpose_a", true, "transpose_b", true), AT, BT), s(2, 2), 4, 5, 10, 11);
  }

  @Test
  void biasAndAct() {
    check(run("matmul", a("act", "relu"), A, B, t(s(2), 10, -20)), s(2, 2), 14, 0, 20, 0);
    check(run("matmul", a("transpose_b", true), A, BT, t(s(2), 1, 2)), s(2, 2), 5, 7, 11, 13);
  }

  @Test
  void batchBroadcasting() {
    // a: [2,1,2,2] = {I, 2I}; b: [3,2,2]; out[i][j] = a_i · b_j.
    Tensor a = t(s(2, 1, 2, 2), 1, 0, 0, 1, 2, 0, 0, 2);
    Tensor b = t(s(3, 2, 2), 1, 2, 3, 4, 0, 1, 1, 0, 1, 1, 1, 1);
    check(run("matmul", null, a, b), s(2, 3, 2, 2),
        1, 2, 3, 4, 0, 1, 1, 0, 1, 1, 1, 1,
        2, 4, 6, 8, 0, 2, 2, 0, 2, 2, 2, 2);
    // A single matrix against a batch.
    check(run("matmul", null, t(s(1, 2), 1, -1), b), s(3, 1, 2), -2, -2, -1, 1, 0, 0);
  }

  @Test
  void shapeInferenceAndErrors() {
    assertArrayEquals(s(-1, 10), OpTester.infer("matmul", a("transpose_b", true), TensorType.f32(-1, 784), TensorType.f32(10, 784)).shape());
    assertArrayEquals(s(4, -1, 5, 7), OpTester.infer("matmul", null, TensorType.f32(4, 1, 5, 6), TensorType.f32(-1, 6, 7)).shape());
    OpTester.inferError("matmul", null, new TensorType[] {TensorType.f32(2, 3), TensorType.f32(4, 2)},
        "operand 'b'", "expected the contracted dimension to be 3", "got 4");
    OpTester.inferError("matmul", null, new TensorType[] {TensorType.f32(3), TensorType.f32(3, 2)}, "operand 'a'", "expected rank >= 2");
    OpTester.inferError("matmul", null, new TensorType[] {TensorType.f32(2, 2, 3), TensorType.f32(3, 3, 2)}, "not broadcast-compatible");
    OpTester.inferError("matmul", null, new TensorType[] {TensorType.f32(2, 3), TensorType.f32(3, 2), TensorType.f32(3)},
        "operand 'bias'", "expected shape [2]");
  }

  @Test
  void biasAddAlongAxis() {
    Tensor x = t(s(1, 2, 1, 2), 1, 2, 3, 4);
    check(run("bias_add", null, x, t(s(2), 10, 20)), s(1, 2, 1, 2), 11, 12, 23, 24);
    check(run("bias_add", a("axis", -1), x, t(s(2), 10, 20)), s(1, 2, 1, 2), 11, 22, 13, 24);
    OpTester.inferError("bias_add", null, new TensorType[] {TensorType.f32(1, 2, 1, 2), TensorType.f32(3)}, "operand 'b'", "expected shape [2]");
  }
}

package org.npuc.ops;

import static org.npuc.ops.OpTester.a;
import static org.npuc.ops.OpTester.check;
import static org.npuc.ops.OpTester.run;
import static org.npuc.ops.OpTester.s;
import static org.npuc.ops.OpTester.t;

import org.junit.jupiter.api.Test;
import org.npuc.ir.Tensor;
import org.npuc.ir.type.TensorType;

/** lrn, batch_norm and scale against hand-computed outputs. */
class NormOpsTest {
  @Test
  void lrnAcrossChannels() {
    Tensor x = t(s(1, 3, 1, 1), 1, 2, 3);
    // alpha/size = 1: x / (1 + Σ x²) over channels c-1..c+1.
    check(run("lrn", a("size", 3, "alpha", 3.0, "beta", 1.0), x), s(1, 3, 1, 1), 1f / 6, 2f / 15, 3f / 14);
    check(run("lrn", a("size", 3, "alpha", 3.0, "beta", 0.5), x), s(1, 3, 1, 1),
        (float) (1 / Math.sqrt(6)), (float) (2 / Math.sqrt(15)), (float) (3 / Math.sqrt(14)));
    // Even size: the window is [c, c+1] (ONNX: floor((size-1)/2) before, ceil after).
    check(run("lrn", a("size", 2, "alpha", 2.0, "beta", 1.0), x), s(1, 3, 1, 1), 1f / 6, 2f / 14, 3f / 10);
    // bias (k) 2.
    check(run("lrn", a("size", 1, "alpha", 1.0, "beta", 1.0, "bias", 2.0), x), s(1, 3, 1, 1), 1f / 3, 2f / 6, 3f / 11);
  }

  @Test
  void lrnDefaults() {
    // size 5, alpha 1e-4, beta 0.75, bias 1: one channel, x = 10 -> 10 / (1 + 1e-4/5 * 100)^0.75.
    check(run("lrn", null, t(s(1, 1, 1, 1), 10)), s(1, 1, 1, 1), (float) (10 / Math.pow(1 + 2e-3, 0.75)));
  }

  @Test
  void lrnWithinChannel() {
    // alpha / size² = 1, zero padding, windows of 3 along W on a 1x3 image.
    Tensor x = t(s(1, 1, 1, 3), 1, 2, 3);
    check(run("lrn", a("size", 3, "alpha", 9.0, "beta", 1.0, "region", "within"), x), s(1, 1, 1, 3), 1f / 6, 2f / 15, 3f / 14);
    OpTester.inferError("lrn", a("size", 4, "region", "within"), new TensorType[] {TensorType.f32(1, 1, 2, 2)}, "odd size");
    OpTester.inferError("lrn", a("region", "inside"), new TensorType[] {TensorType.f32(1, 1, 2, 2)}, "attribute 'region'", "across, within");
  }

  @Test
  void batchNorm() {
    Tensor x = t(s(1, 2, 1, 2), 1, 2, 3, 4);
    Tensor out = run("batch_norm", a("epsilon", 1.0), x, t(s(2), 2, 1), t(s(2), 0, 1), t(s(2), 1, 3), t(s(2), 3, 0));
    check(out, s(1, 2, 1, 2), 0, 1, 1, 2);
    // Default epsilon 1e-5 on axis -1 of a [2,2].
    Tensor y = run("batch_norm", a("axis", -1), t(s(2, 2), 1, 1, 3, 3), t(s(2), 1, 1), t(s(2), 0, 0), t(s(2), 2, 0), t(s(2), 1, 4));
    float d0 = (float) Math.sqrt(1 + 1e-5);
    float d1 = (float) Math.sqrt(4 + 1e-5);
    check(y, s(2, 2), -1 / d0, 1 / d1, 1 / d0, 3 / d1);
    OpTester.inferError("batch_norm", null,
        new TensorType[] {TensorType.f32(1, 2, 2, 2), TensorType.f32(2), TensorType.f32(2), TensorType.f32(3), TensorType.f32(2)},
        "operand 'mean'", "expected shape [2]", "got tensor<3xf32>");
  }

  @Test
  void scale() {
    Tensor x = t(s(1, 2, 1, 2), 1, 2, 3, 4);
    check(run("scale", null, x, t(s(2), 2, 3), t(s(2), 1, 1)), s(1, 2, 1, 2), 3, 5, 10, 13);
    check(run("scale", null, x, t(s(2), 2, 3)), s(1, 2, 1, 2), 2, 4, 9, 12);
    check(run("scale", null, x, t(s(2, 1, 2), 1, 2, 3, 4)), s(1, 2, 1, 2), 1, 4, 9, 16);
    check(run("scale", a("axis", 3), x, t(s(2), 10, 100)), s(1, 2, 1, 2), 10, 200, 30, 400);
    OpTester.inferError("scale", null, new TensorType[] {TensorType.f32(1, 2, 1, 2), TensorType.f32(3)}, "operand 's'", "got tensor<3xf32>");
  }
}

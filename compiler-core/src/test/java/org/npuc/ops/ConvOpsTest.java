package org.npuc.ops;

import static org.npuc.ops.OpTester.a;
import static org.npuc.ops.OpTester.check;
import static org.npuc.ops.OpTester.iota;
import static org.npuc.ops.OpTester.run;
import static org.npuc.ops.OpTester.s;
import static org.npuc.ops.OpTester.t;

import org.junit.jupiter.api.Test;
import org.npuc.ir.Tensor;
import org.npuc.ir.type.TensorType;

/** conv2d and deconv2d against hand-computed outputs. */
class ConvOpsTest {
  private static final Tensor X3 = t(s(1, 1, 3, 3), 1, 2, 3, 4, 5, 6, 7, 8, 9);
  private static final Tensor W2 = t(s(1, 1, 2, 2), 1, 2, 3, 4);

  @Test
  void convValid() {
    check(run("conv2d", null, X3, W2), s(1, 1, 2, 2), 37, 47, 67, 77);
  }

  @Test
  void convAsymmetricPads() {
    // pads [top=1, left=0, bottom=0, right=1]
    Tensor out = run("conv2d", a("pads", new int[] {1, 0, 0, 1}), X3, W2);
    check(out, s(1, 1, 3, 3), 11, 18, 9, 37, 47, 21, 67, 77, 33);
  }

  @Test
  void convStrideAndDilation() {
    Tensor x = t(s(1, 1, 5, 5), iota(25));
    Tensor w = t(s(1, 1, 2, 2), 1, 1, 1, 1);
    Tensor out = run("conv2d", a("strides", new int[] {2, 2}, "dilations", new int[] {2, 2}), x, w);
    check(out, s(1, 1, 2, 2), 24, 32, 64, 72);
  }

  @Test
  void convStridePadsThroughGemmAndDirectPaths() {
    // 1 channel, group 1 takes the depthwise path; 2 channels take the GEMM path.
    Tensor x1 = t(s(1, 1, 4, 4), iota(16));
    Tensor w1 = t(s(1, 1, 3, 3), 1, 1, 1, 1, 1, 1, 1, 1, 1);
    var attrs = a("strides", new int[] {2, 2}, "pads", new int[] {1, 1, 1, 1});
    check(run("conv2d", attrs, x1, w1), s(1, 1, 2, 2), 10, 24, 51, 90);
    float[] two = new float[32];
    System.arraycopy(iota(16), 0, two, 0, 16);
    System.arraycopy(iota(16), 0, two, 16, 16);
    Tensor w2 = t(s(1, 2, 3, 3), 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1);
    check(run("conv2d", attrs, t(s(1, 2, 4, 4), two), w2), s(1, 1, 2, 2), 20, 48, 102, 180);
  }

  @Test
  void convGroupsBiasAndAct() {
    Tensor x = t(s(1, 4, 1, 1), 1, 2, 3, 4);
    Tensor w = t(s(2, 2, 1, 1), 1, 1, 1, -1);
    check(run("conv2d", a("group", 2), x, w, t(s(2), 10, 20)), s(1, 2, 1, 1), 13, 19);
    check(run("conv2d", a("group", 2, "act", "relu"), x, w, t(s(2), -10, 20)), s(1, 2, 1, 1), 0, 19);
    check(run("conv2d", a("act", "clip", "act_min", 0.0, "act_max", 40.0), X3, W2), s(1, 1, 2, 2), 37, 40, 40, 40);
  }

  @Test
  void depthwiseWithMultiplierAndLeftPad() {
    Tensor x = t(s(1, 2, 2, 2), 1, 2, 3, 4, 5, 6, 7, 8);
    Tensor w = t(s(4, 1, 1, 2), 1, 1, 1, -1, 2, 0, 0, 1);
    check(run("conv2d", a("group", 2), x, w), s(1, 4, 2, 1), 3, 7, -1, -1, 10, 14, 6, 8);
    check(
        run("conv2d", a("group", 2, "pads", new int[] {0, 1, 0, 0}), x, w),
        s(1, 4, 2, 2), 1, 3, 3, 7, -1, -1, -3, -1, 0, 10, 0, 14, 5, 6, 7, 8);
  }

  @Test
  void convBatchIsIndependent() {
    Tensor x = t(s(2, 1, 3, 3), 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 0, 0, 0, 1, 0, 0, 0, 0);
    check(run("conv2d", null, x, W2), s(2, 1, 2, 2), 37, 47, 67, 77, 4, 3, 2, 1);
  }

  @Test
  void convUnknownBatchPropagates() {
    TensorType r = OpTester.infer("conv2d", a("strides", new int[] {2, 2}, "pads", new int[] {1, 1, 1, 1}),
        TensorType.f32(-1, 3, 224, 224), TensorType.f32(32, 3, 3, 3));
    org.junit.jupiter.api.Assertions.assertArrayEquals(s(-1, 32, 112, 112), r.shape());
    r = OpTester.infer("conv2d", null, TensorType.f32(1, 3, -1, 10), TensorType.f32(8, 3, 3, 3));
    org.junit.jupiter.api.Assertions.assertArrayEquals(s(1, 8, -1, 8), r.shape());
  }

  @Test
  void convErrorsNameOperandAndAttribute() {
    OpTester.inferError("conv2d", null, new TensorType[] {TensorType.f32(1, 3, 8, 8), TensorType.f32(4, 2, 3, 3)},
        "operand 'w'", "expected dimension 1 to be C/group = 3", "got 2");
    OpTester.inferError("conv2d", a("group", 2), new TensorType[] {TensorType.f32(1, 3, 8, 8), TensorType.f32(4, 1, 3, 3)},
        "attribute 'group'", "got 2");
    OpTester.inferError("conv2d", a("strides", new int[] {0, 1}), new TensorType[] {TensorType.f32(1, 3, 8, 8), TensorType.f32(4, 3, 3, 3)},
        "attribute 'strides'", "expected values >= 1");
    OpTester.inferError("conv2d", a("act", "relu7"), new TensorType[] {TensorType.f32(1, 3, 8, 8), TensorType.f32(4, 3, 3, 3)},
        "attribute 'act'", "relu6", "got \"relu7\"");
    OpTester.inferError("conv2d", null, new TensorType[] {TensorType.f32(1, 3, 8), TensorType.f32(4, 3, 3, 3)},
        "operand 'x'", "expected rank 4, got 3");
    OpTester.inferError("conv2d", null,
        new TensorType[] {TensorType.f32(1, 3, 8, 8), TensorType.f32(4, 3, 3, 3), TensorType.f32(5)}, "operand 'bias'", "expected 4");
  }

  @Test
  void deconvStrideOne() {
    Tensor x = t(s(1, 1, 2, 2), 1, 2, 3, 4);
    Tensor w = t(s(1, 1, 2, 2), 1, 1, 1, 1);
    check(run("deconv2d", null, x, w), s(1, 1, 3, 3), 1, 3, 2, 4, 10, 6, 3, 7, 4);
  }

  @Test
  void deconvKernelIsNotFlipped() {
    check(run("deconv2d", null, t(s(1, 1, 1, 1), 2), W2), s(1, 1, 2, 2), 2, 4, 6, 8);
  }

  @Test
  void deconvStridePadsOutputPaddingBias() {
    Tensor x = t(s(1, 1, 2, 2), 1, 2, 3, 4);
    Tensor w = t(s(1, 1, 2, 2), 1, 1, 1, 1);
    var st = a("strides", new int[] {2, 2});
    check(run("deconv2d", st, x, w), s(1, 1, 4, 4), 1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4);
    check(run("deconv2d", a("strides", new int[] {2, 2}, "pads", new int[] {1, 1, 0, 0}), x, w), s(1, 1, 3, 3), 1, 2, 2, 3, 4, 4, 3, 4, 4);
    check(
        run("deconv2d", a("strides", new int[] {2, 2}, "output_padding", new int[] {1, 1}), x, w, t(s(1), 0.5f)),
        s(1, 1, 5, 5),
        1.5f, 1.5f, 2.5f, 2.5f, 0.5f,
        1.5f, 1.5f, 2.5f, 2.5f, 0.5f,
        3.5f, 3.5f, 4.5f, 4.5f, 0.5f,
        3.5f, 3.5f, 4.5f, 4.5f, 0.5f,
        0.5f, 0.5f, 0.5f, 0.5f, 0.5f);
  }

  @Test
  void deconvGroupsChannelsAndDilation() {
    Tensor x = t(s(1, 2, 1, 1), 1, 2);
    check(run("deconv2d", a("group", 2), x, t(s(2, 1, 1, 1), 3, 5)), s(1, 2, 1, 1), 3, 10);
    check(run("deconv2d", null, x, t(s(2, 2, 1, 1), 1, 2, 3, 4)), s(1, 2, 1, 1), 7, 10);
    check(run("deconv2d", a("dilations", new int[] {1, 2}), t(s(1, 1, 1, 2), 1, 2), t(s(1, 1, 1, 2), 1, 1)), s(1, 1, 1, 4), 1, 2, 1, 2);
    check(run("deconv2d", a("act", "relu"), t(s(1, 1, 1, 1), -1), W2), s(1, 1, 2, 2), 0, 0, 0, 0);
  }
}

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
import org.npuc.ir.type.UniformPerAxisType;
import org.npuc.ir.type.UniformQuantType;

/** fake_quant against hand-computed TF values; quantize/dequantize rounding ties and saturation. */
class QuantOpsTest {
  @Test
  void fakeQuantPerTensorWithoutNudge() {
    // min -0.1, max 25.4, 8 bits: scale 0.1, zero point 1, range unchanged.
    var attrs = a("min", -0.1, "max", 25.4);
    check(run("fake_quant", attrs, t(s(6), -0.2f, 0.04f, 0.06f, 25.5f, 12.34f, 0f)), s(6), -0.1f, 0f, 0.1f, 25.4f, 12.3f, 0f);
  }

  @Test
  void fakeQuantFourBitsNarrowRangeNudged() {
    // quant range [1, 15]; min -0.26, max 1.14: scale 0.1, zp_from_min 3.6 -> 4,
    // nudged range [-0.3, 1.1].
    var attrs = a("min", -0.26, "max", 1.14, "num_bits", 4, "narrow_range", true);
    check(run("fake_quant", attrs, t(s(6), -0.5f, -0.26f, -0.24f, 0f, 0.56f, 1.2f)), s(6), -0.3f, -0.3f, -0.2f, 0f, 0.6f, 1.1f);
  }

  @Test
  void fakeQuantPositiveMinNudgesToZero() {
    // min 0.5 > 0: zero point clamps to 0, nudged range [0, 1.5], scale 1.5/255.
    var attrs = a("min", 0.5, "max", 2.0);
    check(run("fake_quant", attrs, t(s(3), 2f, 0.26f, -1f)), s(3), 1.5f, 44 * 1.5f / 255, 0f);
  }

  /** num_bits, narrow_range, min, max, six inputs, six expected outputs: TF's published kernel test vectors. */
  private static final float[][] TF_VECTORS = {
    {8, 0, -10f, 53.75f, -10.1f, -10.0f, -9.9f, -9.75f, 53.75f, 53.8f, -10.0f, -10.0f, -10.0f, -9.75f, 53.75f, 53.75f},
    {8, 0, -0.1f, 63.65f, -0.1f, 0.0f, 0.1f, 0.25f, 63.75f, 63.8f, 0.0f, 0.0f, 0.0f, 0.25f, 63.75f, 63.75f},
    {8, 1, -0.1275f, 63.3725f, -0.26f, -0.25f, -0.24f, 0.0f, 63.25f, 63.3f, -0.25f, -0.25f, -0.25f, 0.0f, 63.25f, 63.25f},
    {8, 0, -63.65f, 0.1f, -63.8f, -63.75f, -63.7f, -63.5f, 0.0f, 0.1f, -63.75f, -63.75f, -63.75f, -63.5f, 0.0f, 0.0f},
    {4, 1, -0.4f, 6.6f, -0.6f, -0.5f, -0.24f, 0.0f, 6.5f, 6.6f, -0.5f, -0.5f, 0.0f, 0.0f, 6.5f, 6.5f},
    {4, 1, -6.8f, 0.2f, -7.1f, -7.0f, -6.9f, -6.7f, 0.0f, 0.1f, -7.0f, -7.0f, -7.0f, -6.5f, 0.0f, 0.0f},
    {4, 0, -0.1f, 7.4f, -0.1f, 0.0f, 0.1f, 0.5f, 7.5f, 7.6f, 0.0f, 0.0f, 0.0f, 0.5f, 7.5f, 7.5f},
    {2, 0, -0.4f, 1.1f, -0.6f, -0.5f, -0.24f, 0.0f, 1.0f, 1.1f, -0.5f, -0.5f, 0.0f, 0.0f, 1.0f, 1.0f},
  };

  @Test
  void fakeQuantMatchesTensorFlowKernelVectors() {
    for (float[] v : TF_VECTORS) {
      var attrs = a("min", (double) v[2], "max", (double) v[3], "num_bits", (int) v[0], "narrow_range", v[1] != 0);
      Tensor out = run("fake_quant", attrs, t(s(2, 3), java.util.Arrays.copyOfRange(v, 4, 10)));
      OpTester.assertClose(java.util.Arrays.copyOfRange(v, 10, 16), out.floats(), 1e-5f);
    }
  }

  @Test
  void fakeQuantPerChannel() {
    // channel 0: [-0.1, 25.4] (scale 0.1, zp 1); channel 1: [0, 2.55] (scale 0.01, zp 0).
    var attrs = a("min", new double[] {-0.1, 0}, "max", new double[] {25.4, 2.55}, "axis", 1);
    Tensor x = t(s(1, 2, 1, 2), 0.04f, 30f, -1f, 1.234f);
    check(run("fake_quant", attrs, x), s(1, 2, 1, 2), 0f, 25.4f, 0f, 1.23f);
    OpTester.inferError("fake_quant", attrs, new TensorType[] {TensorType.f32(1, 3, 1, 1)}, "one value per channel", "(3)", "got 2");
    OpTester.inferError("fake_quant", a("min", 1.0, "max", 1.0), new TensorType[] {TensorType.f32(2)}, "expected min < max");
    OpTester.inferError("fake_quant", a("min", 0.0, "max", 1.0, "num_bits", 1), new TensorType[] {TensorType.f32(2)}, "attribute 'num_bits'");
  }

  private static final float[] TIES = {0.25f, -0.25f, 0.75f, -0.75f, 100f, -100f, 0.24f};

  @Test
  void quantizeRoundsHalfAwayAndSaturates() {
    assertArrayEquals(new int[] {1, -1, 2, -2, 127, -128, 0}, QuantizeOps.quantize(t(s(7), TIES), UniformQuantType.of(ScalarType.I8, 0.5, 0)).ints());
    assertArrayEquals(new int[] {11, 9, 12, 8, 127, -128, 10}, QuantizeOps.quantize(t(s(7), TIES), UniformQuantType.of(ScalarType.I8, 0.5, 10)).ints());
    assertArrayEquals(new int[] {129, 127, 130, 126, 255, 0, 128}, QuantizeOps.quantize(t(s(7), TIES), UniformQuantType.of(ScalarType.U8, 0.5, 128)).ints());
    var narrow = new UniformQuantType(ScalarType.I8, ScalarType.F32, 0.5, 0, -127, 127);
    Tensor q = QuantizeOps.quantize(t(s(7), TIES), narrow);
    assertArrayEquals(new int[] {1, -1, 2, -2, 127, -127, 0}, q.ints());
    assertEquals(narrow, q.elementType());
  }

  @Test
  void quantizePerAxis() {
    var type = new UniformPerAxisType(ScalarType.I8, ScalarType.F32, 0, new double[] {0.5, 2}, new long[] {0, 1}, -128, 127);
    Tensor q = QuantizeOps.quantize(t(s(2, 2), 1, -1, 3, -3), type);
    assertArrayEquals(new int[] {2, -2, 3, -1}, q.ints());
    check(QuantizeOps.dequantize(q), s(2, 2), 1, -1, 4, -4);
  }

  @Test
  void dequantize() {
    var type = UniformQuantType.of(ScalarType.I8, 0.5, 10);
    Tensor q = Tensor.ofInts(s(3), type, new int[] {1, -1, 127});
    Tensor r = run("dequantize", null, q);
    assertEquals(ScalarType.F32, r.elementType());
    check(r, s(3), -4.5f, -5.5f, 58.5f);
    OpTester.inferError("dequantize", null, new TensorType[] {TensorType.f32(3)}, "operand 'x'", "expected a uniform or uniform_per_axis", "got f32");
  }
}

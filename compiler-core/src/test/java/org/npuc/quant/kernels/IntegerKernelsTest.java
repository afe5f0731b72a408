package org.npuc.quant.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.npuc.quant.kernels.KernelTestSupport.i32;
import static org.npuc.quant.kernels.KernelTestSupport.i8;
import static org.npuc.quant.kernels.KernelTestSupport.op;
import static org.npuc.quant.kernels.KernelTestSupport.t;
import static org.npuc.quant.kernels.KernelTestSupport.u8;

import org.junit.jupiter.api.Test;
import org.npuc.ir.Attributes;
import org.npuc.ir.IrException;
import org.npuc.ir.Operation;
import org.npuc.ir.Tensor;
import org.npuc.ir.type.ScalarType;
import org.npuc.ir.type.TensorType;
import org.npuc.ir.type.UniformPerAxisType;
import org.npuc.ir.type.UniformQuantType;

/** Small conv, depthwise, add, mul and pooling cases computed by hand from TFLite's formulas. */
class IntegerKernelsTest {

  @Test
  void uint8ConvWithZeroPointsAtTheRangeEnds() {
    // x real (q-255)·0.5 = [[0,-1],[-2,0]]; w real q·0.25 = [1,2,0,3]; bias 8·0.125 = 1.
    // acc = 0·4 + (-2)·8 + (-4)·0 + 0·12 + 8 = -8 -> real -1.0 -> q = 255 + (-1/0.0625) = 239.
    Tensor x = t(u8(0.5, 255), new int[] {1, 1, 2, 2}, 255, 253, 251, 255);
    Tensor w = t(u8(0.25, 0), new int[] {1, 1, 2, 2}, 4, 8, 0, 12);
    Tensor b = t(i32(0.125), new int[] {1}, 8);
    TensorType rt = TensorType.of(u8(0.0625, 255), 1, 1, 1, 1);
    Operation conv = op("conv2d", Attributes.of("act", "none"), rt, x, w, b);
    assertArrayEquals(new int[] {239}, ConvKernels.conv2d(conv, new Tensor[] {x, w, b})[0].ints());
    // relu clamps at quantize(0) = the zero point 255
    Operation relu = op("conv2d", Attributes.of("act", "relu"), rt, x, w, b);
    assertArrayEquals(new int[] {255}, ConvKernels.conv2d(relu, new Tensor[] {x, w, b})[0].ints());
  }

  @Test
  void convPaddingContributesNothing() {
    // 1x1x1x1 input 3 (zp 1, so real 2), 3x3 kernel of ones (zp 0), pads 1: only the centre tap
    // sees data, acc = 2, scale 1 -> 2 + zp_out 0.
    Tensor x = t(u8(1, 1), new int[] {1, 1, 1, 1}, 3);
    Tensor w = t(u8(1, 0), new int[] {1, 1, 3, 3}, 1, 1, 1, 1, 1, 1, 1, 1, 1);
    Operation conv = op("conv2d", Attributes.of("pads", new int[] {1, 1, 1, 1}), TensorType.of(u8(1, 0), 1, 1, 1, 1), x, w);
    assertArrayEquals(new int[] {2}, ConvKernels.conv2d(conv, new Tensor[] {x, w})[0].ints());
  }

  @Test
  void int8DepthwisePerChannelSaturates() {
    // x real [3, 5] (zp -128); weights per channel [4·0.5, -8·0.25] = [2, -2]; bias [2·0.5, 0].
    // ch0: 3·2 + 1 = 7 -> 127 + 7 = 134 saturates to 127; ch1: 5·-2 = -10 -> 117.
    Tensor x = t(i8(1, -128), new int[] {1, 2, 1, 1}, -125, -123);
    UniformPerAxisType wt = new UniformPerAxisType(ScalarType.I8, ScalarType.F32, 0, new double[] {0.5, 0.25}, new long[] {0, 0}, -127, 127);
    Tensor w = t(wt, new int[] {2, 1, 1, 1}, 4, -8);
    UniformPerAxisType bt = new UniformPerAxisType(ScalarType.I32, ScalarType.F32, 0, new double[] {0.5, 0.25}, new long[] {0, 0}, Integer.MIN_VALUE, Integer.MAX_VALUE);
    Tensor b = t(bt, new int[] {2}, 2, 0);
    Operation dw = op("conv2d", Attributes.of("group", 2), TensorType.of(i8(1, 127), 1, 2, 1, 1), x, w, b);
    assertArrayEquals(new int[] {127, 117}, ConvKernels.conv2d(dw, new Tensor[] {x, w, b})[0].ints());
  }

  @Test
  void perChannelTiesRoundHalfToEven() {
    // acc 5 at scale 0.5 = 2.5 and acc 7 -> 3.5: XNNPACK's fp32 requantization (per-channel weights)
    // rounds half to even (2, 4); the per-tensor integer path rounds half up (3, 4).
    Tensor x = t(i8(1, 0), new int[] {1, 1, 1, 2}, 5, 7);
    Tensor w = t(new UniformPerAxisType(ScalarType.I8, ScalarType.F32, 0, new double[] {0.5}, new long[] {0}, -127, 127), new int[] {1, 1, 1, 1}, 1);
    Operation conv = op("conv2d", new Attributes(), TensorType.of(i8(1, 0), 1, 1, 1, 2), x, w);
    assertArrayEquals(new int[] {2, 4}, ConvKernels.conv2d(conv, new Tensor[] {x, w})[0].ints());
    Tensor wt = t(i8(0.5, 0), new int[] {1, 1, 1, 1}, 1);
    Operation conv2 = op("conv2d", new Attributes(), TensorType.of(i8(1, 0), 1, 1, 1, 2), x, wt);
    assertArrayEquals(new int[] {3, 4}, ConvKernels.conv2d(conv2, new Tensor[] {x, wt})[0].ints());
  }

  @Test
  void fullyConnectedTransposedWeights() {
    // x real [1, 2] (zp 10), w [[1,1],[2,-1]] (zp 0), out scale 0.5 zp 0: [3, 0] -> q [6, 0].
    Tensor x = t(u8(1, 10), new int[] {1, 2}, 11, 12);
    Tensor w = t(i8(1, 0), new int[] {2, 2}, 1, 1, 2, -1);
    Operation mm = op("matmul", Attributes.of("transpose_b", true), TensorType.of(u8(0.5, 0), 1, 2), x, w);
    assertArrayEquals(new int[] {6, 0}, ConvKernels.matmul(mm, new Tensor[] {x, w})[0].ints());
  }

  @Test
  void addRescalesWithTwentyBitShift() {
    // a real (q-128)·0.5 = [1, -4], b real q·0.25 = [2, 63.75]; sum [3, 59.75] at scale 1, zp 10.
    Tensor a = t(u8(0.5, 128), new int[] {2}, 130, 120);
    Tensor b = t(u8(0.25, 0), new int[] {2}, 8, 255);
    Operation add = op("add", new Attributes(), TensorType.of(u8(1, 10), 2), a, b);
    assertArrayEquals(new int[] {13, 70}, ElementwiseKernels.add(add, new Tensor[] {a, b})[0].ints());
  }

  @Test
  void addBroadcastsAndClampsNegativeResults() {
    // int8: [-100, 0, 100] + 27 (scale 1 zp 0), out scale 1 zp 0, relu: [0, 27, 127].
    Tensor a = t(i8(1, 0), new int[] {1, 3}, -100, 0, 100);
    Tensor b = t(i8(1, 0), new int[] {1}, 27);
    Operation add = op("add", Attributes.of("act", "relu"), TensorType.of(i8(1, 0), 1, 3), a, b);
    assertArrayEquals(new int[] {0, 27, 127}, ElementwiseKernels.add(add, new Tensor[] {a, b})[0].ints());
  }

  @Test
  void mulRequantizes() {
    // (q-0)·0.5 · (q-0)·0.5 at out scale 0.25: [2·3, -2·3] -> 1.5, -1.5 real -> q 6, -6.
    Tensor a = t(i8(0.5, 0), new int[] {2}, 2, -2);
    Tensor b = t(i8(0.5, 0), new int[] {2}, 3, 3);
    Operation mul = op("mul", new Attributes(), TensorType.of(i8(0.25, 0), 2), a, b);
    assertArrayEquals(new int[] {6, -6}, ElementwiseKernels.mul(mul, new Tensor[] {a, b})[0].ints());
  }

  @Test
  void averagePoolRoundsHalfAwayFromZero() {
    // int8 2x2 windows: (1+2+3+4)/4 = 2.5 -> 3; (-1-2-3-4)/4 = -2.5 -> -3; TFLite's count/2 rule.
    Tensor x = t(i8(1, 0), new int[] {1, 2, 2, 2}, 1, 2, 3, 4, -1, -2, -3, -4);
    Operation pool = op("avg_pool", Attributes.of("kernel", new int[] {2, 2}), TensorType.of(i8(1, 0), 1, 2, 1, 1), x);
    assertArrayEquals(new int[] {3, -3}, PoolKernels.avgPool(pool, new Tensor[] {x})[0].ints());
    Operation max = op("max_pool", Attributes.of("kernel", new int[] {2, 2}), TensorType.of(i8(1, 0), 1, 2, 1, 1), x);
    assertArrayEquals(new int[] {4, -1}, PoolKernels.maxPool(max, new Tensor[] {x})[0].ints());
  }

  @Test
  void poolingNeedsEqualParameters() {
    Tensor x = t(i8(1, 0), new int[] {1, 1, 2, 2}, 1, 2, 3, 4);
    Operation pool = op("avg_pool", Attributes.of("kernel", new int[] {2, 2}), TensorType.of(i8(2, 0), 1, 1, 1, 1), x);
    assertThrows(IrException.class, () -> PoolKernels.avgPool(pool, new Tensor[] {x}));
  }

  @Test
  void requantizeAndDequantize() {
    // uint8 zp 128 to int8 zp 0 at the same scale: q - 128, the ends included.
    Tensor x = t(u8(0.5, 128), new int[] {3}, 0, 128, 255);
    Operation q = op("quantize", new Attributes(), TensorType.of(i8(0.5, 0), 3), x);
    assertArrayEquals(new int[] {-128, 0, 127}, QuantizeKernels.quantize(q, new Tensor[] {x})[0].ints());
    Operation dq = op("dequantize", new Attributes(), TensorType.f32(3), x);
    assertArrayEquals(new float[] {-64f, 0f, 63.5f}, QuantizeKernels.dequantize(dq, new Tensor[] {x})[0].floats());
    // float to int8: round half away from zero, then saturate
    Tensor f = Tensor.ofFloats(new int[] {4}, new float[] {0.25f, -0.25f, 1000f, -1000f});
    Operation qf = op("quantize", new Attributes(), TensorType.of(i8(0.5, 0), 4), f);
    assertArrayEquals(new int[] {1, -1, 127, -128}, QuantizeKernels.quantize(qf, new Tensor[] {f})[0].ints());
  }

  @Test
  void concatRescalesInputsWithOtherParameters() {
    // second input scale 1 zp 0 into out scale 0.5 zp 0: q·2 (clamped at 127).
    Tensor a = t(i8(0.5, 0), new int[] {1, 2}, 5, -5);
    Tensor b = t(i8(1, 0), new int[] {1, 2}, 3, 100);
    Operation c = op("concat", Attributes.of("axis", 1), TensorType.of(i8(0.5, 0), 1, 4), a, b);
    assertArrayEquals(new int[] {5, -5, 6, 127}, DataKernels.concat(c, new Tensor[] {a, b})[0].ints());
  }

  @Test
  void padFillsWithTheZeroPoint() {
    Tensor x = t(u8(0.1, 7), new int[] {1, 2}, 1, 2);
    Operation p = op("pad", Attributes.of("pads", new int[] {0, 1, 0, 1}), TensorType.of(u8(0.1, 7), 1, 4), x);
    assertArrayEquals(new int[] {7, 1, 2, 7}, DataKernels.pad(p, new Tensor[] {x})[0].ints());
  }

  @Test
  void unknownActivationIsAnError() {
    Tensor a = t(i8(1, 0), new int[] {1}, 1);
    Operation add = op("add", Attributes.of("act", "leaky_relu"), TensorType.of(i8(1, 0), 1), a, a);
    assertThrows(IrException.class, () -> ElementwiseKernels.add(add, new Tensor[] {a, a}));
  }

}

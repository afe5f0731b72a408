package org.npuc.quant.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.npuc.quant.kernels.KernelTestSupport.i8;
import static org.npuc.quant.kernels.KernelTestSupport.op;
import static org.npuc.quant.kernels.KernelTestSupport.t;
import static org.npuc.quant.kernels.KernelTestSupport.u8;

import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.npuc.ir.Attributes;
import org.npuc.ir.IrException;
import org.npuc.ir.Operation;
import org.npuc.ir.Tensor;
import org.npuc.ir.type.TensorType;
import org.npuc.ir.type.UniformQuantType;

/**
 * The fixed-point softmax, logistic, tanh and hard-swish kernels over every input code, against
 * the real functions: TFLite's fixed-point versions stay within one output unit of them.
 */
class ActivationKernelsTest {

  private static int maxError(String name, UniformQuantType in, UniformQuantType out, DoubleUnaryOperator f) {
    int lo = (int) in.storageMin(), hi = (int) in.storageMax();
    int[] codes = new int[hi - lo + 1];
    for (int i = 0; i < codes.length; i++) codes[i] = lo + i;
    Tensor x = t(in, new int[] {codes.length}, codes);
    Operation o = op(name, new Attributes(), TensorType.of(out, codes.length), x);
    int[] r = org.npuc.interp.QuantizedKernels.lookup(name).evaluate(o, new Tensor[] {x})[0].ints();
    int worst = 0;
    for (int i = 0; i < codes.length; i++) {
      double real = f.applyAsDouble(in.scale() * (codes[i] - in.zeroPoint()));
      long want = Math.max(out.storageMin(), Math.min(out.storageMax(), Math.round(real / out.scale()) + out.zeroPoint()));
      worst = Math.max(worst, (int) Math.abs(want - r[i]));
    }
    return worst;
  }

  @Test
  void logisticAndTanhWithinOneUnit() {
    DoubleUnaryOperator sigmoid = v -> 1 / (1 + Math.exp(-v));
    assertTrue(maxError("sigmoid", u8(0.1, 128), u8(1.0 / 256, 0), sigmoid) <= 1);
    assertTrue(maxError("sigmoid", i8(0.05, -3), i8(1.0 / 256, -128), sigmoid) <= 1);
    assertTrue(maxError("tanh", u8(0.03, 100), u8(1.0 / 128, 128), Math::tanh) <= 1);
    assertTrue(maxError("tanh", i8(0.02, 0), i8(1.0 / 128, 0), Math::tanh) <= 1);
  }

  @Test
  void hardSwishWithinOneUnit() {
    DoubleUnaryOperator hs = v -> v * Math.min(Math.max(v + 3, 0), 6) / 6;
    assertTrue(maxError("hard_swish", u8(0.05, 128), u8(0.03, 20), hs) <= 1);
    assertTrue(maxError("hard_swish", i8(0.04, 0), i8(0.025, -100), hs) <= 1);
  }

  @Test
  void softmaxWithinOneUnitAndSaturatesAtTheTop() {
    // Logits [0, 1, 2, 3] at scale 0.5: probabilities of exp(0, .5, 1, 1.5).
    Tensor x = t(u8(0.5, 0), new int[] {1, 4}, 0, 1, 2, 3);
    Operation o = op("softmax", Attributes.of("axis", -1), TensorType.of(u8(1.0 / 256, 0), 1, 4), x);
    int[] r = ActivationKernels.softmax(o, new Tensor[] {x})[0].ints();
    double[] e = {1, Math.exp(0.5), Math.exp(1), Math.exp(1.5)};
    double s = e[0] + e[1] + e[2] + e[3];
    for (int i = 0; i < 4; i++) assertTrue(Math.abs(r[i] - Math.round(e[i] / s * 256)) <= 1, "class " + i + ": " + r[i]);
    // One dominant logit: 1.0 is not representable in uint8 at scale 1/256, so it saturates at 255.
    Tensor y = t(i8(1, 0), new int[] {1, 2}, 100, -100);
    Operation o2 = op("softmax", Attributes.of("axis", -1), TensorType.of(i8(1.0 / 256, -128), 1, 2), y);
    assertArrayEquals(new int[] {127, -128}, ActivationKernels.softmax(o2, new Tensor[] {y})[0].ints());
  }

  @Test
  void fixedOutputParametersAreChecked() {
    Tensor x = t(u8(0.1, 0), new int[] {1}, 3);
    Operation o = op("sigmoid", new Attributes(), TensorType.of(u8(0.01, 0), 1), x);
    IrException e = assertThrows(IrException.class, () -> ActivationKernels.sigmoid(o, new Tensor[] {x}));
    assertTrue(e.getMessage().contains("0.00390625"), e.getMessage());
  }

  @Test
  void spatialMeanAndResize() {
    // uint8 mean over H, W of [[1,2],[3,4]] with equal params: TFLite's folded multiplier gives 3 (2.5 up).
    Tensor x = t(u8(0.5, 0), new int[] {1, 1, 2, 2}, 1, 2, 3, 4);
    Operation m = op("reduce_mean", Attributes.of("axes", new int[] {2, 3}, "keepdims", true), TensorType.of(u8(0.5, 0), 1, 1, 1, 1), x);
    assertArrayEquals(new int[] {3}, PoolKernels.reduceMean(m, new Tensor[] {x})[0].ints());
    // Without keepdims and equal params: TFLite's integer mean truncates: 10/4 -> 2.
    Operation m2 = op("reduce_mean", Attributes.of("axes", new int[] {2, 3}, "keepdims", false), TensorType.of(u8(0.5, 0), 1, 1), x);
    assertArrayEquals(new int[] {2}, PoolKernels.reduceMean(m2, new Tensor[] {x})[0].ints());
    // Bilinear 1x2 -> 1x4, asymmetric: x = 0, .5, 1, 1.5 -> [10, 15, 20, 20] (+0.5, truncated).
    Tensor r = t(u8(1, 0), new int[] {1, 1, 1, 2}, 10, 20);
    Operation rs = op("resize", Attributes.of("sizes", new int[] {1, 4}, "mode", "bilinear"), TensorType.of(u8(1, 0), 1, 1, 1, 4), r);
    assertArrayEquals(new int[] {10, 15, 20, 20}, ResizeKernel.resize(rs, new Tensor[] {r})[0].ints());
    assertEquals(4, ResizeKernel.resize(rs, new Tensor[] {r})[0].size());
  }
}

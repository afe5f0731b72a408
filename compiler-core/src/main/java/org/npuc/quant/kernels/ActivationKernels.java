package org.npuc.quant.kernels;

import org.npuc.ir.IrException;
import org.npuc.ir.Operation;
import org.npuc.ir.Tensor;
import org.npuc.ir.type.UniformQuantType;
import org.npuc.quant.FixedPoint;
import org.npuc.quant.GemmlowpMath;

/**
 * Integer {@code softmax}, {@code sigmoid} and {@code tanh} as TFLite's classic reference kernels
 * compute them with gemmlowp fixed point (TFLite's optimized builds use lookup tables instead, which
 * can differ by one unit). The outputs have TFLite's fixed parameters: softmax and sigmoid scale
 * 1/256 with the zero point at the storage minimum, tanh scale 1/128 centred on zero.
 */
public final class ActivationKernels {
  private ActivationKernels() {}

  private static final int SCALED_DIFF_INTEGER_BITS = 5;
  private static final int ACCUMULATION_INTEGER_BITS = 12;
  private static final int INPUT_INTEGER_BITS = 4;

  private static void requireOutput(Operation op, UniformQuantType to, double scale, long zp) {
    if (to.scale() != scale || to.zeroPoint() != zp) {
      throw new IrException(op, op.name() + ": the integer kernel needs output scale " + scale + " and zero point " + zp + " (TFLite's fixed output parameters), got " + to.toText());
    }
  }

  public static Tensor[] softmax(Operation op, Tensor[] in) {
    Tensor x = in[0];
    UniformQuantType ti = QuantSupport.uniform(op, x, "the input");
    UniformQuantType to = QuantSupport.resultUniform(op, 0);
    requireOutput(op, to, 1.0 / 256, to.storageMin());
    int rank = x.rank();
    int axis = op.attributes().getInt("axis", -1);
    if (axis < 0) axis += rank;
    double beta = op.attributes().getDouble("beta", 1.0);
    double real = Math.min(beta * ti.scale() * (double) (1 << (31 - SCALED_DIFF_INTEGER_BITS)), (double) ((1L << 31) - 1));
    if (!(real > 1)) throw new IrException(op, "softmax: beta·input_scale = " + beta * ti.scale() + " is too small for TFLite's integer softmax");
    FixedPoint.Multiplier m = FixedPoint.quantizeMultiplierGreaterThanOne(real);
    int diffMin = (int) (-1.0 * GemmlowpMath.calculateInputRadius(SCALED_DIFF_INTEGER_BITS, m.shift(), 31));
    int outBits = to.storageType().bits();
    int outMin = (int) to.storageType().minValue();
    int outMax = (int) to.storageType().maxValue();
    int[] shape = x.shape();
    int depth = shape[axis];
    int inner = 1;
    for (int d = axis + 1; d < rank; d++) inner *= shape[d];
    int outer = x.size() / (depth * inner);
    int[] xs = x.ints();
    int[] out = new int[xs.length];
    for (int o = 0; o < outer; o++) {
      for (int i = 0; i < inner; i++) {
        int base = o * depth * inner + i;
        int max = Integer.MIN_VALUE;
        for (int c = 0; c < depth; c++) max = Math.max(max, xs[base + c * inner]);
        int sumOfExps = 0; // Q12
        for (int c = 0; c < depth; c++) {
          int diff = xs[base + c * inner] - max;
          if (diff >= diffMin) {
            int rescaled = FixedPoint.multiplyByQuantizedMultiplierGreaterThanOne(diff, m.multiplier(), m.shift());
            sumOfExps += GemmlowpMath.rescale(GemmlowpMath.expOnNegativeValues(rescaled, SCALED_DIFF_INTEGER_BITS), 0, ACCUMULATION_INTEGER_BITS);
          }
        }
        int[] rec = GemmlowpMath.reciprocal(sumOfExps, ACCUMULATION_INTEGER_BITS);
        int shiftedScale = rec[0];
        int numBitsOverUnit = rec[1];
        for (int c = 0; c < depth; c++) {
          int diff = xs[base + c * inner] - max;
          int r;
          if (diff >= diffMin) {
            int rescaled = FixedPoint.multiplyByQuantizedMultiplierGreaterThanOne(diff, m.multiplier(), m.shift());
            int exp = GemmlowpMath.expOnNegativeValues(rescaled, SCALED_DIFF_INTEGER_BITS);
            int unsat = FixedPoint.roundingDivideByPOT(FixedPoint.saturatingRoundingDoublingHighMul(shiftedScale, exp), numBitsOverUnit + 31 - outBits);
            r = FixedPoint.clamp(unsat + outMin, outMin, outMax);
          } else {
            r = outMin;
          }
          out[base + c * inner] = r;
        }
      }
    }
    return new Tensor[] {QuantSupport.result(op, 0, shape, out)};
  }

  /** Input rescaling shared by sigmoid and tanh: multiplier, left shift and input radius. */
  private record InputScaling(int multiplier, int leftShift, int radius) {}

  private static InputScaling inputScaling(UniformQuantType ti) {
    double real = ti.scale() * (double) (1 << (31 - INPUT_INTEGER_BITS));
    FixedPoint.Multiplier m = FixedPoint.quantizeMultiplierGreaterThanOne(real);
    return new InputScaling(m.multiplier(), m.shift(), GemmlowpMath.calculateInputRadius(INPUT_INTEGER_BITS, m.shift(), 31));
  }

  public static Tensor[] sigmoid(Operation op, Tensor[] in) {
    return saturating(op, in, 1.0 / 256, 0, -128, (q4, unsigned) -> {
      int v = FixedPoint.roundingDivideByPOT(GemmlowpMath.logistic(q4, INPUT_INTEGER_BITS), 23);
      if (unsigned) {
        return v == 256 ? 255 : v;
      }
      return FixedPoint.clamp(v - 128, -128, 127);
    });
  }

  public static Tensor[] tanh(Operation op, Tensor[] in) {
    return saturating(op, in, 1.0 / 128, 128, 0, (q4, unsigned) -> {
      int v = FixedPoint.roundingDivideByPOT(GemmlowpMath.tanh(q4, INPUT_INTEGER_BITS), 24);
      if (unsigned) {
        v += 128;
        return v == 256 ? 255 : v;
      }
      return FixedPoint.clamp(v, -128, 127);
    });
  }

  /** The output value of an input inside the radius, from the rescaled Q4 input. */
  private interface Interior {
    int apply(int q4, boolean unsigned);
  }

  /**
   * Sigmoid and tanh share everything but the function itself: inputs at or beyond the input
   * radius saturate to the storage minimum or maximum, the others are rescaled to Q4 and mapped by
   * {@code interior}. The output must have {@code outScale} and the zero point for its storage.
   */
  private static Tensor[] saturating(Operation op, Tensor[] in, double outScale, int unsignedZeroPoint, int signedZeroPoint, Interior interior) {
    UniformQuantType ti = QuantSupport.uniform(op, in[0], "the input");
    UniformQuantType to = QuantSupport.resultUniform(op, 0);
    boolean unsigned = to.storageType() == org.npuc.ir.type.ScalarType.U8;
    requireOutput(op, to, outScale, unsigned ? unsignedZeroPoint : signedZeroPoint);
    InputScaling sc = inputScaling(ti);
    int zi = (int) ti.zeroPoint();
    int lo = unsigned ? 0 : -128;
    int hi = unsigned ? 255 : 127;
    int[] xs = in[0].ints();
    int[] out = new int[xs.length];
    for (int i = 0; i < xs.length; i++) {
      int centered = xs[i] - zi;
      if (centered <= -sc.radius()) {
        out[i] = lo;
      } else if (centered >= sc.radius()) {
        out[i] = hi;
      } else {
        int q4 = FixedPoint.multiplyByQuantizedMultiplierGreaterThanOne(centered, sc.multiplier(), sc.leftShift());
        out[i] = interior.apply(q4, unsigned);
      }
    }
    return new Tensor[] {QuantSupport.result(op, 0, in[0].shape(), out)};
  }
}

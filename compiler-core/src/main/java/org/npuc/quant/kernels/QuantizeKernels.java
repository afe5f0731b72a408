package org.npuc.quant.kernels;

import org.npuc.ir.IrException;
import org.npuc.ir.Operation;
import org.npuc.ir.Tensor;
import org.npuc.ir.type.ElementType;
import org.npuc.ir.type.ScalarType;
import org.npuc.ir.type.UniformPerAxisType;
import org.npuc.ir.type.UniformQuantType;
import org.npuc.quant.FixedPoint;

/**
 * {@code quantize} and {@code dequantize} as TFLite's QUANTIZE/DEQUANTIZE: float to integer is
 * {@code clamp(roundf(x / scale) + zp)} in float; integer to integer (a requantization, e.g. TFLite's
 * uint8 to int8 QUANTIZE) is {@code MultiplyByQuantizedMultiplier(q - zp_in, s_in/s_out) + zp_out}
 * (single rounding, as conv);
 * integer to float is {@code (float)(scale · (q - zp))} with the scale in double.
 */
public final class QuantizeKernels {
  private QuantizeKernels() {}

  public static Tensor[] quantize(Operation op, Tensor[] in) {
    Tensor x = in[0];
    ElementType rt = op.result().type().elementType();
    if (x.isFloat()) return new Tensor[] {fromFloat(op, x, rt)};
    UniformQuantType ti = QuantSupport.uniform(op, x, "the input");
    UniformQuantType to = QuantSupport.uniform(op, rt, "the result");
    FixedPoint.Multiplier m = FixedPoint.quantizeMultiplier(ti.scale() / to.scale());
    int zi = (int) ti.zeroPoint();
    int zo = (int) to.zeroPoint();
    int lo = (int) to.storageMin();
    int hi = (int) to.storageMax();
    int[] xs = x.ints();
    int[] out = new int[xs.length];
    for (int i = 0; i < xs.length; i++) out[i] = FixedPoint.clamp(FixedPoint.multiplyByQuantizedMultiplierSingleRounding(xs[i] - zi, m) + zo, lo, hi);
    return new Tensor[] {Tensor.ofInts(x.shape(), to, out)};
  }

  private static Tensor fromFloat(Operation op, Tensor x, ElementType rt) {
    float[] xs = x.floats();
    int[] out = new int[xs.length];
    if (rt instanceof UniformQuantType t) {
      float scale = (float) t.scale();
      int zp = (int) t.zeroPoint();
      for (int i = 0; i < xs.length; i++) out[i] = quantizeOne(xs[i], scale, zp, t.storageMin(), t.storageMax());
    } else if (rt instanceof UniformPerAxisType t) {
      int[] shape = x.shape();
      int axis = t.axis();
      int inner = 1;
      for (int d = axis + 1; d < shape.length; d++) inner *= shape[d];
      int ch = shape[axis];
      for (int i = 0; i < xs.length; i++) {
        int c = (i / inner) % ch;
        out[i] = quantizeOne(xs[i], (float) t.scale(c), (int) t.zeroPoint(c), t.storageMin(), t.storageMax());
      }
    } else {
      throw new IrException(op, "quantize: expected a uniform or uniform_per_axis result type, got " + rt.toText());
    }
    return Tensor.ofInts(x.shape(), rt, out);
  }

  private static int quantizeOne(float v, float scale, int zp, long lo, long hi) {
    double q = FixedPoint.roundHalfAway(v / scale) + zp; // v / scale in float, as TFLite
    return (int) Math.max(lo, Math.min(hi, q));
  }

  public static Tensor[] dequantize(Operation op, Tensor[] in) {
    Tensor x = in[0];
    int[] xs = x.ints();
    float[] out = new float[xs.length];
    ElementType t = x.elementType();
    if (t instanceof UniformQuantType u) {
      double s = u.scale();
      int zp = (int) u.zeroPoint();
      for (int i = 0; i < xs.length; i++) out[i] = (float) (s * (xs[i] - zp));
    } else if (t instanceof UniformPerAxisType p) {
      int[] shape = x.shape();
      int inner = 1;
      for (int d = p.axis() + 1; d < shape.length; d++) inner *= shape[d];
      int ch = shape[p.axis()];
      for (int i = 0; i < xs.length; i++) {
        int c = (i / inner) % ch;
        out[i] = (float) (p.scale(c) * (xs[i] - p.zeroPoint(c)));
      }
    } else {
      throw new IrException(op, "dequantize: expected a quantized operand, got " + t.toText());
    }
    return new Tensor[] {Tensor.ofFloats(x.shape(), ScalarType.F32, out)};
  }
}

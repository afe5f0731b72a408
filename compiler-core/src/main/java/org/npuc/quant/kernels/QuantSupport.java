package org.npuc.quant.kernels;

import org.npuc.ir.Attributes;
import org.npuc.ir.IrException;
import org.npuc.ir.Operation;
import org.npuc.ir.Tensor;
import org.npuc.ir.type.ElementType;
import org.npuc.ir.type.QuantizedType;
import org.npuc.ir.type.TensorType;
import org.npuc.ir.type.UniformPerAxisType;
import org.npuc.ir.type.UniformQuantType;
import org.npuc.quant.FixedPoint;

/**
 * Shared pieces of the integer kernels: reading per-tensor and per-channel parameters off the
 * element types, and TFLite's {@code CalculateActivationRangeQuantized} for the fused {@code act}.
 */
final class QuantSupport {
  private QuantSupport() {}

  /** The per-tensor parameters of operand/result {@code what}; fails when it is not {@code uniform}. */
  static UniformQuantType uniform(Operation op, ElementType t, String what) {
    if (t instanceof UniformQuantType u) return u;
    throw new IrException(op, op.name() + ": the integer kernel needs a per-tensor uniform type for " + what + ", got " + t.toText());
  }

  static UniformQuantType uniform(Operation op, Tensor t, String what) {
    return uniform(op, t.elementType(), what);
  }

  /** The result type of {@code op}'s result {@code i}, as per-tensor parameters. */
  static UniformQuantType resultUniform(Operation op, int i) {
    return uniform(op, op.result(i).type().elementType(), "result " + i);
  }

  /**
   * Per-channel scales along {@code channels} output channels: a per-axis type on axis 0, or a
   * per-tensor type repeated. {@code what} names the operand in messages.
   */
  static double[] channelScales(Operation op, ElementType t, int channels, String what) {
    double[] s = new double[channels];
    if (t instanceof UniformQuantType u) {
      java.util.Arrays.fill(s, u.scale());
    } else if (t instanceof UniformPerAxisType p) {
      if (p.axis() != 0 || p.channels() != channels) {
        throw new IrException(op, op.name() + ": expected " + what + " quantized per-tensor or per-axis on axis 0 with " + channels + " channels, got " + t.toText());
      }
      for (int i = 0; i < channels; i++) s[i] = p.scale(i);
    } else {
      throw new IrException(op, op.name() + ": expected a quantized type for " + what + ", got " + t.toText());
    }
    return s;
  }

  /** Per-channel zero points, like {@link #channelScales}. */
  static int[] channelZeroPoints(Operation op, ElementType t, int channels) {
    int[] z = new int[channels];
    if (t instanceof UniformQuantType u) {
      java.util.Arrays.fill(z, (int) u.zeroPoint());
    } else if (t instanceof UniformPerAxisType p) {
      for (int i = 0; i < channels; i++) z[i] = (int) p.zeroPoint(i);
    }
    return z;
  }

  static boolean isQuantized(ElementType t) {
    return t instanceof QuantizedType q && q.isQuantized();
  }

  /** [min, max] of the stored integers of {@code t}. */
  static int[] storageRange(UniformQuantType t) {
    return new int[] {(int) t.storageMin(), (int) t.storageMax()};
  }

  /**
   * TFLite's {@code Quantize(scale, zero_point, f)}: {@code zp + (int) roundf(f / scale)}, in float
   * as TFLite computes it.
   */
  static int quantizeActivationBound(UniformQuantType t, float f) {
    float scale = (float) t.scale();
    return (int) t.zeroPoint() + (int) FixedPoint.roundHalfAway(f / scale);
  }

  /**
   * The clamp range for the op's fused activation ({@code act}) on output type {@code out},
   * following {@code CalculateActivationRangeQuantized}: relu clamps at the zero point, relu6 also
   * at quantize(6), clip at quantize(act_min) / quantize(act_max).
   */
  static int[] activationRange(Operation op, UniformQuantType out) {
    Attributes a = op.attributes();
    String act = a.getString("act", "none");
    int qmin = (int) out.storageMin();
    int qmax = (int) out.storageMax();
    switch (act) {
      case "none":
        return new int[] {qmin, qmax};
      case "relu":
        return new int[] {Math.max(qmin, quantizeActivationBound(out, 0f)), qmax};
      case "relu6":
        return new int[] {Math.max(qmin, quantizeActivationBound(out, 0f)), Math.min(qmax, quantizeActivationBound(out, 6f))};
      case "clip": {
        float lo = a.getFloat("act_min", Float.NEGATIVE_INFINITY);
        float hi = a.getFloat("act_max", Float.POSITIVE_INFINITY);
        int l = Float.isInfinite(lo) ? qmin : Math.max(qmin, quantizeActivationBound(out, lo));
        int h = Float.isInfinite(hi) ? qmax : Math.min(qmax, quantizeActivationBound(out, hi));
        return new int[] {l, h};
      }
      default:
        throw new IrException(op, op.name() + ": fused activation '" + act + "' has no integer kernel (only none, relu, relu6, clip)");
    }
  }

  /** A result tensor of the op's declared type {@code i} over {@code data}. */
  static Tensor result(Operation op, int i, int[] data) {
    TensorType t = op.result(i).type();
    return Tensor.ofInts(t.shape(), t.elementType(), data);
  }

  /** A result tensor with the declared element type and an explicit shape. */
  static Tensor result(Operation op, int i, int[] shape, int[] data) {
    return Tensor.ofInts(shape, op.result(i).type().elementType(), data);
  }
}

package org.npuc.quant.kernels;

import org.npuc.ir.Attributes;
import org.npuc.ir.IrException;
import org.npuc.ir.Operation;
import org.npuc.ir.Tensor;
import org.npuc.ir.type.ElementType;
import org.npuc.ir.type.TensorType;
import org.npuc.ir.type.UniformQuantType;
import org.npuc.quant.FixedPoint;

/**
 * Integer data movement: {@code reshape}, {@code flatten}, {@code squeeze}, {@code unsqueeze},
 * {@code identity}, {@code transpose} (stored integers move unchanged; the quantization must not
 * change), {@code concat} (TFLite's {@code ConcatenationWithScaling}: inputs whose parameters differ
 * from the output's are rescaled in float and rounded half away from zero) and {@code pad} (padding
 * with the quantized pad value, the output zero point for 0.0).
 */
public final class DataKernels {
  private DataKernels() {}

  private static void requireSameType(Operation op, ElementType in, ElementType out) {
    if (!in.equals(out)) {
      throw new IrException(op, op.name() + ": moves stored integers, so its input and result need the same quantized type, got " + in.toText() + " and " + out.toText());
    }
  }

  /** reshape / flatten / squeeze / unsqueeze / identity: same data, the declared result shape. */
  public static Tensor[] view(Operation op, Tensor[] in) {
    TensorType rt = op.result().type();
    requireSameType(op, in[0].elementType(), rt.elementType());
    int[] shape = rt.shape();
    if (!rt.hasStaticShape()) {
      int known = 1;
      int unknown = -1;
      for (int i = 0; i < shape.length; i++) {
        if (shape[i] == TensorType.UNKNOWN) unknown = i; else known *= shape[i];
      }
      shape[unknown] = in[0].size() / Math.max(known, 1);
    }
    return new Tensor[] {in[0].reshape(shape)};
  }

  public static Tensor[] transpose(Operation op, Tensor[] in) {
    Tensor x = in[0];
    requireSameType(op, x.elementType(), op.result().type().elementType());
    int[] perm = op.attributes().getInts("perm");
    int r = x.rank();
    int[] shape = x.shape();
    int[] outShape = new int[r];
    for (int i = 0; i < r; i++) outShape[i] = shape[perm[i]];
    int[] inStrides = Tensor.strides(shape);
    int[] permStrides = new int[r];
    for (int i = 0; i < r; i++) permStrides[i] = inStrides[perm[i]];
    int[] xs = x.ints();
    int[] out = new int[xs.length];
    int[] idx = new int[r];
    int src = 0;
    for (int o = 0; o < out.length; o++) {
      out[o] = xs[src];
      for (int d = r - 1; d >= 0; d--) {
        idx[d]++;
        src += permStrides[d];
        if (idx[d] < outShape[d]) break;
        src -= permStrides[d] * outShape[d];
        idx[d] = 0;
      }
    }
    return new Tensor[] {Tensor.ofInts(outShape, x.elementType(), out)};
  }

  public static Tensor[] concat(Operation op, Tensor[] in) {
    UniformQuantType to = QuantSupport.resultUniform(op, 0);
    int rank = in[0].rank();
    int axis = op.attributes().getInt("axis");
    if (axis < 0) axis += rank;
    int[] shape = in[0].shape();
    int total = 0;
    for (Tensor t : in) total += t.dim(axis);
    shape[axis] = total;
    int outer = 1;
    for (int d = 0; d < axis; d++) outer *= shape[d];
    int inner = 1;
    for (int d = axis + 1; d < rank; d++) inner *= shape[d];
    int[] out = new int[outer * total * inner];
    int qmin = (int) to.storageMin();
    int qmax = (int) to.storageMax();
    float inverseOutputScale = 1.f / (float) to.scale();
    int zo = (int) to.zeroPoint();
    int offset = 0;
    for (Tensor t : in) {
      UniformQuantType ti = QuantSupport.uniform(op, t, "an input");
      boolean same = ti.scale() == to.scale() && ti.zeroPoint() == to.zeroPoint();
      float scale = (float) ti.scale() * inverseOutputScale;
      float bias = -ti.zeroPoint() * scale;
      int[] xs = t.ints();
      int chunk = t.dim(axis) * inner;
      for (int o = 0; o < outer; o++) {
        int dst = o * total * inner + offset * inner;
        int src = o * chunk;
        for (int j = 0; j < chunk; j++) {
          int v = xs[src + j];
          if (!same) v = FixedPoint.clamp((int) FixedPoint.roundHalfAway(v * scale + bias) + zo, qmin, qmax);
          out[dst + j] = v;
        }
      }
      offset += t.dim(axis);
    }
    return new Tensor[] {QuantSupport.result(op, 0, shape, out)};
  }

  public static Tensor[] pad(Operation op, Tensor[] in) {
    Tensor x = in[0];
    UniformQuantType to = QuantSupport.resultUniform(op, 0);
    requireSameType(op, x.elementType(), to);
    Attributes a = op.attributes();
    if (!a.getString("mode", "constant").equals("constant")) {
      throw new IrException(op, "pad: the integer kernel supports mode \"constant\" only, got \"" + a.getString("mode", "") + "\"");
    }
    int[] pads = a.getInts("pads");
    int r = x.rank();
    if (pads.length != 2 * r) throw new IrException(op, "pad: expected " + 2 * r + " pads, got " + pads.length);
    float value = a.getFloat("value", 0f);
    int fill = value == 0f ? (int) to.zeroPoint() : FixedPoint.clamp(QuantSupport.quantizeActivationBound(to, value), (int) to.storageMin(), (int) to.storageMax());
    int[] shape = x.shape();
    int[] outShape = new int[r];
    for (int d = 0; d < r; d++) outShape[d] = shape[d] + pads[d] + pads[d + r];
    int[] out = new int[(int) Tensor.count(outShape)];
    java.util.Arrays.fill(out, fill);
    int[] outStrides = Tensor.strides(outShape);
    int[] xs = x.ints();
    int[] idx = new int[r];
    for (int i = 0; i < xs.length; i++) {
      int dst = 0;
      for (int d = 0; d < r; d++) dst += (idx[d] + pads[d]) * outStrides[d];
      out[dst] = xs[i];
      for (int d = r - 1; d >= 0; d--) {
        if (++idx[d] < shape[d]) break;
        idx[d] = 0;
      }
    }
    return new Tensor[] {QuantSupport.result(op, 0, outShape, out)};
  }
}

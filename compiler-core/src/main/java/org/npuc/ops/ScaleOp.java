package org.npuc.ops;

import java.util.List;
import org.npuc.interp.ArrayPool;
import org.npuc.ir.Attributes;
import org.npuc.ir.Tensor;
import org.npuc.ir.type.TensorType;

/**
 * {@code scale}: {@code x·s + b} with s (and b) laid along {@code axis}; s is {@code [C]} or a
 * tensor matching x's dims from axis on (Caffe Scale/Bias with num_axes > 1).
 */
final class ScaleOp extends BaseOp {
  ScaleOp() {
    super("scale", "x * s + b along axis (Caffe Scale/Bias)");
  }

  @Override
  protected List<TensorType> infer(List<TensorType> operands, Attributes a) {
    checkCount(operands, 2, 3);
    TensorType x = operands.get(0);
    var e = floatElement("x", x);
    int axis = Shapes.axis(name(), "axis", a.getLong("axis", 1), x.rank());
    TensorType s = operands.get(1);
    floatElement("s", s);
    checkTrailing("s", s, x, axis);
    if (operands.size() == 3) {
      TensorType b = operands.get(2);
      floatElement("b", b);
      if (!java.util.Arrays.equals(b.shape(), s.shape())) throw error("operand 'b': expected the shape of 's' " + s.toText() + ", got " + b.toText());
    }
    return List.of(x.withElementType(e));
  }

  private void checkTrailing(String name, TensorType p, TensorType x, int axis) {
    boolean ok = p.rank() >= 1 && axis + p.rank() <= x.rank();
    for (int i = 0; ok && i < p.rank(); i++) ok = Shapes.compatible(p.dim(i), x.dim(axis + i));
    if (!ok) {
      throw error("operand '" + name + "': expected the dims of x " + x.toText() + " from axis " + axis + " on (e.g. [" + x.dim(axis) + "]), got " + p.toText());
    }
  }

  @Override
  protected Tensor[] compute(Attributes a, Tensor[] in, List<TensorType> results) {
    int[] shape = in[0].shape();
    int axis = Shapes.axis(name(), "axis", a.getLong("axis", 1), shape.length);
    float[] out = affine(in[0].floats(), shape, axis, in[1].rank(), in[1].floats(), in.length > 2 ? in[2].floats() : null);
    return new Tensor[] {floatTensor(results.get(0), out)};
  }

  /** {@code x·mul + add} where mul/add cover dims [axis, axis+paramRank) of x; add may be null. */
  static float[] affine(float[] x, int[] shape, int axis, int paramRank, float[] mul, float[] add) {
    int outer = (int) Shapes.product(shape, 0, axis);
    int mid = (int) Shapes.product(shape, axis, axis + paramRank);
    int inner = (int) Shapes.product(shape, axis + paramRank, shape.length);
    float[] out = ArrayPool.floats(x.length);
    int i = 0;
    for (int o = 0; o < outer; o++) {
      for (int m = 0; m < mid; m++) {
        float s = mul[m];
        float b = add == null ? 0f : add[m];
        for (int k = 0; k < inner; k++, i++) out[i] = x[i] * s + b;
      }
    }
    return out;
  }
}

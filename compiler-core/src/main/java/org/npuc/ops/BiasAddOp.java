package org.npuc.ops;

import java.util.List;
import org.npuc.interp.Broadcast;
import org.npuc.ir.Attributes;
import org.npuc.ir.Tensor;
import org.npuc.ir.type.ElementType;
import org.npuc.ir.type.TensorType;

/** {@code bias_add}: adds a vector {@code b[C]} along {@code axis} (1 by default, NCHW channels). */
final class BiasAddOp extends BaseOp {
  BiasAddOp() {
    super("bias_add", "x + b with b along axis");
  }

  @Override
  protected List<TensorType> infer(List<TensorType> operands, Attributes a) {
    checkCount(operands, 2, 2);
    TensorType x = operands.get(0);
    TensorType b = operands.get(1);
    ElementType e = floatElement("x", x);
    floatElement("b", b);
    int axis = Shapes.axis(name(), "axis", a.getLong("axis", 1), x.rank());
    if (b.rank() != 1 || !Shapes.compatible(b.dim(0), x.dim(axis))) {
      throw error("operand 'b': expected shape [" + x.dim(axis) + "] (dimension " + axis + " of x " + x.toText() + "), got " + b.toText());
    }
    return List.of(x.withElementType(e));
  }

  @Override
  protected Tensor[] compute(Attributes a, Tensor[] in, List<TensorType> results) {
    float[] out = in[0].floats().clone();
    int[] shape = in[0].shape();
    Broadcast.perChannel(Broadcast.ADD, out, shape, Shapes.axis(name(), "axis", a.getLong("axis", 1), shape.length), in[1].floats());
    return new Tensor[] {floatTensor(results.get(0), out)};
  }
}

package org.npuc.ops;

import java.util.List;
import org.npuc.ir.Attributes;
import org.npuc.ir.Tensor;
import org.npuc.ir.type.ElementType;
import org.npuc.ir.type.QuantizedType;
import org.npuc.ir.type.TensorType;

/** {@code concat}: joins its operands along {@code axis}; any element type, equal across operands. */
final class ConcatOp extends BaseOp {
  ConcatOp() {
    super("concat", "concatenation along axis");
  }

  @Override
  protected void checkAttributes(Attributes a) {
    if (!a.has("axis")) throw error("missing attribute 'axis'");
    a.getLong("axis", 0);
  }

  @Override
  protected List<TensorType> infer(List<TensorType> operands, Attributes a) {
    checkCount(operands, 1, Integer.MAX_VALUE);
    TensorType first = operands.get(0);
    int rank = first.rank();
    int axis = Shapes.axis(name(), "axis", a.getLong("axis", 0), rank);
    int[] shape = first.shape();
    ElementType e = first.elementType();
    boolean mixed = false;
    for (int i = 1; i < operands.size(); i++) {
      TensorType t = operands.get(i);
      if (t.rank() != rank) throw error("operand #" + i + ": expected rank " + rank + " like operand #0, got " + t.rank() + " (" + t.toText() + ")");
      for (int d = 0; d < rank; d++) {
        if (d == axis) {
          shape[d] = shape[d] == Shapes.UNKNOWN || t.dim(d) == Shapes.UNKNOWN ? Shapes.UNKNOWN : shape[d] + t.dim(d);
        } else if (!Shapes.compatible(shape[d], t.dim(d))) {
          throw error("operand #" + i + ": expected dimension " + d + " to be " + shape[d] + " like operand #0, got " + t.dim(d) + " (" + t.toText() + ")");
        } else if (shape[d] == Shapes.UNKNOWN) {
          shape[d] = t.dim(d);
        }
      }
      if (!t.elementType().equals(e)) mixed = true;
    }
    if (mixed) {
      // Different calibrated ranges (or quantized parameters) still concatenate as floats.
      for (int i = 0; i < operands.size(); i++) {
        TensorType t = operands.get(i);
        if (!(t.elementType() instanceof QuantizedType) && !t.elementType().storageType().isFloat()) {
          throw error("operand #" + i + ": expected element type " + e.toText() + " like operand #0, got " + t.elementType().toText());
        }
        if (!t.elementType().expressedType().equals(e.expressedType())) {
          throw error("operand #" + i + ": expected element type " + e.expressedType().toText() + ", got " + t.elementType().toText());
        }
      }
      e = e.expressedType();
    }
    return List.of(new TensorType(shape, e));
  }

  @Override
  protected Tensor[] compute(Attributes a, Tensor[] in, List<TensorType> results) {
    TensorType rt = results.get(0);
    int[] s = rt.shape();
    int axis = Shapes.axis(name(), "axis", a.getLong("axis", 0), s.length);
    int outer = (int) Shapes.product(s, 0, axis);
    int inner = (int) Shapes.product(s, axis + 1, s.length);
    int outChunk = s[axis] * inner;
    Object out = Data.newArray(in[0], Math.toIntExact(rt.numElements()));
    int at = 0;
    for (Tensor t : in) {
      int chunk = t.dim(axis) * inner;
      Object src = Data.array(t);
      for (int o = 0; o < outer; o++) System.arraycopy(src, o * chunk, out, o * outChunk + at, chunk);
      at += chunk;
    }
    return new Tensor[] {Data.tensor(rt, out)};
  }
}

package org.npuc.ops;

import java.util.ArrayList;
import java.util.List;
import org.npuc.ir.Attributes;
import org.npuc.ir.Tensor;
import org.npuc.ir.type.TensorType;

/** {@code split}: one result per entry of {@code sizes}, consecutive pieces along {@code axis}. */
final class SplitOp extends BaseOp {
  SplitOp() {
    super("split", "pieces of the given sizes along axis");
  }

  @Override
  protected void checkAttributes(Attributes a) {
    if (!a.has("axis")) throw error("missing attribute 'axis'");
    int[] sizes = intsAttr(a, "sizes", null, -1);
    if (sizes.length == 0) throw error("attribute 'sizes': expected at least one size, got none");
    checkNonNegative("sizes", sizes);
  }

  @Override
  protected List<TensorType> infer(List<TensorType> operands, Attributes a) {
    checkCount(operands, 1, 1);
    TensorType x = operands.get(0);
    int axis = Shapes.axis(name(), "axis", a.getLong("axis", 0), x.rank());
    int[] sizes = a.getInts("sizes");
    long sum = 0;
    for (int s : sizes) sum += s;
    if (x.dim(axis) != Shapes.UNKNOWN && sum != x.dim(axis)) {
      throw error("attribute 'sizes': expected sizes summing to dimension " + axis + " of x (" + x.dim(axis) + "), got "
          + java.util.Arrays.toString(sizes) + " (sum " + sum + ")");
    }
    List<TensorType> r = new ArrayList<>();
    for (int s : sizes) {
      int[] shape = x.shape();
      shape[axis] = s;
      r.add(x.withShape(shape));
    }
    return r;
  }

  @Override
  protected Tensor[] compute(Attributes a, Tensor[] in, List<TensorType> results) {
    int[] s = in[0].shape();
    int axis = Shapes.axis(name(), "axis", a.getLong("axis", 0), s.length);
    int outer = (int) Shapes.product(s, 0, axis);
    int inner = (int) Shapes.product(s, axis + 1, s.length);
    int inChunk = s[axis] * inner;
    Object src = Data.array(in[0]);
    Tensor[] out = new Tensor[results.size()];
    int at = 0;
    for (int i = 0; i < out.length; i++) {
      TensorType rt = results.get(i);
      int chunk = rt.dim(axis) * inner;
      Object dst = Data.newArray(in[0], Math.toIntExact(rt.numElements()));
      for (int o = 0; o < outer; o++) System.arraycopy(src, o * inChunk + at, dst, o * chunk, chunk);
      at += chunk;
      out[i] = Data.tensor(rt, dst);
    }
    return out;
  }
}

package org.npuc.ops;

import java.util.Arrays;
import java.util.List;
import org.npuc.ir.Attributes;
import org.npuc.ir.Tensor;
import org.npuc.ir.type.TensorType;

/** {@code transpose}: {@code out.shape[i] = in.shape[perm[i]]}; any element type. */
final class TransposeOp extends BaseOp {
  TransposeOp() {
    super("transpose", "permutes dims: out.shape[i] = in.shape[perm[i]]");
  }

  @Override
  protected void checkAttributes(Attributes a) {
    int[] perm = intsAttr(a, "perm", null, -1);
    boolean[] seen = new boolean[perm.length];
    for (int p : perm) {
      if (p < 0 || p >= perm.length || seen[p]) throw error("attribute 'perm': expected a permutation of 0.." + (perm.length - 1) + ", got " + Arrays.toString(perm));
      seen[p] = true;
    }
  }

  @Override
  protected List<TensorType> infer(List<TensorType> operands, Attributes a) {
    checkCount(operands, 1, 1);
    TensorType x = operands.get(0);
    int[] perm = a.getInts("perm");
    if (perm.length != x.rank()) throw error("attribute 'perm': expected " + x.rank() + " entries (the rank of x " + x.toText() + "), got " + perm.length);
    int[] shape = new int[perm.length];
    for (int i = 0; i < perm.length; i++) shape[i] = x.dim(perm[i]);
    var e = x.elementType();
    if (e instanceof org.npuc.ir.type.UniformPerAxisType p) {
      int newAxis = -1;
      for (int i = 0; i < perm.length; i++) if (perm[i] == p.axis()) newAxis = i;
      e = Data.moveAxis(e, newAxis);
    }
    return List.of(new TensorType(shape, e));
  }

  @Override
  protected Tensor[] compute(Attributes a, Tensor[] in, List<TensorType> results) {
    int[] perm = a.getInts("perm");
    int[] strides = in[0].strides();
    TensorType rt = results.get(0);
    int[] os = rt.shape();
    int[][] maps = new int[os.length][];
    for (int d = 0; d < os.length; d++) {
      maps[d] = new int[os[d]];
      for (int c = 0; c < os[d]; c++) maps[d][c] = c * strides[perm[d]];
    }
    Object out = Data.newArray(in[0], in[0].size());
    Data.gather(Data.array(in[0]), out, os, maps, 0f);
    return new Tensor[] {Data.tensor(rt, out)};
  }
}

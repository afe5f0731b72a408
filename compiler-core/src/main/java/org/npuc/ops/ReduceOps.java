package org.npuc.ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.npuc.ir.Attributes;
import org.npuc.ir.OpDefinition;
import org.npuc.ir.Tensor;
import org.npuc.ir.type.TensorType;

/**
 * {@code reduce_mean}, {@code reduce_sum}, {@code reduce_max} over {@code axes} (all when absent,
 * none when empty), keeping the reduced dims as 1 when {@code keepdims}.
 */
final class ReduceOps extends BaseOp {
  private static final int MEAN = 0, SUM = 1, MAX = 2;
  private final int kind;

  private ReduceOps(String name, String summary, int kind) {
    super(name, summary);
    this.kind = kind;
  }

  static List<OpDefinition> all() {
    return List.of(
        new ReduceOps("reduce_mean", "mean over axes", MEAN),
        new ReduceOps("reduce_sum", "sum over axes", SUM),
        new ReduceOps("reduce_max", "maximum over axes", MAX));
  }

  @Override
  protected void checkAttributes(Attributes a) {
    a.getInts("axes", null);
    a.getBool("keepdims", true);
  }

  /** Which dims are reduced. */
  private boolean[] reduced(Attributes a, int rank) {
    boolean[] r = new boolean[rank];
    int[] axes = a.getInts("axes", null);
    if (axes == null) {
      Arrays.fill(r, true);
      return r;
    }
    for (int ax : axes) {
      int n = Shapes.axis(name(), "axes", ax, rank);
      if (r[n]) throw error("attribute 'axes': expected distinct axes, got " + Arrays.toString(axes));
      r[n] = true;
    }
    return r;
  }

  @Override
  protected List<TensorType> infer(List<TensorType> operands, Attributes a) {
    checkCount(operands, 1, 1);
    TensorType x = operands.get(0);
    var e = kind == MAX ? sameFloatElement("x", x) : floatElement("x", x);
    boolean[] red = reduced(a, x.rank());
    boolean keep = a.getBool("keepdims", true);
    List<Integer> dims = new ArrayList<>();
    for (int i = 0; i < x.rank(); i++) {
      if (!red[i]) dims.add(x.dim(i));
      else if (keep) dims.add(1);
    }
    return List.of(new TensorType(dims.stream().mapToInt(Integer::intValue).toArray(), e));
  }

  @Override
  protected Tensor[] compute(Attributes a, Tensor[] in, List<TensorType> results) {
    float[] x = in[0].floats();
    int[] shape = in[0].shape();
    int r = shape.length;
    boolean[] red = reduced(a, r);
    // Output strides per input dim (0 on reduced dims).
    int[] os = new int[r];
    int acc = 1;
    for (int i = r - 1; i >= 0; i--) {
      if (red[i]) continue;
      os[i] = acc;
      acc *= shape[i];
    }
    float[] out = new float[acc];
    if (kind == MAX) Arrays.fill(out, Float.NEGATIVE_INFINITY);
    if (x.length > 0) {
      int inner = r == 0 ? 1 : shape[r - 1];
      int innerStride = r == 0 ? 0 : os[r - 1];
      int[] idx = new int[r];
      int o = 0;
      for (int i = 0; i < x.length; i += inner) {
        if (kind == MAX) for (int j = 0; j < inner; j++) out[o + j * innerStride] = Math.max(out[o + j * innerStride], x[i + j]);
        else for (int j = 0; j < inner; j++) out[o + j * innerStride] += x[i + j];
        for (int k = r - 2; k >= 0; k--) {
          idx[k]++;
          o += os[k];
          if (idx[k] < shape[k]) break;
          o -= os[k] * shape[k];
          idx[k] = 0;
        }
      }
    }
    if (kind == MEAN) {
      float count = (float) (x.length / Math.max(1, out.length));
      if (out.length > 0 && x.length > 0) for (int i = 0; i < out.length; i++) out[i] /= count;
      else Arrays.fill(out, Float.NaN);
    }
    return new Tensor[] {floatTensor(results.get(0), out)};
  }
}

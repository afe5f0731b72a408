package org.npuc.ops;

import java.util.List;
import org.npuc.interp.ArrayPool;
import org.npuc.interp.Simd;
import org.npuc.interp.VectorOps;
import org.npuc.ir.Attributes;
import org.npuc.ir.Tensor;
import org.npuc.ir.type.TensorType;

/** {@code prelu}: {@code x >= 0 ? x : slope·x}, slope {@code [C]} along {@code axis} or {@code [1]} shared. */
final class PreluOp extends BaseOp {
  PreluOp() {
    super("prelu", "x >= 0 ? x : slope*x with a per-channel or shared slope");
  }

  @Override
  protected List<TensorType> infer(List<TensorType> operands, Attributes a) {
    checkCount(operands, 2, 2);
    TensorType x = operands.get(0);
    TensorType slope = operands.get(1);
    var e = floatElement("x", x);
    floatElement("slope", slope);
    int axis = Shapes.axis(name(), "axis", a.getLong("axis", 1), x.rank());
    if (slope.rank() != 1 || !(slope.dim(0) == 1 || Shapes.compatible(slope.dim(0), x.dim(axis)))) {
      throw error("operand 'slope': expected shape [" + x.dim(axis) + "] (dimension " + axis + " of x) or [1], got " + slope.toText());
    }
    return List.of(x.withElementType(e));
  }

  @Override
  protected Tensor[] compute(Attributes a, Tensor[] in, List<TensorType> results) {
    float[] x = in[0].floats();
    int[] s = in[0].shape();
    int axis = Shapes.axis(name(), "axis", a.getLong("axis", 1), s.length);
    float[] slope = in[1].floats();
    boolean shared = slope.length == 1 && s[axis] != 1;
    int c = s[axis];
    int inner = (int) Shapes.product(s, axis + 1, s.length);
    float[] out = ArrayPool.floats(x.length);
    boolean finite = true;
    for (float k : slope) finite &= Float.isFinite(k);
    if (Simd.enabled() && inner >= 16) {
      // The exact select on vectors (NaN and infinite slopes included): no copies, no rewrite.
      for (int base = 0, ch = 0; base < x.length; base += inner, ch = (ch + 1) % c) {
        VectorOps.prelu(x, base, out, base, inner, shared ? slope[0] : slope[ch]);
      }
      return new Tensor[] {floatTensor(results.get(0), out)};
    }
    if (finite && inner >= 16) {
      // max(x, 0) + k·min(x, 0) equals the select for every x when k is finite (up to the sign
      // of a zero), and unlike the select C2 vectorizes it; runs are copied to zero-based rows.
      int len = Math.max(1, inner);
      float[] row = new float[len];
      for (int base = 0, ch = 0; base < x.length; base += len, ch = (ch + 1) % c) {
        System.arraycopy(x, base, row, 0, len);
        preluRow(row, len, shared ? slope[0] : slope[ch]);
        System.arraycopy(row, 0, out, base, len);
      }
      return new Tensor[] {floatTensor(results.get(0), out)};
    }
    int i = 0;
    while (i < x.length) {
      for (int ch = 0; ch < c; ch++) {
        float k = shared ? slope[0] : slope[ch];
        for (int end = i + inner; i < end; i++) out[i] = x[i] >= 0 ? x[i] : k * x[i];
      }
    }
    return new Tensor[] {floatTensor(results.get(0), out)};
  }

  private static void preluRow(float[] v, int n, float k) {
    for (int j = 0; j < n; j++) v[j] = Math.max(v[j], 0f) + k * Math.min(v[j], 0f);
  }
}

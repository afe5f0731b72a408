package org.npuc.ops;

import java.util.List;
import org.npuc.interp.ArrayPool;
import org.npuc.ir.Attributes;
import org.npuc.ir.Tensor;
import org.npuc.ir.type.TensorType;

/** {@code softmax} along {@code axis} (last by default) with TFLite's {@code beta}, shifted by the maximum for stability. */
final class SoftmaxOp extends BaseOp {
  SoftmaxOp() {
    super("softmax", "exp(beta·(x - max)) / sum(exp(beta·(x - max))) along axis");
  }

  @Override
  protected List<TensorType> infer(List<TensorType> operands, Attributes a) {
    checkCount(operands, 1, 1);
    TensorType x = operands.get(0);
    Shapes.axis(name(), "axis", a.getLong("axis", -1), x.rank());
    return List.of(x.withElementType(floatElement("x", x)));
  }

  @Override
  protected Tensor[] compute(Attributes a, Tensor[] in, List<TensorType> results) {
    float[] x = in[0].floats();
    int[] s = in[0].shape();
    int axis = Shapes.axis(name(), "axis", a.getLong("axis", -1), s.length);
    int n = s[axis];
    int inner = (int) Shapes.product(s, axis + 1, s.length);
    int outer = (int) Shapes.product(s, 0, axis);
    float[] out = ArrayPool.floats(x.length);
    double beta = a.getDouble("beta", 1.0);
    for (int o = 0; o < outer; o++) {
      for (int i = 0; i < inner; i++) {
        int base = o * n * inner + i;
        float m = Float.NEGATIVE_INFINITY;
        for (int k = 0; k < n; k++) m = Math.max(m, x[base + k * inner]);
        double sum = 0;
        for (int k = 0; k < n; k++) {
          float e = (float) Math.exp(beta * (x[base + k * inner] - m));
          out[base + k * inner] = e;
          sum += e;
        }
        float inv = (float) (1.0 / sum);
        for (int k = 0; k < n; k++) out[base + k * inner] *= inv;
      }
    }
    return new Tensor[] {floatTensor(results.get(0), out)};
  }
}

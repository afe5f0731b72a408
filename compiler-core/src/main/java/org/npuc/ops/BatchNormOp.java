package org.npuc.ops;

import java.util.List;
import org.npuc.ir.Attributes;
import org.npuc.ir.Tensor;
import org.npuc.ir.type.TensorType;

/** {@code batch_norm} (inference): {@code scale·(x - mean)/sqrt(var + epsilon) + offset} along {@code axis}. */
final class BatchNormOp extends BaseOp {
  private static final String[] PARAMS = {"scale", "offset", "mean", "var"};

  BatchNormOp() {
    super("batch_norm", "inference batch normalization with per-channel scale, offset, mean and variance");
  }

  @Override
  protected void checkAttributes(Attributes a) {
    double eps = a.getDouble("epsilon", 1e-5);
    if (!(eps >= 0)) throw error("attribute 'epsilon': expected a value >= 0, got " + eps);
  }

  @Override
  protected List<TensorType> infer(List<TensorType> operands, Attributes a) {
    checkCount(operands, 5, 5);
    TensorType x = operands.get(0);
    var e = floatElement("x", x);
    int axis = Shapes.axis(name(), "axis", a.getLong("axis", 1), x.rank());
    for (int i = 0; i < 4; i++) {
      TensorType p = operands.get(i + 1);
      floatElement(PARAMS[i], p);
      if (p.rank() != 1 || !Shapes.compatible(p.dim(0), x.dim(axis))) {
        throw error("operand '" + PARAMS[i] + "': expected shape [" + x.dim(axis) + "] (dimension " + axis + " of x), got " + p.toText());
      }
    }
    return List.of(x.withElementType(e));
  }

  @Override
  protected Tensor[] compute(Attributes a, Tensor[] in, List<TensorType> results) {
    int[] s = in[0].shape();
    int axis = Shapes.axis(name(), "axis", a.getLong("axis", 1), s.length);
    double eps = a.getDouble("epsilon", 1e-5);
    float[] scale = in[1].floats();
    float[] offset = in[2].floats();
    float[] mean = in[3].floats();
    float[] var = in[4].floats();
    int c = s[axis];
    float[] mul = new float[c];
    float[] add = new float[c];
    for (int k = 0; k < c; k++) {
      double m = scale[k] / Math.sqrt(var[k] + eps);
      mul[k] = (float) m;
      add[k] = (float) (offset[k] - mean[k] * m);
    }
    float[] out = ScaleOp.affine(in[0].floats(), s, axis, 1, mul, add);
    return new Tensor[] {floatTensor(results.get(0), out)};
  }
}

package org.npuc.ops;

import java.util.List;
import org.npuc.ir.Attributes;
import org.npuc.ir.Tensor;
import org.npuc.ir.type.TensorType;
import org.npuc.quant.FakeQuantNudge;

/**
 * {@code fake_quant}: TF FakeQuantWithMinMaxVars(PerChannel) — min/max nudged so zero is on the
 * grid, then clamp and snap to it; per tensor, or per channel along {@code axis}.
 */
final class FakeQuantOp extends BaseOp {
  FakeQuantOp() {
    super("fake_quant", "TF FakeQuantWithMinMax: clamp to the nudged range and snap to its grid");
  }

  @Override
  protected void checkAttributes(Attributes a) {
    double[] min = a.getDoubles("min", null);
    double[] max = a.getDoubles("max", null);
    if (min == null) throw error("missing attribute 'min'");
    if (max == null) throw error("missing attribute 'max'");
    if (min.length != max.length) throw error("attribute 'max': expected " + min.length + " values like 'min', got " + max.length);
    if (!a.has("axis") && min.length != 1) throw error("attribute 'min': expected one value without 'axis', got " + min.length);
    int bits = a.getInt("num_bits", 8);
    if (bits < 2 || bits > 16) throw error("attribute 'num_bits': expected a value in [2, 16], got " + bits);
    a.getBool("narrow_range", false);
    for (int i = 0; i < min.length; i++) {
      if (!((float) min[i] < (float) max[i])) {
        throw error("attributes 'min'/'max': expected min < max" + (min.length > 1 ? " for channel " + i : "") + ", got [" + min[i] + ", " + max[i] + "]");
      }
    }
  }

  @Override
  protected List<TensorType> infer(List<TensorType> operands, Attributes a) {
    checkCount(operands, 1, 1);
    TensorType x = operands.get(0);
    var e = floatElement("x", x);
    if (a.has("axis")) {
      int axis = Shapes.axis(name(), "axis", a.getLong("axis", 0), x.rank());
      int n = a.getDoubles("min", null).length;
      if (!Shapes.compatible(x.dim(axis), n)) {
        throw error("attribute 'min': expected one value per channel of dimension " + axis + " (" + x.dim(axis) + "), got " + n);
      }
    }
    return List.of(x.withElementType(e));
  }

  /** One nudge per channel (a single one without axis). */
  static FakeQuantNudge[] nudges(Attributes a) {
    double[] min = a.getDoubles("min", null);
    double[] max = a.getDoubles("max", null);
    int bits = a.getInt("num_bits", 8);
    boolean narrow = a.getBool("narrow_range", false);
    FakeQuantNudge[] r = new FakeQuantNudge[min.length];
    for (int i = 0; i < r.length; i++) r[i] = FakeQuantNudge.of((float) min[i], (float) max[i], bits, narrow);
    return r;
  }

  @Override
  protected Tensor[] compute(Attributes a, Tensor[] in, List<TensorType> results) {
    float[] x = in[0].floats();
    int[] s = in[0].shape();
    FakeQuantNudge[] nudges = nudges(a);
    float[] out = new float[x.length];
    if (!a.has("axis")) {
      FakeQuantNudge q = nudges[0];
      for (int i = 0; i < x.length; i++) out[i] = q.apply(x[i]);
    } else {
      int axis = Shapes.axis(name(), "axis", a.getLong("axis", 0), s.length);
      int inner = (int) Shapes.product(s, axis + 1, s.length);
      int c = s[axis];
      int i = 0;
      while (i < x.length) {
        for (int ch = 0; ch < c; ch++) {
          FakeQuantNudge q = nudges[ch];
          for (int end = i + inner; i < end; i++) out[i] = q.apply(x[i]);
        }
      }
    }
    return new Tensor[] {floatTensor(results.get(0), out)};
  }
}

package org.npuc.ops;

import java.util.List;
import org.npuc.ir.Attributes;
import org.npuc.ir.Tensor;
import org.npuc.ir.type.ScalarType;
import org.npuc.ir.type.TensorType;

/**
 * {@code cast} between plain scalar types: float→int truncates toward zero and saturates at the
 * target's range (NaN gives 0), int→int wraps to the target's width as C does, anything→i1 is
 * "nonzero".
 */
final class CastOp extends BaseOp {
  CastOp() {
    super("cast", "numeric conversion between scalar element types");
  }

  private ScalarType target(Attributes a) {
    String to = a.getString("to");
    ScalarType t = ScalarType.fromText(to);
    if (t == null) {
      StringBuilder sb = new StringBuilder();
      for (ScalarType s : ScalarType.values()) sb.append(sb.length() == 0 ? "" : ", ").append(s.toText());
      throw error("attribute 'to': expected one of " + sb + ", got \"" + to + "\"");
    }
    return t;
  }

  @Override
  protected void checkAttributes(Attributes a) {
    if (!a.has("to")) throw error("missing attribute 'to'");
    target(a);
  }

  @Override
  protected List<TensorType> infer(List<TensorType> operands, Attributes a) {
    checkCount(operands, 1, 1);
    TensorType x = operands.get(0);
    if (!(x.elementType() instanceof ScalarType)) {
      throw error("operand 'x': expected a plain scalar element type (use dequantize for " + x.elementType().toText() + "), got " + x.elementType().toText());
    }
    return List.of(x.withElementType(target(a)));
  }

  @Override
  protected Tensor[] compute(Attributes a, Tensor[] in, List<TensorType> results) {
    ScalarType to = target(a);
    TensorType rt = results.get(0);
    Tensor x = in[0];
    int n = x.size();
    if (to.isFloat()) {
      float[] out = new float[n];
      if (x.isFloat()) System.arraycopy(x.floats(), 0, out, 0, n);
      else for (int i = 0; i < n; i++) out[i] = x.ints()[i];
      return new Tensor[] {Tensor.ofFloats(rt.shape(), to, out)};
    }
    int[] out = new int[n];
    long lo = to.minValue();
    long hi = to.maxValue();
    if (x.isFloat()) {
      float[] f = x.floats();
      for (int i = 0; i < n; i++) {
        float v = f[i];
        if (to == ScalarType.BOOL) out[i] = v != 0 ? 1 : 0;
        else if (Float.isNaN(v)) out[i] = 0;
        else out[i] = (int) Math.max(lo, Math.min(hi, (long) v)); // (long) truncates toward zero
      }
    } else {
      int[] s = x.ints();
      for (int i = 0; i < n; i++) out[i] = wrap(s[i], to);
    }
    return new Tensor[] {Tensor.ofInts(rt.shape(), to, out)};
  }

  static int wrap(int v, ScalarType to) {
    return switch (to) {
      case BOOL -> v != 0 ? 1 : 0;
      case I8 -> (byte) v;
      case U8 -> v & 0xff;
      case I16 -> (short) v;
      case U16 -> v & 0xffff;
      default -> v;
    };
  }
}

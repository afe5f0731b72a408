package org.npuc.ops;

import java.util.List;
import org.npuc.ir.Attributes;
import org.npuc.ir.IrException;
import org.npuc.ir.OpDefinition;
import org.npuc.ir.Operation;
import org.npuc.ir.Tensor;
import org.npuc.ir.type.ElementType;
import org.npuc.ir.type.QuantizedType;
import org.npuc.ir.type.ScalarType;
import org.npuc.ir.type.TensorType;
import org.npuc.ir.type.UniformPerAxisType;
import org.npuc.ir.type.UniformQuantType;

/**
 * {@code quantize} (float → the {@code uniform}/{@code uniform_per_axis} type declared on its
 * result: round half away from zero, add the zero point, clamp to the storage range) and
 * {@code dequantize} (stored integers → {@code scale·(q - zp)} in f32). Shape inference gives the
 * float expressed type for quantize; the quantized type is the one the result is declared with.
 */
final class QuantizeOps extends BaseOp {
  private final boolean quantize;

  private QuantizeOps(boolean quantize) {
    super(quantize ? "quantize" : "dequantize", quantize ? "float to the result's quantized type" : "quantized to float");
    this.quantize = quantize;
  }

  static final QuantizeOps QUANTIZE = new QuantizeOps(true);
  static final QuantizeOps DEQUANTIZE = new QuantizeOps(false);

  static List<OpDefinition> all() {
    return List.of(QUANTIZE, DEQUANTIZE);
  }

  @Override
  protected List<TensorType> infer(List<TensorType> operands, Attributes a) {
    checkCount(operands, 1, 1);
    TensorType x = operands.get(0);
    ElementType e = x.elementType();
    if (quantize) {
      return List.of(x.withElementType(floatElement("x", x)));
    }
    if (!e.isQuantized()) throw error("operand 'x': expected a uniform or uniform_per_axis element type, got " + e.toText());
    return List.of(x.withElementType(e.expressedType()));
  }

  @Override
  public Tensor[] evaluate(Operation op, Tensor[] in) {
    try {
      inferTypes(List.of(in[0].type()), op.attributes());
      if (quantize) return new Tensor[] {quantize(in[0], op.result(0).type().elementType())};
      return new Tensor[] {dequantize(in[0])};
    } catch (IrException e) {
      throw e.op() != null ? e : new IrException(op, e.getMessage());
    }
  }

  @Override
  protected Tensor[] compute(Attributes a, Tensor[] in, List<TensorType> results) {
    throw new IllegalStateException("evaluated through evaluate(Operation, Tensor[])");
  }

  /** Quantizes a float tensor to {@code type} (uniform or uniform_per_axis). */
  public static Tensor quantize(Tensor x, ElementType type) {
    float[] f = x.floats();
    int[] q = new int[f.length];
    int[] s = x.shape();
    if (type instanceof UniformQuantType u) {
      for (int i = 0; i < f.length; i++) q[i] = quantizeOne(f[i], u.scale(), u.zeroPoint(), u.storageMin(), u.storageMax());
    } else if (type instanceof UniformPerAxisType p) {
      int axis = checkAxis("quantize", p, s);
      int inner = (int) Shapes.product(s, axis + 1, s.length);
      int c = s[axis];
      for (int i = 0; i < f.length; i++) {
        int ch = (i / inner) % c;
        q[i] = quantizeOne(f[i], p.scale(ch), p.zeroPoint(ch), p.storageMin(), p.storageMax());
      }
    } else {
      throw new IrException("quantize: expected the result element type to be uniform or uniform_per_axis, got " + type.toText());
    }
    return Tensor.ofInts(s, type, q);
  }

  static int quantizeOne(float x, double scale, long zp, long lo, long hi) {
    double v = x / scale;
    if (Double.isNaN(v)) return (int) Math.max(lo, Math.min(hi, zp));
    double r = Math.signum(v) * Math.floor(Math.abs(v) + 0.5); // half away from zero
    double q = r + zp;
    return (int) Math.max(lo, Math.min(hi, q));
  }

  /** Dequantizes a tensor whose element type is uniform or uniform_per_axis. */
  public static Tensor dequantize(Tensor x) {
    ElementType type = x.elementType();
    int[] q = x.ints();
    int[] s = x.shape();
    float[] f = new float[q.length];
    if (type instanceof UniformQuantType u) {
      double sc = u.scale();
      long zp = u.zeroPoint();
      for (int i = 0; i < q.length; i++) f[i] = (float) (sc * (q[i] - zp));
    } else if (type instanceof UniformPerAxisType p) {
      int axis = checkAxis("dequantize", p, s);
      int inner = (int) Shapes.product(s, axis + 1, s.length);
      int c = s[axis];
      for (int i = 0; i < q.length; i++) {
        int ch = (i / inner) % c;
        f[i] = (float) (p.scale(ch) * (q[i] - p.zeroPoint(ch)));
      }
    } else {
      throw new IrException("dequantize: expected a uniform or uniform_per_axis element type, got " + type.toText());
    }
    ScalarType expressed = ((QuantizedType) type).expressedType();
    return Tensor.ofFloats(s, expressed.isFloat() ? expressed : ScalarType.F32, f);
  }

  private static int checkAxis(String op, UniformPerAxisType p, int[] s) {
    int axis = p.axis();
    if (axis < 0 || axis >= s.length || s[axis] != p.channels()) {
      throw new IrException(op + ": expected dimension " + axis + " of " + Shapes.text(s) + " to have the " + p.channels()
          + " channels of " + p.toText() + ", got " + (axis < s.length && axis >= 0 ? String.valueOf(s[axis]) : "no such dimension"));
    }
    return axis;
  }
}

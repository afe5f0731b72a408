package org.npuc.ops;

import java.util.List;
import org.npuc.interp.ArrayPool;
import org.npuc.interp.Broadcast;
import org.npuc.ir.Attributes;
import org.npuc.ir.OpDefinition;
import org.npuc.ir.Tensor;
import org.npuc.ir.type.ElementType;
import org.npuc.ir.type.ScalarType;
import org.npuc.ir.type.TensorType;

/**
 * {@code add}, {@code sub}, {@code mul}, {@code div}, {@code max}, {@code min}, {@code pow}: numpy
 * broadcasting on float operands; add/sub/mul take a fused {@code act}. add/sub/mul/max/min also
 * run on equal integer element types (32-bit wrapping), which shape arithmetic in imported graphs
 * needs when constants are folded.
 */
final class BinaryElementwiseOps extends BaseOp {
  private final int kind;
  private final boolean hasAct;

  private BinaryElementwiseOps(String name, String summary, int kind, boolean hasAct) {
    super(name, summary);
    this.kind = kind;
    this.hasAct = hasAct;
  }

  static List<OpDefinition> all() {
    return List.of(
        new BinaryElementwiseOps("add", "a + b with broadcasting and fused activation", Broadcast.ADD, true),
        new BinaryElementwiseOps("sub", "a - b with broadcasting and fused activation", Broadcast.SUB, true),
        new BinaryElementwiseOps("mul", "a * b with broadcasting and fused activation", Broadcast.MUL, true),
        new BinaryElementwiseOps("div", "a / b (IEEE float division) with broadcasting", Broadcast.DIV, false),
        new BinaryElementwiseOps("max", "elementwise maximum with broadcasting", Broadcast.MAX, false),
        new BinaryElementwiseOps("min", "elementwise minimum with broadcasting", Broadcast.MIN, false),
        new BinaryElementwiseOps("pow", "a ^ b with broadcasting", Broadcast.POW, false));
  }

  @Override
  protected boolean fusesActivation() {
    return hasAct;
  }

  @Override
  protected void checkAttributes(Attributes attrs) {
    if (hasAct) Activation.of(name(), attrs);
  }

  @Override
  protected List<TensorType> infer(List<TensorType> operands, Attributes attrs) {
    checkCount(operands, 2, 2);
    TensorType a = operands.get(0);
    TensorType b = operands.get(1);
    int[] shape = Shapes.broadcast(name(), a.shape(), b.shape());
    ElementType ea = a.elementType();
    if (ea instanceof ScalarType sa && sa.isInteger() && !sa.equals(ScalarType.BOOL)) {
      if (!ea.equals(b.elementType())) {
        throw error("operand 'b': expected element type " + ea.toText() + " like operand 'a', got " + b.elementType().toText());
      }
      if (kind == Broadcast.DIV || kind == Broadcast.POW) {
        throw error("operand 'a': expected a float element type, got " + ea.toText());
      }
      if (!Activation.of(name(), attrs).isNone()) throw error("attribute 'act': not supported on integer operands (" + ea.toText() + ")");
      return List.of(new TensorType(shape, ea));
    }
    ElementType e = floatElement("a", a);
    ElementType eb = floatElement("b", b);
    if (e instanceof ScalarType && eb instanceof ScalarType && !e.equals(eb)) {
      throw error("operand 'b': expected element type " + e.toText() + " like operand 'a', got " + eb.toText());
    }
    return List.of(new TensorType(shape, e));
  }

  @Override
  protected Tensor[] compute(Attributes attrs, Tensor[] in, List<TensorType> results) {
    TensorType rt = results.get(0);
    int[] shape = rt.shape();
    int n = Math.toIntExact(Tensor.count(shape));
    if (!in[0].isFloat()) {
      int[] out = new int[n];
      Broadcast.binaryInt(kind, in[0].ints(), in[0].shape(), in[1].ints(), in[1].shape(), out, shape);
      return new Tensor[] {Tensor.ofInts(shape, rt.elementType(), out)};
    }
    float[] out = ArrayPool.floats(n);
    Broadcast.binary(kind, in[0].floats(), in[0].shape(), in[1].floats(), in[1].shape(), out, shape);
    if (hasAct) Activation.of(name(), attrs).apply(out);
    return new Tensor[] {floatTensor(rt, out)};
  }
}

package org.npuc.ops;

import java.util.List;
import org.npuc.interp.ArrayPool;
import org.npuc.interp.ConvKernels;
import org.npuc.ir.Attributes;
import org.npuc.ir.Operation;
import org.npuc.ir.Tensor;
import org.npuc.ir.type.ElementType;
import org.npuc.ir.type.TensorType;

/**
 * {@code conv2d}: NCHW cross-correlation with strides, dilations, explicit pads, groups (depthwise
 * is group = C, O = C·multiplier), optional bias and fused activation.
 */
final class Conv2dOp extends BaseOp {
  Conv2dOp() {
    super("conv2d", "2-D convolution (NCHW, weights OIHW) with groups, bias and fused activation");
  }

  @Override
  protected boolean fusesActivation() {
    return true;
  }

  @Override
  protected void checkAttributes(Attributes a) {
    checkWindowAttributes(this, a);
    Activation.of(name(), a);
  }

  /** The window attributes shared with deconv2d: strides, dilations, pads, group. */
  static void checkWindowAttributes(BaseOp op, Attributes a) {
    op.checkPositive("strides", op.intsAttr(a, "strides", new int[] {1, 1}, 2));
    op.checkPositive("dilations", op.intsAttr(a, "dilations", new int[] {1, 1}, 2));
    op.checkNonNegative("pads", op.intsAttr(a, "pads", new int[] {0, 0, 0, 0}, 4));
    if (a.getInt("group", 1) < 1) throw op.error("attribute 'group': expected a value >= 1, got " + a.getInt("group", 1));
  }

  static ConvKernels.Geometry geometry(Attributes a, int kh, int kw) {
    int[] s = a.getInts("strides", new int[] {1, 1});
    int[] d = a.getInts("dilations", new int[] {1, 1});
    int[] p = a.getInts("pads", new int[] {0, 0, 0, 0});
    return new ConvKernels.Geometry(kh, kw, s[0], s[1], d[0], d[1], p[0], p[1], p[2], p[3]);
  }

  /** Checks x, w and bias of a conv-like op and returns the float result element type. */
  static ElementType checkOperands(BaseOp op, List<TensorType> operands) {
    op.checkCount(operands, 2, 3);
    TensorType x = operands.get(0);
    TensorType w = operands.get(1);
    op.checkRank("x", x, 4);
    op.checkRank("w", w, 4);
    ElementType e = op.floatElement("x", x);
    op.floatElement("w", w);
    if (operands.size() == 3) {
      op.checkRank("bias", operands.get(2), 1);
      op.floatElement("bias", operands.get(2));
    }
    return e;
  }

  @Override
  protected List<TensorType> infer(List<TensorType> operands, Attributes a) {
    ElementType e = checkOperands(this, operands);
    int[] x = operands.get(0).shape();
    int[] w = operands.get(1).shape();
    int group = a.getInt("group", 1);
    ConvKernels.Geometry g = geometry(a, w[2], w[3]);
    int c = x[1];
    int o = w[0];
    if (c != Shapes.UNKNOWN) {
      if (c % group != 0) throw error("attribute 'group': expected a divisor of the input channels " + c + ", got " + group);
      if (!Shapes.compatible(w[1], c / group)) {
        throw error("operand 'w': expected dimension 1 to be C/group = " + c / group + " (C = " + c + ", group = " + group + "), got " + w[1]);
      }
    }
    if (o != Shapes.UNKNOWN && o % group != 0) {
      throw error("operand 'w': expected output channels (dimension 0) divisible by group " + group + ", got " + o);
    }
    if (operands.size() == 3 && !Shapes.compatible(operands.get(2).dim(0), o)) {
      throw error("operand 'bias': expected " + o + " elements (the output channels), got " + operands.get(2).dim(0));
    }
    if (w[2] == Shapes.UNKNOWN || w[3] == Shapes.UNKNOWN) throw error("operand 'w': expected a known kernel size, got " + operands.get(1).toText());
    int oh = Shapes.windowOut(x[2], g.pt() + g.pb(), (g.kh() - 1) * g.dh() + 1, g.sh());
    int ow = Shapes.windowOut(x[3], g.pl() + g.pr(), (g.kw() - 1) * g.dw() + 1, g.sw());
    if ((oh != Shapes.UNKNOWN && oh < 1) || (ow != Shapes.UNKNOWN && ow < 1)) {
      throw error("expected a non-empty output, got " + oh + "x" + ow + " for input " + x[2] + "x" + x[3] + ", kernel "
          + g.kh() + "x" + g.kw() + " (dilated " + ((g.kh() - 1) * g.dh() + 1) + "x" + ((g.kw() - 1) * g.dw() + 1) + ")");
    }
    return List.of(new TensorType(new int[] {x[0], o, oh, ow}, e));
  }

  @Override
  protected Tensor[] compute(Operation op, Tensor[] in, List<TensorType> results) {
    Attributes a = op.attributes();
    TensorType rt = results.get(0);
    int[] w = in[1].shape();
    float[] out = ArrayPool.floats(Math.toIntExact(rt.numElements()));
    Activation act = Activation.of(name(), a);
    // The activation runs inside the kernels, on each output row while it is still in cache.
    ConvKernels.conv2d(
        in[0].floats(), in[0].shape(), in[1].floats(), w[0], in.length > 2 ? in[2].floats() : null,
        geometry(a, w[2], w[3]), a.getInt("group", 1), out, rt.dim(2), rt.dim(3), constantData(op, 1, in[1]) != null,
        act.isNone() ? null : act::apply);
    return new Tensor[] {floatTensor(rt, out)};
  }

  @Override
  protected Tensor[] compute(Attributes a, Tensor[] in, List<TensorType> results) {
    TensorType rt = results.get(0);
    int[] w = in[1].shape();
    float[] out = ArrayPool.floats(Math.toIntExact(rt.numElements()));
    ConvKernels.conv2d(
        in[0].floats(), in[0].shape(), in[1].floats(), w[0], in.length > 2 ? in[2].floats() : null,
        geometry(a, w[2], w[3]), a.getInt("group", 1), out, rt.dim(2), rt.dim(3));
    Activation.of(name(), a).apply(out);
    return new Tensor[] {floatTensor(rt, out)};
  }
}

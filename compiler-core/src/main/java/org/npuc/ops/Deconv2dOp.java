package org.npuc.ops;

import java.util.List;
import org.npuc.interp.ConvKernels;
import org.npuc.ir.Attributes;
import org.npuc.ir.Tensor;
import org.npuc.ir.type.ElementType;
import org.npuc.ir.type.TensorType;

/**
 * {@code deconv2d}: transposed convolution with weights {@code [C, O/group, kh, kw]}, pads cropped
 * from the full output and {@code output_padding} added at the bottom/right.
 */
final class Deconv2dOp extends BaseOp {
  Deconv2dOp() {
    super("deconv2d", "2-D transposed convolution (NCHW, weights C x O/group x kh x kw) with bias and fused activation");
  }

  @Override
  protected boolean fusesActivation() {
    return true;
  }

  @Override
  protected void checkAttributes(Attributes a) {
    Conv2dOp.checkWindowAttributes(this, a);
    checkNonNegative("output_padding", intsAttr(a, "output_padding", new int[] {0, 0}, 2));
    Activation.of(name(), a);
  }

  @Override
  protected List<TensorType> infer(List<TensorType> operands, Attributes a) {
    ElementType e = Conv2dOp.checkOperands(this, operands);
    int[] x = operands.get(0).shape();
    int[] w = operands.get(1).shape();
    int group = a.getInt("group", 1);
    int[] op = a.getInts("output_padding", new int[] {0, 0});
    if (!Shapes.compatible(w[0], x[1])) {
      throw error("operand 'w': expected dimension 0 to be the input channels " + x[1] + ", got " + w[0]);
    }
    if (x[1] != Shapes.UNKNOWN && x[1] % group != 0) {
      throw error("attribute 'group': expected a divisor of the input channels " + x[1] + ", got " + group);
    }
    if (w[2] == Shapes.UNKNOWN || w[3] == Shapes.UNKNOWN) throw error("operand 'w': expected a known kernel size, got " + operands.get(1).toText());
    int o = w[1] == Shapes.UNKNOWN ? Shapes.UNKNOWN : w[1] * group;
    if (operands.size() == 3 && !Shapes.compatible(operands.get(2).dim(0), o)) {
      throw error("operand 'bias': expected " + o + " elements (the output channels), got " + operands.get(2).dim(0));
    }
    ConvKernels.Geometry g = Conv2dOp.geometry(a, w[2], w[3]);
    int oh = x[2] == Shapes.UNKNOWN ? Shapes.UNKNOWN : g.sh() * (x[2] - 1) + op[0] + (g.kh() - 1) * g.dh() + 1 - g.pt() - g.pb();
    int ow = x[3] == Shapes.UNKNOWN ? Shapes.UNKNOWN : g.sw() * (x[3] - 1) + op[1] + (g.kw() - 1) * g.dw() + 1 - g.pl() - g.pr();
    if ((oh != Shapes.UNKNOWN && oh < 1) || (ow != Shapes.UNKNOWN && ow < 1)) {
      throw error("expected a non-empty output, got " + oh + "x" + ow + " (pads crop more than the full output)");
    }
    return List.of(new TensorType(new int[] {x[0], o, oh, ow}, e));
  }

  @Override
  protected Tensor[] compute(Attributes a, Tensor[] in, List<TensorType> results) {
    TensorType rt = results.get(0);
    int[] w = in[1].shape();
    float[] out = new float[Math.toIntExact(rt.numElements())];
    ConvKernels.deconv2d(
        in[0].floats(), in[0].shape(), in[1].floats(), rt.dim(1), in.length > 2 ? in[2].floats() : null,
        Conv2dOp.geometry(a, w[2], w[3]), a.getInt("group", 1), out, rt.dim(2), rt.dim(3));
    Activation.of(name(), a).apply(out);
    return new Tensor[] {floatTensor(rt, out)};
  }
}

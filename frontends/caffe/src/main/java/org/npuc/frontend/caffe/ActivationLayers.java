package org.npuc.frontend.caffe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.npuc.frontend.caffe.proto.CaffeProto.LayerParameter;
import org.npuc.frontend.caffe.proto.CaffeProto.PowerParameter;
import org.npuc.ir.Attributes;
import org.npuc.ir.Tensor;
import org.npuc.ir.Value;

/** Element-wise layers of one bottom: ReLU and friends, Power, Softmax, Dropout. */
final class ActivationLayers {
  private ActivationLayers() {}

  /** A layer applied to each bottom independently (Caffe allows only one; so do we). */
  private static List<Value> unary(List<Value> bottoms, LayerContext ctx, String op, Attributes a) {
    Value x = PoolingLayers.single(bottoms, ctx);
    return List.of(ctx.op(op, List.of(x), a, LayerContext.shape(x)));
  }

  static List<Value> relu(LayerParameter layer, List<Value> bottoms, LayerContext ctx) {
    float slope = layer.getReluParam().getNegativeSlope();
    return slope == 0
        ? unary(bottoms, ctx, "relu", null)
        : unary(bottoms, ctx, "leaky_relu", Attributes.of("alpha", (double) slope));
  }

  static List<Value> relu6(LayerParameter layer, List<Value> bottoms, LayerContext ctx) {
    return unary(bottoms, ctx, "relu6", null);
  }

  static List<Value> clip(LayerParameter layer, List<Value> bottoms, LayerContext ctx) {
    var p = layer.getClipParam();
    if (!p.hasMin() || !p.hasMax()) throw ctx.error("clip_param needs both min and max");
    if (p.getMin() > p.getMax()) throw ctx.error("clip_param min " + p.getMin() + " is greater than max " + p.getMax());
    return unary(bottoms, ctx, "clip", Attributes.of("min", (double) p.getMin(), "max", (double) p.getMax()));
  }

  static List<Value> sigmoid(LayerParameter layer, List<Value> bottoms, LayerContext ctx) {
    return unary(bottoms, ctx, "sigmoid", null);
  }

  static List<Value> tanh(LayerParameter layer, List<Value> bottoms, LayerContext ctx) {
    return unary(bottoms, ctx, "tanh", null);
  }

  static List<Value> absVal(LayerParameter layer, List<Value> bottoms, LayerContext ctx) {
    return unary(bottoms, ctx, "abs", null);
  }

  static List<Value> elu(LayerParameter layer, List<Value> bottoms, LayerContext ctx) {
    return unary(bottoms, ctx, "elu", Attributes.of("alpha", (double) layer.getEluParam().getAlpha()));
  }

  /** Dropout is the identity at inference (Caffe scales during training, not at test time). */
  static List<Value> dropout(LayerParameter layer, List<Value> bottoms, LayerContext ctx) {
    return unary(bottoms, ctx, "identity", null);
  }

  static List<Value> softmax(LayerParameter layer, List<Value> bottoms, LayerContext ctx) {
    Value x = PoolingLayers.single(bottoms, ctx);
    int[] s = LayerContext.shape(x);
    int axis = ctx.axis(layer.getSoftmaxParam().getAxis(), s.length, "axis");
    return List.of(ctx.op("softmax", List.of(x), Attributes.of("axis", axis), s));
  }

  static List<Value> prelu(LayerParameter layer, List<Value> bottoms, LayerContext ctx) {
    Value x = PoolingLayers.single(bottoms, ctx);
    int[] s = LayerContext.shape(x);
    if (s.length < 2) throw ctx.error("expected an input with a channel axis (N,C,...), got shape " + Arrays.toString(s));
    boolean shared = layer.getPreluParam().getChannelShared();
    // Caffe keeps a shared slope as a 0-axis blob.
    Tensor slope = ctx.blobs(Weights.Kind.PRELU, shared ? new int[0] : new int[] {s[1]})[0];
    Value sv = ctx.constant(shared ? slope.reshape(1) : slope);
    return List.of(ctx.op("prelu", List.of(x, sv), Attributes.of("axis", 1), s));
  }

  /** Power: y = (shift + scale·x)^power, emitted as the mul/add/pow steps that are not identities. */
  static List<Value> power(LayerParameter layer, List<Value> bottoms, LayerContext ctx) {
    PowerParameter p = layer.getPowerParam();
    Value x = PoolingLayers.single(bottoms, ctx);
    int[] s = LayerContext.shape(x);
    if (p.getScale() == 0 || p.getPower() == 0) {
      // Caffe's shortcut: the result does not depend on x at all (power 0 gives 1, even for 0^0).
      float v = p.getPower() == 0 ? 1f : (float) Math.pow(p.getShift(), p.getPower());
      float[] data = new float[(int) Tensor.count(s)];
      Arrays.fill(data, v);
      Value c = ctx.constant(Tensor.ofFloats(s, data));
      return List.of(ctx.op("identity", List.of(c), null, s));
    }
    Value y = x;
    if (p.getScale() != 1) y = ctx.op("mul", List.of(y, ctx.scalar(p.getScale())), null, s);
    if (p.getShift() != 0) y = ctx.op("add", List.of(y, ctx.scalar(p.getShift())), null, s);
    if (p.getPower() != 1) y = ctx.op("pow", List.of(y, ctx.scalar(p.getPower())), null, s);
    if (y == x) y = ctx.op("identity", List.of(x), null, s);
    return List.of(y);
  }

  /** Eltwise over two or more same-shaped bottoms: SUM (with per-bottom coeff), PROD or MAX. */
  static List<Value> eltwise(LayerParameter layer, List<Value> bottoms, LayerContext ctx) {
    var p = layer.getEltwiseParam();
    if (bottoms.size() < 2) throw ctx.error("expected 2 or more bottoms, got " + bottoms.size());
    int[] s = LayerContext.shape(bottoms.get(0));
    for (Value b : bottoms) {
      if (!Arrays.equals(LayerContext.shape(b), s)) {
        throw ctx.error("all bottoms must have the same shape, got " + Arrays.toString(s) + " and " + Arrays.toString(LayerContext.shape(b)));
      }
    }
    var op = p.getOperation();
    if (p.getCoeffCount() > 0 && op != org.npuc.frontend.caffe.proto.CaffeProto.EltwiseParameter.EltwiseOp.SUM) {
      throw ctx.error("coeff is only allowed with operation SUM");
    }
    if (p.getCoeffCount() > 0 && p.getCoeffCount() != bottoms.size()) {
      throw ctx.error("give one coeff per bottom (" + bottoms.size() + "), got " + p.getCoeffCount());
    }
    List<Value> terms = new ArrayList<>();
    for (int i = 0; i < bottoms.size(); i++) {
      Value b = bottoms.get(i);
      float c = p.getCoeffCount() > 0 ? p.getCoeff(i) : 1f;
      terms.add(c == 1f ? b : ctx.op("mul", List.of(b, ctx.scalar(c)), null, s));
    }
    String name = switch (op) {
      case SUM -> "add";
      case PROD -> "mul";
      case MAX -> "max";
    };
    Value acc = terms.get(0);
    for (int i = 1; i < terms.size(); i++) acc = ctx.op(name, List.of(acc, terms.get(i)), null, s);
    return List.of(acc);
  }
}

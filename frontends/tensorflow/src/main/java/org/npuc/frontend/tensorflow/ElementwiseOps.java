package org.npuc.frontend.tensorflow;

import java.util.List;
import java.util.Map;
import org.npuc.frontend.tensorflow.proto.NodeDef;
import org.npuc.ir.Attributes;
import org.npuc.ir.Tensor;
import org.npuc.ir.Value;
import org.npuc.ir.type.ScalarType;

/**
 * Elementwise TensorFlow ops: arithmetic with broadcasting, activations, Softmax, BiasAdd, AddN.
 * They run in whichever layout their input already has; a binary op whose operands differ in layout
 * brings the smaller-rank or plain operand into NCHW (a constant is re-laid out at import).
 */
final class ElementwiseOps {
  private ElementwiseOps() {}

  static void register(Map<String, OpConverter> t) {
    binary(t, "Add", "add");
    binary(t, "AddV2", "add");
    binary(t, "Sub", "sub");
    binary(t, "Mul", "mul");
    binary(t, "RealDiv", "div");
    binary(t, "Maximum", "max");
    binary(t, "Minimum", "min");
    binary(t, "Pow", "pow");
    for (String[] p :
        new String[][] {
          {"Relu", "relu"},
          {"Relu6", "relu6"},
          {"Elu", "elu"},
          {"Sigmoid", "sigmoid"},
          {"Tanh", "tanh"},
          {"Square", "square"},
          {"Sqrt", "sqrt"},
          {"Rsqrt", "rsqrt"},
          {"Exp", "exp"},
          {"Log", "log"},
          {"Abs", "abs"},
          {"Neg", "neg"}
        }) {
      t.put(p[0], (ctx, n, a, in) -> Results.one(unary(ctx, in.get(0), p[1], new Attributes())));
    }
    t.put(
        "LeakyRelu",
        (ctx, n, a, in) ->
            Results.one(
                unary(
                    ctx,
                    in.get(0),
                    "leaky_relu",
                    Attributes.of("alpha", (double) a.real("alpha", 0.2f)))));
    t.put("Softmax", ElementwiseOps::softmax);
    t.put("BiasAdd", ElementwiseOps::biasAdd);
    t.put("BiasAddV1", ElementwiseOps::biasAdd);
    t.put("AddN", ElementwiseOps::addN);
  }

  private static void binary(Map<String, OpConverter> t, String tfName, String op) {
    t.put(tfName, (ctx, n, a, in) -> Results.one(binary(ctx, in.get(0), in.get(1), op)));
  }

  static TfValue unary(ImportContext ctx, TfValue x, String op, Attributes attrs) {
    if (x.preferNchw()) {
      Value v = ctx.nchw(x);
      return Results.nchw(
          ctx, ctx.emit(op, List.of(v), attrs, v.type().shape(), v.type().elementType()));
    }
    Value v = ctx.plain(x);
    return Results.plain(
        ctx, ctx.emit(op, List.of(v), attrs, v.type().shape(), v.type().elementType()));
  }

  static TfValue binary(ImportContext ctx, TfValue a, TfValue b, String op) {
    if (a.shape == null || b.shape == null)
      throw ctx.error("operands of unknown rank are not supported");
    int[] out = Results.broadcast(a.shape, b.shape);
    if (out == null) {
      throw ctx.error(
          "shapes "
              + ImportContext.describe(a.shape)
              + " and "
              + ImportContext.describe(b.shape)
              + " do not broadcast");
    }
    if (a.isConstant() && b.isConstant() && !op.equals("pow")) {
      ctx.requireKnown(a);
      ctx.requireKnown(b);
      TfValue r =
          TfValue.ofConstant(ctx.node().getName(), foldBinary(a.constant, b.constant, out, op));
      return r;
    }
    if (out.length == 4 && (a.preferNchw() || b.preferNchw())) {
      Value va = toNchwOperand(ctx, a);
      Value vb = toNchwOperand(ctx, b);
      return Results.nchw(
          ctx,
          ctx.emit(
              op,
              List.of(va, vb),
              new Attributes(),
              TfValue.permute(out, TfValue.TO_NCHW),
              a.type));
    }
    return Results.plain(
        ctx, ctx.emit(op, List.of(ctx.plain(a), ctx.plain(b)), new Attributes(), out, a.type));
  }

  /**
   * An operand of a 4-D NCHW broadcast: 4-D tensors transposed, lower ranks expanded to 4-D first.
   */
  static Value toNchwOperand(ImportContext ctx, TfValue t) {
    if (t.rank() == 4) return ctx.nchw(t);
    boolean allOnes = true;
    for (int d : t.shape) allOnes &= d == 1;
    if (allOnes) return ctx.plain(t);
    int[] s4 = new int[4];
    int pad = 4 - t.rank();
    for (int i = 0; i < 4; i++) s4[i] = i < pad ? 1 : t.shape[i - pad];
    if (t.isConstant())
      return ctx.constant(
          ConstFold.transpose(ctx.requireKnown(t).reshape(s4), TfValue.TO_NCHW), t.name);
    return ctx.transpose(ctx.reshape(ctx.plain(t), s4), TfValue.TO_NCHW);
  }

  private static TfValue[] softmax(ImportContext ctx, NodeDef n, Attrs a, List<TfValue> in) {
    TfValue x = in.get(0);
    if (x.preferNchw()) return Results.one(unary(ctx, x, "softmax", Attributes.of("axis", 1)));
    return Results.one(unary(ctx, x, "softmax", Attributes.of("axis", -1)));
  }

  private static TfValue[] biasAdd(ImportContext ctx, NodeDef n, Attrs a, List<TfValue> in) {
    TfValue x = in.get(0);
    TfValue bias = in.get(1);
    if (bias.rank() != 1)
      throw ctx.error("bias must be 1-D, got shape " + ImportContext.describe(bias.shape));
    String format = a.string("data_format", "NHWC");
    Value b = ctx.plain(bias);
    // NC* formats have the channels at axis 1; a 4-D NHWC input is moved to NCHW, where they are
    // at axis 1 too; any other NHWC input adds along its last axis.
    boolean channelsFirst = format.startsWith("NC");
    boolean toNchw = !channelsFirst && x.rank() == 4;
    Value v = toNchw ? ctx.nchw(x) : ctx.plain(x);
    int axis = channelsFirst || toNchw ? 1 : x.rank() - 1;
    Value y =
        ctx.emit("bias_add", List.of(v, b), Attributes.of("axis", axis), v.type().shape(), x.type);
    return Results.one(toNchw ? Results.nchw(ctx, y) : Results.plain(ctx, y));
  }

  private static TfValue[] addN(ImportContext ctx, NodeDef n, Attrs a, List<TfValue> in) {
    TfValue acc = in.get(0);
    for (int i = 1; i < in.size(); i++) acc = binary(ctx, acc, in.get(i), "add");
    return Results.one(acc);
  }

  /** Elementwise arithmetic on two constants with broadcasting, in the operands' own type. */
  static Tensor foldBinary(Tensor a, Tensor b, int[] out, String op) {
    int n = (int) Tensor.count(out);
    int[] ia = broadcastIndex(a.shape(), out);
    int[] ib = broadcastIndex(b.shape(), out);
    if (a.isFloat() || b.isFloat()) {
      float[] r = new float[n];
      for (int i = 0; i < n; i++) r[i] = applyFloat(op, a.getFloat(ia[i]), b.getFloat(ib[i]));
      return Tensor.ofFloats(out, r);
    }
    int[] r = new int[n];
    for (int i = 0; i < n; i++) r[i] = applyInt(op, a.getInt(ia[i]), b.getInt(ib[i]));
    return Tensor.ofInts(
        out, a.elementType() == ScalarType.BOOL ? ScalarType.I32 : a.elementType(), r);
  }

  private static float applyFloat(String op, float x, float y) {
    return switch (op) {
      case "add" -> x + y;
      case "sub" -> x - y;
      case "mul" -> x * y;
      case "div" -> x / y;
      case "max" -> Math.max(x, y);
      case "min" -> Math.min(x, y);
      default -> throw new IllegalArgumentException(op);
    };
  }

  private static int applyInt(String op, int x, int y) {
    return switch (op) {
      case "add" -> x + y;
      case "sub" -> x - y;
      case "mul" -> x * y;
      case "div" -> y == 0 ? 0 : x / y;
      case "max" -> Math.max(x, y);
      case "min" -> Math.min(x, y);
      default -> throw new IllegalArgumentException(op);
    };
  }

  /**
   * For each element of {@code out}, the index of the element of a tensor of {@code shape} it
   * reads.
   */
  static int[] broadcastIndex(int[] shape, int[] out) {
    int n = (int) Tensor.count(out);
    int r = out.length;
    int[] st = Tensor.strides(shape);
    int[] idx = new int[n];
    int[] pos = new int[r];
    for (int k = 0; k < n; k++) {
      int off = 0;
      for (int d = 0; d < r; d++) {
        int sd = d - (r - shape.length);
        if (sd >= 0 && shape[sd] != 1) off += pos[d] * st[sd];
      }
      idx[k] = off;
      for (int d = r - 1; d >= 0; d--) {
        if (++pos[d] < out[d]) break;
        pos[d] = 0;
      }
    }
    return idx;
  }
}

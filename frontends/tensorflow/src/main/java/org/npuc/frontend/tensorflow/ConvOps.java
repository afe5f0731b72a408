package org.npuc.frontend.tensorflow;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.npuc.frontend.tensorflow.proto.NodeDef;
import org.npuc.ir.Attributes;
import org.npuc.ir.Operation;
import org.npuc.ir.Value;

/**
 * Convolutions and matrix products: Conv2D, DepthwiseConv2dNative, Conv2DBackpropInput, MatMul,
 * FusedBatchNorm and grappler's fused forms ({@code _FusedConv2D}, {@code
 * FusedDepthwiseConv2dNative}, {@code _FusedMatMul}). Filters are re-laid out to the IR's OIHW
 * (depthwise: [C*M, 1, kh, kw] with group = C; transposed conv: [C_in, C_out, kh, kw]).
 */
final class ConvOps {
  private ConvOps() {}

  static void register(Map<String, OpConverter> t) {
    t.put(
        "Conv2D",
        (ctx, n, a, in) -> Results.one(conv(ctx, a, in, false, List.of(), in.subList(0, 2))));
    t.put(
        "DepthwiseConv2dNative",
        (ctx, n, a, in) -> Results.one(conv(ctx, a, in, true, List.of(), in.subList(0, 2))));
    t.put(
        "_FusedConv2D",
        (ctx, n, a, in) -> Results.one(conv(ctx, a, in, false, fusedOps(ctx, a), in)));
    t.put(
        "FusedDepthwiseConv2dNative",
        (ctx, n, a, in) -> Results.one(conv(ctx, a, in, true, fusedOps(ctx, a), in)));
    t.put("Conv2DBackpropInput", ConvOps::deconv);
    t.put("MatMul", (ctx, n, a, in) -> Results.one(matmul(ctx, a, in, List.of())));
    t.put("_FusedMatMul", (ctx, n, a, in) -> Results.one(matmul(ctx, a, in, fusedOps(ctx, a))));
    t.put("FusedBatchNorm", ConvOps::batchNorm);
    t.put("FusedBatchNormV2", ConvOps::batchNorm);
    t.put("FusedBatchNormV3", ConvOps::batchNorm);
  }

  private static List<String> fusedOps(ImportContext ctx, Attrs a) {
    List<String> ops = Arrays.asList(a.strings("fused_ops"));
    if (ops.isEmpty()) throw ctx.error("fused op without 'fused_ops'");
    return ops;
  }

  private static TfValue conv(
      ImportContext ctx,
      Attrs a,
      List<TfValue> in,
      boolean depthwise,
      List<String> fused,
      List<TfValue> all) {
    String format = a.string("data_format", "NHWC");
    TfValue x = in.get(0);
    TfValue f = in.get(1);
    if (x.rank() != 4)
      throw ctx.error("expected a 4-D input, got shape " + ImportContext.describe(x.shape));
    if (f.rank() != 4 || !f.hasStaticShape())
      throw ctx.error(
          "expected a 4-D filter of known shape, got " + ImportContext.describe(f.shape));
    boolean nhwc = !format.startsWith("NC");
    Value xv = nhwc ? ctx.nchw(x) : ctx.plain(x);
    int[] xs = xv.type().shape(); // N, C, H, W
    int kh = f.shape[0], kw = f.shape[1];
    Value w;
    int group;
    int outC;
    if (depthwise) {
      int c = f.shape[2], m = f.shape[3];
      if (xs[1] >= 0 && xs[1] != c)
        throw ctx.error("input has " + xs[1] + " channels, the depthwise filter " + c);
      Value cm = ctx.permuted(f, new int[] {2, 3, 0, 1});
      w = ctx.reshape(cm, new int[] {c * m, 1, kh, kw});
      group = c;
      outC = c * m;
    } else {
      int ci = f.shape[2];
      outC = f.shape[3];
      if (xs[1] < 0) group = 1;
      else if (xs[1] % ci != 0)
        throw ctx.error("input has " + xs[1] + " channels, not a multiple of the filter's " + ci);
      else group = xs[1] / ci;
      w = ctx.permuted(f, new int[] {3, 2, 0, 1});
    }
    ConvWindow win = window(ctx, a, format, new int[] {xs[2], xs[3]}, new int[] {kh, kw});
    int[] s = win.strides();
    int[] d = win.dilations();
    int[] pads = win.pads();
    int[] out = {
      xs[0],
      outC,
      Windows.outSize(xs[2], kh, s[0], d[0], pads[0], pads[2]),
      Windows.outSize(xs[3], kw, s[1], d[1], pads[1], pads[3])
    };
    Attributes attrs = Attributes.of("strides", s, "dilations", d, "pads", pads, "group", group);
    List<Value> operands = new ArrayList<>(List.of(xv, w));
    int arg = 2;
    int k = 0;
    if (!fused.isEmpty() && fused.get(0).equals("BiasAdd")) {
      operands.add(ctx.plain(all.get(arg++)));
      k = 1;
    }
    Value y = ctx.emit("conv2d", operands, attrs, out, x.type);
    TfValue r = nhwc ? Results.nchw(ctx, y) : Results.plain(ctx, y);
    return applyFused(ctx, a, r, y.definingOp(), fused, k, all, arg, format);
  }

  /** Strides, dilations and pads (NCHW order) of a convolution node. */
  private record ConvWindow(int[] strides, int[] dilations, int[] pads) {}

  /**
   * Reads the strides, dilations, padding and explicit_paddings attributes of a convolution (for
   * Conv2DBackpropInput: of the forward convolution it transposes) whose input has spatial size
   * {@code spatialSize} and whose kernel is {@code kernel}.
   */
  private static ConvWindow window(
      ImportContext ctx, Attrs a, String format, int[] spatialSize, int[] kernel) {
    int[] s = Windows.spatial(a.ints("strides", new int[] {1, 1, 1, 1}), format, ctx, "strides");
    int[] d =
        Windows.spatial(a.ints("dilations", new int[] {1, 1, 1, 1}), format, ctx, "dilations");
    int[] pads =
        Windows.pads(
            a.string("padding", "VALID"),
            spatialSize,
            kernel,
            s,
            d,
            a.ints("explicit_paddings", null),
            format,
            ctx);
    return new ConvWindow(s, d, pads);
  }

  /** Applies the remaining fused ops (FusedBatchNorm, Add, activations) after the main op. */
  private static TfValue applyFused(
      ImportContext ctx,
      Attrs a,
      TfValue r,
      Operation main,
      List<String> fused,
      int k,
      List<TfValue> all,
      int arg,
      String format) {
    Operation actHost = main;
    for (; k < fused.size(); k++) {
      String op = fused.get(k);
      switch (op) {
        case "FusedBatchNorm" -> {
          if (arg + 4 > all.size()) throw ctx.error("FusedBatchNorm needs 4 arguments");
          r = batchNorm(ctx, r, all.subList(arg, arg + 4), a.real("epsilon", 1e-4f), format);
          arg += 4;
          actHost = null;
        }
        case "BiasAdd" -> throw ctx.error("BiasAdd is only supported as the first fused op");
        case "Add", "AddV2" -> {
          if (arg >= all.size()) throw ctx.error("fused Add needs an argument");
          r = ElementwiseOps.binary(ctx, r, all.get(arg++), "add");
          Operation def = (r.nchw != null ? r.nchw : r.plain).definingOp();
          actHost = def.is("add") ? def : null;
        }
        case "Relu", "Relu6", "Sigmoid", "Tanh", "LeakyRelu", "Elu" -> {
          String act =
              switch (op) {
                case "Relu" -> "relu";
                case "Relu6" -> "relu6";
                case "Sigmoid" -> "sigmoid";
                case "Tanh" -> "tanh";
                case "LeakyRelu" -> "leaky_relu";
                default -> "elu";
              };
          float alpha = a.real("leakyrelu_alpha", 0.2f);
          if (actHost != null && !act.equals("elu") && !actHost.attributes().has("act")) {
            actHost.attributes().set("act", act);
            if (act.equals("leaky_relu")) actHost.attributes().set("act_alpha", (double) alpha);
          } else {
            Attributes at =
                act.equals("leaky_relu")
                    ? Attributes.of("alpha", (double) alpha)
                    : new Attributes();
            r = ElementwiseOps.unary(ctx, r, act, at);
          }
          actHost = null;
        }
        default ->
            throw ctx.error(
                "fused op '"
                    + op
                    + "' is not supported (supported: BiasAdd, FusedBatchNorm, Add, Relu, Relu6,"
                    + " Elu, LeakyRelu, Sigmoid, Tanh)");
      }
    }
    return r;
  }

  private static TfValue[] deconv(ImportContext ctx, NodeDef n, Attrs a, List<TfValue> in) {
    String format = a.string("data_format", "NHWC");
    boolean nhwc = !format.startsWith("NC");
    int[] sizes = ConstFold.ints(ctx.requireConstant(in.get(0), "input_sizes"));
    TfValue f = in.get(1);
    TfValue x = in.get(2);
    if (sizes.length != 4) throw ctx.error("input_sizes must have 4 entries");
    if (f.rank() != 4 || !f.hasStaticShape())
      throw ctx.error("expected a 4-D filter of known shape");
    if (x.rank() != 4) throw ctx.error("expected a 4-D out_backprop");
    Value xv = nhwc ? ctx.nchw(x) : ctx.plain(x);
    int[] xs = xv.type().shape();
    int kh = f.shape[0], kw = f.shape[1], outC = f.shape[2], inC = f.shape[3];
    if (xs[1] >= 0 && xs[1] != inC)
      throw ctx.error("out_backprop has " + xs[1] + " channels, the filter " + inC);
    int[] outNchw = nhwc ? TfValue.permute(sizes, TfValue.TO_NCHW) : sizes.clone();
    if (outNchw[1] != outC)
      throw ctx.error("input_sizes says " + outNchw[1] + " channels, the filter " + outC);
    ConvWindow win = window(ctx, a, format, new int[] {outNchw[2], outNchw[3]}, new int[] {kh, kw});
    int[] s = win.strides();
    int[] d = win.dilations();
    int[] pads = win.pads();
    int[] opad = new int[2];
    int[] k = {kh, kw};
    for (int i = 0; i < 2; i++) {
      if (xs[2 + i] < 0) throw ctx.error("out_backprop needs a known spatial size");
      int full = s[i] * (xs[2 + i] - 1) + (k[i] - 1) * d[i] + 1 - pads[i] - pads[i + 2];
      opad[i] = outNchw[2 + i] - full;
      if (opad[i] < 0 || opad[i] >= Math.max(s[i], d[i])) {
        throw ctx.error(
            "input_sizes "
                + Arrays.toString(sizes)
                + " do not match out_backprop "
                + ImportContext.describe(x.shape)
                + " for these strides and padding");
      }
    }
    Value w = ctx.permuted(f, new int[] {3, 2, 0, 1}); // [in, out, kh, kw]
    int[] out = {xs[0], outC, outNchw[2], outNchw[3]};
    Attributes attrs =
        Attributes.of(
            "strides", s, "dilations", d, "pads", pads, "output_padding", opad, "group", 1);
    Value y = ctx.emit("deconv2d", List.of(xv, w), attrs, out, x.type);
    return Results.one(nhwc ? Results.nchw(ctx, y) : Results.plain(ctx, y));
  }

  private static TfValue matmul(ImportContext ctx, Attrs a, List<TfValue> in, List<String> fused) {
    TfValue x = in.get(0);
    TfValue b = in.get(1);
    if (x.rank() != 2 || b.rank() != 2)
      throw ctx.error(
          "MatMul needs 2-D operands, got "
              + ImportContext.describe(x.shape)
              + " and "
              + ImportContext.describe(b.shape));
    boolean ta = a.bool("transpose_a", false);
    boolean tb = a.bool("transpose_b", false);
    Value bv = tb ? ctx.plain(b) : ctx.permuted(b, new int[] {1, 0}); // canonical FC weights [N, K]
    int m = ta ? x.shape[1] : x.shape[0];
    int kx = ta ? x.shape[0] : x.shape[1];
    int nOut = tb ? b.shape[0] : b.shape[1];
    int kb = tb ? b.shape[1] : b.shape[0];
    if (kx >= 0 && kb >= 0 && kx != kb)
      throw ctx.error("inner dimensions differ: " + kx + " vs " + kb);
    List<Value> operands = new ArrayList<>(List.of(ctx.plain(x), bv));
    int k = 0;
    if (!fused.isEmpty() && fused.get(0).equals("BiasAdd")) {
      operands.add(ctx.plain(in.get(2)));
      k = 1;
    }
    Attributes attrs = Attributes.of("transpose_a", ta, "transpose_b", true);
    Value y = ctx.emit("matmul", operands, attrs, new int[] {m, nOut}, x.type);
    return applyFused(ctx, a, Results.plain(ctx, y), y.definingOp(), fused, k, in, 2 + k, "NHWC");
  }

  private static TfValue[] batchNorm(ImportContext ctx, NodeDef n, Attrs a, List<TfValue> in) {
    if (a.bool("is_training", true)) {
      throw ctx.error(
          "is_training=true: only inference batch normalization is supported; export the graph for"
              + " inference (is_training=false)");
    }
    if (in.size() < 5) throw ctx.error("expected 5 inputs (x, scale, offset, mean, variance)");
    TfValue r =
        batchNorm(
            ctx,
            in.get(0),
            in.subList(1, 5),
            a.real("epsilon", 1e-4f),
            a.string("data_format", "NHWC"));
    return new TfValue[] {r, null, null, null, null, null};
  }

  static TfValue batchNorm(
      ImportContext ctx, TfValue x, List<TfValue> params, float epsilon, String format) {
    List<Value> ops = new ArrayList<>();
    boolean nhwc = !format.startsWith("NC");
    Value xv;
    int axis;
    if (x.rank() == 4) {
      xv = nhwc ? ctx.nchw(x) : ctx.plain(x);
      axis = 1;
    } else {
      xv = ctx.plain(x);
      axis = nhwc ? x.rank() - 1 : 1;
    }
    ops.add(xv);
    for (TfValue p : params) {
      if (p.rank() != 1)
        throw ctx.error(
            "batch norm parameters must be 1-D, '"
                + p.name
                + "' has shape "
                + ImportContext.describe(p.shape));
      ops.add(ctx.plain(p));
    }
    Value y =
        ctx.emit(
            "batch_norm",
            ops,
            Attributes.of("epsilon", (double) epsilon, "axis", axis),
            xv.type().shape(),
            x.type);
    return x.rank() == 4 && nhwc ? Results.nchw(ctx, y) : Results.plain(ctx, y);
  }
}

package org.npuc.frontend.caffe;

import java.util.ArrayList;
import java.util.List;
import org.npuc.frontend.caffe.proto.CaffeProto.ConvolutionParameter;
import org.npuc.frontend.caffe.proto.CaffeProto.InnerProductParameter;
import org.npuc.frontend.caffe.proto.CaffeProto.LayerParameter;
import org.npuc.ir.Attributes;
import org.npuc.ir.Tensor;
import org.npuc.ir.Value;

/** Convolution, Deconvolution and InnerProduct: the layers with weight matrices. */
final class ConvolutionLayers {
  private ConvolutionLayers() {}

  /** Kernel, stride, pad and dilation of a 2-D (de)convolution, as Caffe reads them. */
  record Window(int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw) {}

  static Window window(ConvolutionParameter p, LayerContext ctx) {
    int[] k = pairOrHw(p.hasKernelH(), p.hasKernelW(), p.getKernelH(), p.getKernelW(), p.getKernelSizeList(), -1, "kernel_size", "kernel", ctx);
    if (!p.hasKernelH() && !p.hasKernelW() && k[0] < 0) throw ctx.error("convolution_param needs kernel_size (or kernel_h and kernel_w)");
    int kh = k[0];
    int kw = k[1];
    int[] s = pairOrHw(p.hasStrideH(), p.hasStrideW(), p.getStrideH(), p.getStrideW(), p.getStrideList(), 1, "stride", "stride", ctx);
    int sh = s[0];
    int sw = s[1];
    int[] q = pairOrHw(p.hasPadH(), p.hasPadW(), p.getPadH(), p.getPadW(), p.getPadList(), 0, "pad", "pad", ctx);
    int ph = q[0];
    int pw = q[1];
    int[] d = pair(p.getDilationList(), 1, "dilation", ctx);
    if (kh <= 0 || kw <= 0) throw ctx.error("kernel size must be positive, got " + kh + "x" + kw);
    if (sh <= 0 || sw <= 0) throw ctx.error("stride must be positive, got " + sh + "x" + sw);
    if (d[0] <= 0 || d[1] <= 0) throw ctx.error("dilation must be positive, got " + d[0] + "x" + d[1]);
    return new Window(kh, kw, sh, sw, ph, pw, d[0], d[1]);
  }

  /**
   * A window field given either as the repeated {@code field} or as the {@code prefix_h} and
   * {@code prefix_w} pair (never both, and the pair only together).
   */
  private static int[] pairOrHw(boolean hasH, boolean hasW, int h, int w, List<Integer> v, int dflt, String field, String prefix, LayerContext ctx) {
    if (!hasH && !hasW) return pair(v, dflt, field, ctx);
    if (!v.isEmpty()) throw ctx.error("give either " + field + " or " + prefix + "_h/" + prefix + "_w, not both");
    if (!hasH || !hasW) throw ctx.error(prefix + "_h and " + prefix + "_w must be given together");
    return new int[] {h, w};
  }

  /** A repeated field given 0 times (default), once (both dims) or twice (h, w). */
  private static int[] pair(List<Integer> v, int dflt, String field, LayerContext ctx) {
    return switch (v.size()) {
      case 0 -> new int[] {dflt, dflt};
      case 1 -> new int[] {v.get(0), v.get(0)};
      case 2 -> new int[] {v.get(0), v.get(1)};
      default -> throw ctx.error(field + " is given " + v.size() + " times; npuc imports 2-D convolutions (1 or 2 values)");
    };
  }

  private static int[] checkInput(Value x, ConvolutionParameter p, LayerContext ctx) {
    int[] s = LayerContext.shape(x);
    if (s.length != 4) throw ctx.error("expected a 4-D N,C,H,W input, got shape " + java.util.Arrays.toString(s) + " (only 2-D convolution is supported)");
    if (ctx.axis(p.getAxis(), 4, "axis") != 1) throw ctx.error("axis " + p.getAxis() + " is not supported; only the channel axis 1");
    if (p.getNumOutput() <= 0) throw ctx.error("num_output must be given and positive");
    int g = p.getGroup();
    if (g <= 0 || s[1] % g != 0 || p.getNumOutput() % g != 0) {
      throw ctx.error("group " + g + " must divide the input channels (" + s[1] + ") and num_output (" + p.getNumOutput() + ")");
    }
    return s;
  }

  static List<Value> convolution(LayerParameter layer, List<Value> bottoms, LayerContext ctx) {
    ConvolutionParameter p = layer.getConvolutionParam();
    Window w = window(p, ctx);
    List<Value> out = new ArrayList<>();
    for (Value x : bottoms) {
      int[] s = checkInput(x, p, ctx);
      int o = p.getNumOutput();
      int g = p.getGroup();
      int oh = (s[2] + 2 * w.ph - (w.dh * (w.kh - 1) + 1)) / w.sh + 1;
      int ow = (s[3] + 2 * w.pw - (w.dw * (w.kw - 1) + 1)) / w.sw + 1;
      if (s[2] + 2 * w.ph < w.dh * (w.kh - 1) + 1 || s[3] + 2 * w.pw < w.dw * (w.kw - 1) + 1) {
        throw ctx.error("the " + w.kh + "x" + w.kw + " kernel (dilation " + w.dh + "x" + w.dw + ") does not fit the padded " + s[2] + "x" + s[3] + " input");
      }
      List<Value> operands = new ArrayList<>(List.of(x));
      Tensor[] blobs = weightsFor(p, ctx, new int[] {o, s[1] / g, w.kh, w.kw}, o);
      // Several bottoms share one set of weights, as in Caffe.
      for (Tensor t : blobs) operands.add(ctx.constant(t));
      out.add(ctx.op("conv2d", operands, attrs(w, g), new int[] {s[0], o, oh, ow}));
    }
    return out;
  }

  static List<Value> deconvolution(LayerParameter layer, List<Value> bottoms, LayerContext ctx) {
    ConvolutionParameter p = layer.getConvolutionParam();
    Window w = window(p, ctx);
    List<Value> out = new ArrayList<>();
    for (Value x : bottoms) {
      int[] s = checkInput(x, p, ctx);
      int o = p.getNumOutput();
      int g = p.getGroup();
      int oh = w.sh * (s[2] - 1) + (w.dh * (w.kh - 1) + 1) - 2 * w.ph;
      int ow = w.sw * (s[3] - 1) + (w.dw * (w.kw - 1) + 1) - 2 * w.pw;
      if (oh <= 0 || ow <= 0) throw ctx.error("the padding " + w.ph + "x" + w.pw + " crops the whole output");
      List<Value> operands = new ArrayList<>(List.of(x));
      for (Tensor t : weightsFor(p, ctx, new int[] {s[1], o / g, w.kh, w.kw}, o)) operands.add(ctx.constant(t));
      Attributes a = attrs(w, g).set("output_padding", new int[] {0, 0});
      out.add(ctx.op("deconv2d", operands, a, new int[] {s[0], o, oh, ow}));
    }
    return out;
  }

  private static Tensor[] weightsFor(ConvolutionParameter p, LayerContext ctx, int[] wShape, int o) {
    return p.getBiasTerm()
        ? ctx.blobs(Weights.Kind.CONV, wShape, new int[] {o})
        : ctx.blobs(Weights.Kind.CONV, wShape);
  }

  private static Attributes attrs(Window w, int group) {
    return Attributes.of(
        "strides", new int[] {w.sh, w.sw},
        "dilations", new int[] {w.dh, w.dw},
        "pads", new int[] {w.ph, w.pw, w.ph, w.pw},
        "group", group);
  }

  static List<Value> innerProduct(LayerParameter layer, List<Value> bottoms, LayerContext ctx) {
    InnerProductParameter p = layer.getInnerProductParam();
    if (p.getNumOutput() <= 0) throw ctx.error("num_output must be given and positive");
    List<Value> out = new ArrayList<>();
    for (Value x : bottoms) {
      int[] s = LayerContext.shape(x);
      int axis = ctx.axis(p.getAxis(), s.length, "axis");
      int m = ctx.toInt(LayerContext.count(s, 0, axis), "batch size");
      int k = ctx.toInt(LayerContext.count(s, axis, s.length), "input size");
      int n = p.getNumOutput();
      int[] wShape = p.getTranspose() ? new int[] {k, n} : new int[] {n, k};
      Tensor[] blobs = p.getBiasTerm()
          ? ctx.blobs(Weights.Kind.INNER_PRODUCT, wShape, new int[] {n})
          : ctx.blobs(Weights.Kind.INNER_PRODUCT, wShape);
      // Caffe flattens everything from `axis` into one row per leading index.
      Value rows = x;
      if (s.length != 2 || axis != 1) rows = ctx.op("reshape", List.of(x), Attributes.of("shape", new int[] {m, k}), new int[] {m, k});
      List<Value> operands = new ArrayList<>(List.of(rows));
      for (Tensor t : blobs) operands.add(ctx.constant(t));
      // Caffe's weight is [N, K] (so y = x·Wᵀ) unless `transpose` stores it as [K, N].
      Value y = ctx.op("matmul", operands, Attributes.of("transpose_b", !p.getTranspose()), new int[] {m, n});
      int[] caffeShape = new int[axis + 1];
      System.arraycopy(s, 0, caffeShape, 0, axis);
      caffeShape[axis] = n;
      if (axis != 1) y = ctx.op("reshape", List.of(y), Attributes.of("shape", caffeShape), caffeShape);
      out.add(y);
    }
    return out;
  }
}

package org.npuc.frontend.caffe;

import java.util.Arrays;
import java.util.List;
import org.npuc.frontend.caffe.proto.CaffeProto.LRNParameter;
import org.npuc.frontend.caffe.proto.CaffeProto.LayerParameter;
import org.npuc.frontend.caffe.proto.CaffeProto.PoolingParameter;
import org.npuc.ir.Attributes;
import org.npuc.ir.Value;

/** Pooling and LRN, with Caffe's output-size rounding and window clipping. */
final class PoolingLayers {
  private PoolingLayers() {}

  static List<Value> pooling(LayerParameter layer, List<Value> bottoms, LayerContext ctx) {
    PoolingParameter p = layer.getPoolingParam();
    Value x = single(bottoms, ctx);
    int[] s = LayerContext.shape(x);
    if (s.length != 4) throw ctx.error("expected a 4-D N,C,H,W input, got shape " + Arrays.toString(s));
    String opName = switch (p.getPool()) {
      case MAX -> "max_pool";
      case AVE -> "avg_pool";
      case STOCHASTIC -> throw ctx.error("STOCHASTIC pooling has no deterministic inference form (Caffe runs it on GPU only); use MAX or AVE");
    };
    if (p.getGlobalPooling()) {
      if (p.hasKernelSize() || p.hasKernelH() || p.hasKernelW()) throw ctx.error("with global_pooling the kernel size cannot be given");
      int ph = p.hasPadH() ? p.getPadH() : p.getPad();
      int pw = p.hasPadW() ? p.getPadW() : p.getPad();
      int sh = p.hasStrideH() ? p.getStrideH() : p.getStride();
      int sw = p.hasStrideW() ? p.getStrideW() : p.getStride();
      if (ph != 0 || pw != 0 || sh != 1 || sw != 1) throw ctx.error("with global_pooling, pad must be 0 and stride 1 (Caffe's rule)");
      Attributes a = Attributes.of("global", true);
      if (opName.equals("avg_pool")) a.set("count_include_pad", true);
      return List.of(ctx.op(opName, List.of(x), a, new int[] {s[0], s[1], 1, 1}));
    }
    int kh;
    int kw;
    if (p.hasKernelSize()) {
      if (p.hasKernelH() || p.hasKernelW()) throw ctx.error("give either kernel_size or kernel_h/kernel_w, not both");
      kh = kw = p.getKernelSize();
    } else if (p.hasKernelH() && p.hasKernelW()) {
      kh = p.getKernelH();
      kw = p.getKernelW();
    } else {
      throw ctx.error("pooling_param needs kernel_size (or kernel_h and kernel_w) unless global_pooling is set");
    }
    if (p.hasPad() && (p.hasPadH() || p.hasPadW())) throw ctx.error("give either pad or pad_h/pad_w, not both");
    int ph = p.hasPadH() || p.hasPadW() ? p.getPadH() : p.getPad();
    int pw = p.hasPadH() || p.hasPadW() ? p.getPadW() : p.getPad();
    if (p.hasStride() && (p.hasStrideH() || p.hasStrideW())) throw ctx.error("give either stride or stride_h/stride_w, not both");
    int sh = p.hasStrideH() || p.hasStrideW() ? (p.hasStrideH() ? p.getStrideH() : 1) : p.getStride();
    int sw = p.hasStrideH() || p.hasStrideW() ? (p.hasStrideW() ? p.getStrideW() : 1) : p.getStride();
    if (kh <= 0 || kw <= 0 || sh <= 0 || sw <= 0) throw ctx.error("kernel and stride must be positive");
    if (ph >= kh || pw >= kw) throw ctx.error("pad (" + ph + "x" + pw + ") must be smaller than the kernel (" + kh + "x" + kw + ")");
    int oh = caffeExtent(s[2], kh, sh, ph, "height", ctx);
    int ow = caffeExtent(s[3], kw, sw, pw, "width", ctx);
    Attributes a = Attributes.of(
        "kernel", new int[] {kh, kw},
        "strides", new int[] {sh, sw},
        "pads", new int[] {ph, pw, ph, pw},
        "ceil_mode", true);
    // Caffe's AVE divides by the window clipped to the padded extent, i.e. padding counts.
    if (opName.equals("avg_pool")) a.set("count_include_pad", true);
    return List.of(ctx.op(opName, List.of(x), a, new int[] {s[0], s[1], oh, ow}));
  }

  /**
   * Caffe's pooled size: ceil((H + 2p - k) / s) + 1, minus one when padding makes the last window
   * start inside the bottom padding. Without padding Caffe keeps a window that starts past the
   * input (possible only when kernel < stride); it is empty, and npuc refuses to import it rather
   * than compute something else.
   */
  private static int caffeExtent(int in, int k, int stride, int pad, String dim, LayerContext ctx) {
    if (in + 2 * pad < k) throw ctx.error("the kernel (" + k + ") is larger than the padded input " + dim + " (" + (in + 2 * pad) + ")");
    int out = (int) Math.ceil((double) (in + 2 * pad - k) / stride) + 1;
    if (pad > 0 && (out - 1) * stride >= in + pad) out--;
    if ((out - 1) * stride >= in + pad) {
      throw ctx.error("Caffe would produce an empty last pooling window along the " + dim + " (kernel " + k + " < stride " + stride
          + " without padding); npuc does not reproduce that window");
    }
    return out;
  }

  static List<Value> lrn(LayerParameter layer, List<Value> bottoms, LayerContext ctx) {
    LRNParameter p = layer.getLrnParam();
    Value x = single(bottoms, ctx);
    int[] s = LayerContext.shape(x);
    if (s.length != 4) throw ctx.error("expected a 4-D N,C,H,W input, got shape " + Arrays.toString(s));
    if (p.getLocalSize() % 2 == 0 || p.getLocalSize() <= 0) throw ctx.error("local_size must be odd and positive, got " + p.getLocalSize());
    boolean within = p.getNormRegion() == LRNParameter.NormRegion.WITHIN_CHANNEL;
    Attributes a = Attributes.of(
        "size", p.getLocalSize(),
        "alpha", (double) p.getAlpha(),
        "beta", (double) p.getBeta(),
        // Caffe's WITHIN_CHANNEL is built as 1 + alpha·mean(x²): it ignores k.
        "bias", within ? 1.0 : (double) p.getK(),
        "region", within ? "within" : "across");
    return List.of(ctx.op("lrn", List.of(x), a, s));
  }

  static Value single(List<Value> bottoms, LayerContext ctx) {
    if (bottoms.size() != 1) throw ctx.error("expected 1 bottom, got " + bottoms.size());
    return bottoms.get(0);
  }
}

package org.npuc.ops;

import java.util.List;
import org.npuc.interp.ArrayPool;
import org.npuc.interp.ConvKernels;
import org.npuc.interp.PoolKernels;
import org.npuc.ir.Attributes;
import org.npuc.ir.OpDefinition;
import org.npuc.ir.Tensor;
import org.npuc.ir.type.TensorType;

/**
 * {@code max_pool} and {@code avg_pool} on NCHW: kernel, strides, asymmetric pads, ceil mode with
 * the dropped-last-window rule, count-include-pad (avg) and global pooling.
 */
final class PoolOps extends BaseOp {
  private final boolean max;

  private PoolOps(boolean max) {
    super(max ? "max_pool" : "avg_pool", max ? "2-D max pooling (NCHW)" : "2-D average pooling (NCHW)");
    this.max = max;
  }

  static List<OpDefinition> all() {
    return List.of(new PoolOps(true), new PoolOps(false));
  }

  @Override
  protected void checkAttributes(Attributes a) {
    boolean global = a.getBool("global", false);
    a.getBool("ceil_mode", false);
    if (!max) a.getBool("count_include_pad", false);
    else if (a.has("count_include_pad")) throw error("attribute 'count_include_pad': only avg_pool takes it");
    if (global) {
      int[] pads = a.getInts("pads", new int[] {0, 0, 0, 0});
      for (int p : pads) if (p != 0) throw error("attribute 'pads': expected none with global=true, got " + java.util.Arrays.toString(pads));
      return;
    }
    int[] k = intsAttr(a, "kernel", null, 2);
    checkPositive("kernel", k);
    checkPositive("strides", intsAttr(a, "strides", new int[] {1, 1}, 2));
    int[] p = intsAttr(a, "pads", new int[] {0, 0, 0, 0}, 4);
    checkNonNegative("pads", p);
    if (p[0] >= k[0] || p[2] >= k[0] || p[1] >= k[1] || p[3] >= k[1]) {
      throw error("attribute 'pads': expected each pad smaller than the kernel " + java.util.Arrays.toString(k) + ", got " + java.util.Arrays.toString(p));
    }
  }

  /** Output size along one axis, with Caffe's/PyTorch's ceil-mode rule; -1 stays -1. */
  static int outSize(int in, int k, int s, int pb, int pe, boolean ceil) {
    if (in == Shapes.UNKNOWN) return Shapes.UNKNOWN;
    int span = in + pb + pe - k;
    if (span < 0) return 0;
    int out = (ceil ? (span + s - 1) / s : span / s) + 1;
    if (ceil && (out - 1) * s >= in + pb) out--; // the last window would start inside the end padding
    return out;
  }

  @Override
  protected List<TensorType> infer(List<TensorType> operands, Attributes a) {
    checkCount(operands, 1, 1);
    TensorType x = operands.get(0);
    checkRank("x", x, 4);
    int[] s = x.shape();
    var e = max ? sameFloatElement("x", x) : floatElement("x", x);
    if (a.getBool("global", false)) return List.of(new TensorType(new int[] {s[0], s[1], 1, 1}, e));
    int[] k = a.getInts("kernel");
    int[] st = a.getInts("strides", new int[] {1, 1});
    int[] p = a.getInts("pads", new int[] {0, 0, 0, 0});
    boolean ceil = a.getBool("ceil_mode", false);
    int oh = outSize(s[2], k[0], st[0], p[0], p[2], ceil);
    int ow = outSize(s[3], k[1], st[1], p[1], p[3], ceil);
    if (oh == 0 || ow == 0) {
      throw error("expected the padded input " + s[2] + "x" + s[3] + " to hold at least one kernel window " + k[0] + "x" + k[1] + ", got an empty output");
    }
    return List.of(new TensorType(new int[] {s[0], s[1], oh, ow}, e));
  }

  @Override
  protected Tensor[] compute(Attributes a, Tensor[] in, List<TensorType> results) {
    TensorType rt = results.get(0);
    int[] s = in[0].shape();
    ConvKernels.Geometry g;
    if (a.getBool("global", false)) {
      g = new ConvKernels.Geometry(s[2], s[3], 1, 1, 1, 1, 0, 0, 0, 0);
    } else {
      int[] k = a.getInts("kernel");
      int[] st = a.getInts("strides", new int[] {1, 1});
      int[] p = a.getInts("pads", new int[] {0, 0, 0, 0});
      g = new ConvKernels.Geometry(k[0], k[1], st[0], st[1], 1, 1, p[0], p[1], p[2], p[3]);
    }
    float[] out = ArrayPool.floats(Math.toIntExact(rt.numElements()));
    PoolKernels.pool(max, a.getBool("count_include_pad", false), in[0].floats(), s[0] * s[1], s[2], s[3], g, out, rt.dim(2), rt.dim(3));
    return new Tensor[] {floatTensor(rt, out)};
  }
}

package org.npuc.ops;

import java.util.List;
import org.npuc.ir.Attributes;
import org.npuc.ir.Tensor;
import org.npuc.ir.type.TensorType;

/**
 * {@code resize} of the H and W dims of NCHW to {@code sizes}, with ONNX Resize semantics for
 * nearest and bilinear interpolation and the coordinate transforms TF, Caffe and ONNX use.
 */
final class ResizeOp extends BaseOp {
  static final String[] MODES = {"nearest", "bilinear"};
  static final String[] COORDS = {"asymmetric", "align_corners", "half_pixel", "pytorch_half_pixel", "tf_half_pixel_for_nn"};
  static final String[] NEAREST = {"floor", "round_prefer_floor", "round_prefer_ceil", "ceil"};

  ResizeOp() {
    super("resize", "nearest or bilinear resize of H and W");
  }

  @Override
  protected void checkAttributes(Attributes a) {
    checkPositive("sizes", intsAttr(a, "sizes", null, 2));
    oneOf(a, "mode", "nearest", MODES);
    oneOf(a, "coordinate", "asymmetric", COORDS);
    oneOf(a, "nearest_mode", "floor", NEAREST);
  }

  @Override
  protected List<TensorType> infer(List<TensorType> operands, Attributes a) {
    checkCount(operands, 1, 1);
    TensorType x = operands.get(0);
    checkRank("x", x, 4);
    int[] sizes = a.getInts("sizes");
    var e = a.getString("mode", "nearest").equals("nearest") ? sameFloatElement("x", x) : floatElement("x", x);
    return List.of(new TensorType(new int[] {x.dim(0), x.dim(1), sizes[0], sizes[1]}, e));
  }

  /** The source coordinate of output coordinate {@code o} (ONNX coordinate_transformation_mode). */
  static float sourceCoordinate(String coord, int o, int in, int out) {
    float scale = (float) in / out;
    switch (coord) {
      case "align_corners":
        return out == 1 ? 0f : o * ((float) (in - 1) / (out - 1));
      case "half_pixel":
        return (o + 0.5f) * scale - 0.5f;
      case "pytorch_half_pixel":
        return out > 1 ? (o + 0.5f) * scale - 0.5f : 0f;
      case "tf_half_pixel_for_nn":
        return (o + 0.5f) * scale;
      default:
        return o * scale;
    }
  }

  static int nearestIndex(String nearestMode, float c, int in) {
    int i;
    switch (nearestMode) {
      case "ceil" -> i = (int) Math.ceil(c);
      case "round_prefer_floor" -> i = c - Math.floor(c) == 0.5f ? (int) Math.floor(c) : Math.round(c);
      case "round_prefer_ceil" -> i = (int) Math.floor(c + 0.5f);
      default -> i = (int) Math.floor(c);
    }
    return Math.max(0, Math.min(in - 1, i));
  }

  @Override
  protected Tensor[] compute(Attributes a, Tensor[] in, List<TensorType> results) {
    float[] x = in[0].floats();
    int[] s = in[0].shape();
    int h = s[2];
    int w = s[3];
    TensorType rt = results.get(0);
    int oh = rt.dim(2);
    int ow = rt.dim(3);
    String coord = a.getString("coordinate", "asymmetric");
    boolean nearest = a.getString("mode", "nearest").equals("nearest");
    String nm = a.getString("nearest_mode", "floor");
    int planes = s[0] * s[1];
    float[] out = new float[planes * oh * ow];
    // Per output row/column: two source indices and the weight of the second.
    int[] y0 = new int[oh];
    int[] y1 = new int[oh];
    float[] fy = new float[oh];
    int[] x0 = new int[ow];
    int[] x1 = new int[ow];
    float[] fx = new float[ow];
    taps(coord, nearest, nm, h, oh, y0, y1, fy);
    taps(coord, nearest, nm, w, ow, x0, x1, fx);
    for (int p = 0; p < planes; p++) {
      int src = p * h * w;
      int dst = p * oh * ow;
      for (int oy = 0; oy < oh; oy++) {
        int r0 = src + y0[oy] * w;
        int r1 = src + y1[oy] * w;
        float wy = fy[oy];
        for (int ox = 0; ox < ow; ox++) {
          float wx = fx[ox];
          float top = x[r0 + x0[ox]] + wx * (x[r0 + x1[ox]] - x[r0 + x0[ox]]);
          float bot = x[r1 + x0[ox]] + wx * (x[r1 + x1[ox]] - x[r1 + x0[ox]]);
          out[dst + oy * ow + ox] = nearest ? x[r0 + x0[ox]] : top + wy * (bot - top);
        }
      }
    }
    return new Tensor[] {floatTensor(rt, out)};
  }

  private static void taps(String coord, boolean nearest, String nm, int in, int out, int[] i0, int[] i1, float[] f) {
    for (int o = 0; o < out; o++) {
      float c = sourceCoordinate(coord, o, in, out);
      if (nearest) {
        i0[o] = i1[o] = nearestIndex(nm, c, in);
        continue;
      }
      // Outside [0, in-1] the edge value is used (ONNX and TF agree on this).
      float cl = Math.max(0f, Math.min(c, in - 1));
      int lo = (int) Math.floor(cl);
      i0[o] = lo;
      i1[o] = Math.min(lo + 1, in - 1);
      f[o] = cl - lo;
    }
  }
}

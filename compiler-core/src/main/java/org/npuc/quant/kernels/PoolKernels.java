package org.npuc.quant.kernels;

import org.npuc.ir.Attributes;
import org.npuc.ir.IrException;
import org.npuc.ir.Operation;
import org.npuc.ir.Tensor;
import org.npuc.ir.type.UniformQuantType;
import org.npuc.quant.FixedPoint;

/**
 * Integer {@code avg_pool}, {@code max_pool} and {@code reduce_mean} as TFLite's reference kernels:
 * pooling keeps the input's parameters (TFLite requires equal input/output parameters) and
 * rounds the average half away from zero; MEAN follows TFLite's three paths (spatial mean with
 * keepdims, equal parameters, general float rescale), chosen as TFLite chooses them.
 */
public final class PoolKernels {
  private PoolKernels() {}

  private record Window(int kh, int kw, int sh, int sw, int pt, int pl, int pb, int pr, int oh, int ow) {}

  private static Window window(Operation op, int h, int w) {
    Attributes a = op.attributes();
    boolean global = a.getBool("global", false);
    int[] k = global ? new int[] {h, w} : a.getInts("kernel");
    int[] s = global ? new int[] {1, 1} : a.getInts("strides", new int[] {1, 1});
    int[] p = global ? new int[4] : a.getInts("pads", new int[4]);
    boolean ceil = a.getBool("ceil_mode", false);
    int oh = outSize(h, p[0], p[2], k[0], s[0], ceil);
    int ow = outSize(w, p[1], p[3], k[1], s[1], ceil);
    return new Window(k[0], k[1], s[0], s[1], p[0], p[1], p[2], p[3], oh, ow);
  }

  private static int outSize(int in, int pb, int pe, int k, int s, boolean ceil) {
    int span = in + pb + pe - k;
    int o = (ceil ? (span + s - 1) / s : span / s) + 1;
    if (ceil && (o - 1) * s >= in + pb) o--; // a last window starting in the end padding is dropped
    return o;
  }

  private static void requireSameParams(Operation op, UniformQuantType ti, UniformQuantType to) {
    if (ti.scale() != to.scale() || ti.zeroPoint() != to.zeroPoint()) {
      throw new IrException(op, op.name() + ": the integer kernel needs equal input and output quantization (TFLite's rule), got " + ti.toText() + " and " + to.toText());
    }
  }

  public static Tensor[] avgPool(Operation op, Tensor[] in) {
    return pool(op, in[0], true);
  }

  public static Tensor[] maxPool(Operation op, Tensor[] in) {
    return pool(op, in[0], false);
  }

  private static Tensor[] pool(Operation op, Tensor x, boolean average) {
    UniformQuantType ti = QuantSupport.uniform(op, x, "the input");
    UniformQuantType to = QuantSupport.resultUniform(op, 0);
    requireSameParams(op, ti, to);
    boolean includePad = op.attributes().getBool("count_include_pad", false);
    int n = x.dim(0), c = x.dim(1), h = x.dim(2), w = x.dim(3);
    Window win = window(op, h, w);
    int[] xs = x.ints();
    int[] out = new int[n * c * win.oh * win.ow];
    int qmin = (int) to.storageMin();
    int qmax = (int) to.storageMax();
    int o = 0;
    for (int plane = 0; plane < n * c; plane++) {
      int base = plane * h * w;
      for (int oy = 0; oy < win.oh; oy++) {
        int y0 = oy * win.sh - win.pt;
        int ys = Math.max(0, y0), ye = Math.min(h, y0 + win.kh);
        for (int ox = 0; ox < win.ow; ox++) {
          int x0 = ox * win.sw - win.pl;
          int xs0 = Math.max(0, x0), xe = Math.min(w, x0 + win.kw);
          int acc = average ? 0 : Integer.MIN_VALUE;
          int count = 0;
          for (int y = ys; y < ye; y++) {
            for (int xx = xs0; xx < xe; xx++) {
              int v = xs[base + y * w + xx];
              if (average) acc += v; else acc = Math.max(acc, v);
              count++;
            }
          }
          if (count == 0) throw new IrException(op, op.name() + ": a pooling window covers no input element");
          int r;
          if (average) {
            if (includePad) {
              int cy = Math.min(y0 + win.kh, h + win.pb) - Math.max(y0, -win.pt);
              int cx = Math.min(x0 + win.kw, w + win.pr) - Math.max(x0, -win.pl);
              count = cy * cx;
            }
            r = acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
          } else {
            r = acc;
          }
          out[o++] = FixedPoint.clamp(r, qmin, qmax);
        }
      }
    }
    return new Tensor[] {QuantSupport.result(op, 0, new int[] {n, c, win.oh, win.ow}, out)};
  }

  /**
   * MEAN, on TFLite's three paths. With keepdims over the two spatial axes of a 4-D tensor (here
   * the NCHW axes 2 and 3): uint8 folds {@code s_in/(count·s_out)} into one multiplier and the zero
   * points into a float-rounded bias (TFLite's uint8 reference, double rounding); int8 requantizes the
   * zero-point-free sum by {@code s_in/s_out} with the double-rounding multiply and divides by the
   * count rounding half away (TFLite's {@code reference_integer_ops::Mean}; on tf2_mobilenet_v2 this
   * matches the TFLite interpreter's output on 9998 of 10010 elements, the folded single-rounding
   * form of TFLite's optimized kernel on 9992). Otherwise equal parameters give the truncating
   * integer mean, and different ones TFLite's float rescale of the mean.
   */
  public static Tensor[] reduceMean(Operation op, Tensor[] in) {
    Tensor x = in[0];
    UniformQuantType ti = QuantSupport.uniform(op, x, "the input");
    UniformQuantType to = QuantSupport.resultUniform(op, 0);
    int rank = x.rank();
    int[] axesAttr = op.attributes().getInts("axes", null);
    boolean[] reduce = new boolean[rank];
    if (axesAttr == null) {
      java.util.Arrays.fill(reduce, true);
    } else {
      for (int a : axesAttr) reduce[a < 0 ? a + rank : a] = true;
    }
    boolean keep = op.attributes().getBool("keepdims", true);
    int[] shape = x.shape();
    int[] outShapeKeep = shape.clone();
    int count = 1;
    for (int d = 0; d < rank; d++) {
      if (reduce[d]) {
        outShapeKeep[d] = 1;
        count *= shape[d];
      }
    }
    int outSize = (int) Tensor.count(outShapeKeep);
    long[] sums = new long[outSize];
    int[] xs = x.ints();
    int[] inStrides = Tensor.strides(shape);
    int[] outStrides = Tensor.strides(outShapeKeep);
    for (int i = 0; i < xs.length; i++) {
      int rem = i;
      int oi = 0;
      for (int d = 0; d < rank; d++) {
        int cd = rem / inStrides[d];
        rem -= cd * inStrides[d];
        if (!reduce[d]) oi += cd * outStrides[d];
      }
      sums[oi] += xs[i];
    }
    int qmin = (int) to.storageMin();
    int qmax = (int) to.storageMax();
    int zi = (int) ti.zeroPoint();
    int zo = (int) to.zeroPoint();
    int[] out = new int[outSize];
    boolean spatial = keep && rank == 4 && !reduce[0] && !reduce[1] && reduce[2] && reduce[3];
    if (spatial && ti.storageType() != org.npuc.ir.type.ScalarType.U8) {
      // reference_integer_ops::Mean: requantize the zero-point-free sum by s_in/s_out (double
      // rounding, as the default build), then divide by the count rounding half away from zero.
      FixedPoint.Multiplier m = FixedPoint.quantizeMultiplier(ti.scale() / to.scale());
      for (int i = 0; i < outSize; i++) {
        int acc = (int) (sums[i] - (long) zi * count);
        acc = FixedPoint.multiplyByQuantizedMultiplier(acc, m);
        acc = acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
        out[i] = FixedPoint.clamp(acc + zo, qmin, qmax);
      }
    } else if (spatial) {
      float si = (float) ti.scale();
      float so = (float) to.scale();
      float temp = zi * si / so;
      temp = temp > 0 ? temp + 0.5f : temp - 0.5f;
      int bias = zo - (int) temp;
      FixedPoint.Multiplier m = FixedPoint.quantizeMultiplier((double) (si / ((float) count * so)));
      for (int i = 0; i < outSize; i++) {
        int acc = FixedPoint.multiplyByQuantizedMultiplier((int) sums[i], m) + bias;
        out[i] = FixedPoint.clamp(acc, qmin, qmax);
      }
    } else if (ti.scale() == to.scale() && zi == zo) {
      for (int i = 0; i < outSize; i++) out[i] = (int) ((int) sums[i] / count);
    } else {
      float scale = (float) ti.scale() / (float) to.scale();
      float bias = -zi * scale;
      for (int i = 0; i < outSize; i++) {
        float mean = (float) (int) sums[i] / (float) count;
        float r = FixedPoint.roundHalfAway(mean * scale + bias) + zo;
        r = Math.max(Math.min(r, (float) qmax), (float) qmin);
        out[i] = (int) r;
      }
    }
    int[] outShape;
    if (keep) {
      outShape = outShapeKeep;
    } else {
      int k = 0;
      for (boolean r : reduce) if (!r) k++;
      outShape = new int[k];
      k = 0;
      for (int d = 0; d < rank; d++) if (!reduce[d]) outShape[k++] = shape[d];
    }
    return new Tensor[] {QuantSupport.result(op, 0, outShape, out)};
  }
}

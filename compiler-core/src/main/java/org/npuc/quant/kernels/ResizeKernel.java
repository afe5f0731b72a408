package org.npuc.quant.kernels;

import org.npuc.ir.Attributes;
import org.npuc.ir.IrException;
import org.npuc.ir.Operation;
import org.npuc.ir.Tensor;
import org.npuc.ir.type.UniformQuantType;

/**
 * Integer bilinear {@code resize} as TFLite's reference {@code ResizeBilinear} on 8-bit data:
 * source coordinates and weights in float, the four stored neighbours blended in float, plus 0.5,
 * truncated. Input and output share their quantization (TFLite's rule). Nearest mode copies.
 */
public final class ResizeKernel {
  private ResizeKernel() {}

  public static Tensor[] resize(Operation op, Tensor[] in) {
    Tensor x = in[0];
    UniformQuantType ti = QuantSupport.uniform(op, x, "the input");
    UniformQuantType to = QuantSupport.resultUniform(op, 0);
    if (!ti.equals(to)) throw new IrException(op, "resize: the integer kernel needs equal input and output quantization, got " + ti.toText() + " and " + to.toText());
    Attributes a = op.attributes();
    int[] sizes = a.getInts("sizes");
    String mode = a.getString("mode", "nearest");
    String coord = a.getString("coordinate", "asymmetric");
    int n = x.dim(0), c = x.dim(1), h = x.dim(2), w = x.dim(3);
    int oh = sizes[0], ow = sizes[1];
    boolean align = coord.equals("align_corners");
    boolean half = coord.equals("half_pixel");
    if (!align && !half && !coord.equals("asymmetric")) throw new IrException(op, "resize: the integer kernel supports asymmetric, align_corners and half_pixel coordinates, got " + coord);
    float hs = align && oh > 1 ? (float) (h - 1) / (oh - 1) : (float) h / oh;
    float ws = align && ow > 1 ? (float) (w - 1) / (ow - 1) : (float) w / ow;
    int[] xs = x.ints();
    int[] out = new int[n * c * oh * ow];
    int lo = (int) to.storageMin();
    int hi = (int) to.storageMax();
    boolean bilinear = mode.equals("bilinear");
    if (!bilinear && !mode.equals("nearest")) throw new IrException(op, "resize: unknown mode " + mode);
    if (!bilinear && !a.getString("nearest_mode", "floor").equals("floor")) throw new IrException(op, "resize: the integer nearest kernel supports nearest_mode floor only");
    int o = 0;
    for (int plane = 0; plane < n * c; plane++) {
      int base = plane * h * w;
      for (int y = 0; y < oh; y++) {
        float iy = half ? (y + 0.5f) * hs - 0.5f : y * hs;
        int y0 = Math.max((int) Math.floor(iy), 0);
        int y1 = Math.min((int) Math.ceil(iy), h - 1);
        for (int xx = 0; xx < ow; xx++) {
          float ix = half ? (xx + 0.5f) * ws - 0.5f : xx * ws;
          int x0 = Math.max((int) Math.floor(ix), 0);
          int x1 = Math.min((int) Math.ceil(ix), w - 1);
          if (!bilinear) {
            out[o++] = xs[base + Math.min(y0, h - 1) * w + Math.min(x0, w - 1)];
            continue;
          }
          float dy = iy - y0;
          float dx = ix - x0;
          float v = xs[base + y0 * w + x0] * (1 - dy) * (1 - dx)
              + xs[base + y1 * w + x0] * dy * (1 - dx)
              + xs[base + y0 * w + x1] * (1 - dy) * dx
              + xs[base + y1 * w + x1] * dy * dx
              + 0.5f;
          out[o++] = Math.max(lo, Math.min(hi, (int) v));
        }
      }
    }
    return new Tensor[] {QuantSupport.result(op, 0, new int[] {n, c, oh, ow}, out)};
  }
}

package org.npuc.backend.bm1684;

import java.util.Map;
import org.npuc.ir.Attributes;
import org.npuc.ir.Operation;
import org.npuc.ir.Tensor;
import org.npuc.quant.ConvRequant;
import org.npuc.ir.type.TensorType;
import org.npuc.spi.Command;
import org.npuc.target.lower.CommandKernel;

/**
 * The simulator's kernels for the BM1684 opcodes: {@code conv2d.tiled} and {@code
 * conv2d.winograd} run tile by tile as the command's {@code tiles} say (each tile reads only its
 * input slice), accumulate in integers (direct or F(2x2,3x3) on the transformed weights), then
 * apply the command's requantization; float convolutions run tile by tile too. Every other opcode
 * runs the reference kernels.
 */
final class Bm1684Kernels {
  private Bm1684Kernels() {}

  static Map<String, CommandKernel> all() {
    return Map.of(
        Bm1684Lowering.TILED, (c, op, in) -> conv(c, op, in, false),
        Bm1684Lowering.WINOGRAD, (c, op, in) -> conv(c, op, in, true),
        "conv2d", Bm1684Kernels::floatConv);
  }

  /**
   * A float convolution: tile by tile on the NPU as its {@code tiles} say (fp32 sums over input
   * channels, then taps), or the reference kernel for one that did not get tiles (a host fallback).
   */
  static Tensor[] floatConv(Command cmd, Operation op, Tensor[] in) {
    Attributes a = cmd.attributes();
    if (!a.has("tiles") || !in[0].isFloat() || !in[1].isFloat()) return org.npuc.ir.OpRegistry.global().lookup("conv2d").evaluate(op, in);
    Tensor x = in[0];
    Tensor w = in[1];
    float[] bias = in.length > 2 ? in[2].floats() : null;
    DirectConv.Geometry g =
        new DirectConv.Geometry(
            x.dim(1), x.dim(2), x.dim(3), w.dim(0), w.dim(2), w.dim(3), a.getInt("group", 1), a.getInts("strides", new int[] {1, 1}), a.getInts("dilations", new int[] {1, 1}), a.getInts("pads", new int[] {0, 0, 0, 0}));
    int oh = g.oh();
    int ow = g.ow();
    int o = g.o();
    int icg = g.inPerGroup();
    int ocg = g.outPerGroup();
    float[] xs = x.floats();
    float[] ws = w.floats();
    int n = x.dim(0);
    float[] out = new float[n * o * oh * ow];
    int[] tiles = a.getInts("tiles");
    org.npuc.ops.Activation act = org.npuc.ops.Activation.of("conv2d", a);
    for (int b = 0; b < n; b++) {
      for (int t = 0; t < tiles.length; t += 4) {
        for (int oc = tiles[t]; oc < tiles[t + 1]; oc++) {
          int grp = oc / ocg;
          for (int oy = tiles[t + 2]; oy < tiles[t + 3]; oy++) {
            int row = ((b * o + oc) * oh + oy) * ow;
            for (int ox = 0; ox < ow; ox++) {
              float acc = 0f;
              for (int ic = 0; ic < icg; ic++) {
                int xb = ((b * g.c()) + grp * icg + ic) * g.h() * g.w();
                for (int ky = 0; ky < g.kh(); ky++) {
                  int iy = oy * g.strides()[0] - g.pads()[0] + ky * g.dilations()[0];
                  if (iy < 0 || iy >= g.h()) continue;
                  for (int kx = 0; kx < g.kw(); kx++) {
                    int ix = ox * g.strides()[1] - g.pads()[1] + kx * g.dilations()[1];
                    if (ix < 0 || ix >= g.w()) continue;
                    acc += xs[xb + iy * g.w() + ix] * ws[((oc * icg + ic) * g.kh() + ky) * g.kw() + kx];
                  }
                }
              }
              out[row + ox] = acc + (bias == null ? 0f : bias[oc]);
            }
            act.apply(out, row, row + ow);
          }
        }
      }
    }
    return new Tensor[] {Tensor.ofFloats(new int[] {n, o, oh, ow}, out)};
  }

  static Tensor[] conv(Command cmd, Operation op, Tensor[] in, boolean winograd) {
    Tensor x = in[0];
    Tensor w = in[1];
    int[] bias = in.length > 2 ? in[2].ints() : null;
    Attributes a = cmd.attributes();
    ConvRequant rq = ConvRequant.readFrom(a);
    TensorType yt = op.result(0).type();
    int o = yt.dim(1);
    int[] ws = winograd ? new int[] {o, x.dim(1), 3, 3} : w.shape();
    DirectConv.Geometry g =
        new DirectConv.Geometry(
            x.dim(1), x.dim(2), x.dim(3), ws[0], ws[2], ws[3], a.getInt("group", 1), a.getInts("strides", new int[] {1, 1}), a.getInts("dilations", new int[] {1, 1}), a.getInts("pads", new int[] {0, 0, 0, 0}));
    int oh = g.oh();
    int ow = g.ow();
    int[] wc = null;
    if (!winograd) {
      wc = w.ints().clone();
      int per = wc.length / o;
      for (int c = 0; c < o; c++) {
        int zp = Bm1684Lowering.weightZeroPoint(w.type(), c);
        for (int i = 0; i < per; i++) wc[c * per + i] -= zp;
      }
    }
    int[] u = winograd ? w.ints() : null;
    int[] tiles = a.getInts("tiles");
    int n = x.dim(0);
    int plane = g.c() * g.h() * g.w();
    int[] xs = x.ints();
    int[] out = new int[n * o * oh * ow];
    int[] xc = new int[plane];
    for (int b = 0; b < n; b++) {
      for (int i = 0; i < plane; i++) xc[i] = xs[b * plane + i] - rq.inputZeroPoint();
      for (int t = 0; t < tiles.length; t += 4) {
        int oc0 = tiles[t];
        int oc1 = tiles[t + 1];
        int oy0 = tiles[t + 2];
        int oy1 = tiles[t + 3];
        int[] acc =
            winograd
                ? WinogradF23.accumulate(xc, g.c(), g.h(), g.w(), u, oc0, oc1, oy0, oy1, ow, g.pads()[0], g.pads()[1])
                : DirectConv.accumulate(xc, wc, g, oc0, oc1, oy0, oy1);
        int rows = oy1 - oy0;
        for (int oc = oc0; oc < oc1; oc++) {
          int bv = bias == null ? 0 : bias[oc];
          for (int r = 0; r < rows; r++) {
            int src = ((oc - oc0) * rows + r) * ow;
            int dst = ((b * o + oc) * oh + oy0 + r) * ow;
            for (int ox = 0; ox < ow; ox++) out[dst + ox] = rq.apply(acc[src + ox] + bv, oc);
          }
        }
      }
    }
    return new Tensor[] {Tensor.ofInts(new int[] {n, o, oh, ow}, yt.elementType(), out)};
  }
}

package org.npuc.backend.ascend;

import java.util.HashMap;
import java.util.Map;
import org.npuc.interp.QuantizedKernel;
import org.npuc.interp.QuantizedKernels;
import org.npuc.ir.OpDefinition;
import org.npuc.ir.OpRegistry;
import org.npuc.ir.Operation;
import org.npuc.ir.Tensor;
import org.npuc.ir.type.ScalarType;
import org.npuc.ir.type.TensorType;
import org.npuc.ir.type.UniformQuantType;
import org.npuc.quant.ConvRequant;
import org.npuc.spi.Command;
import org.npuc.spi.Precision;
import org.npuc.spi.TargetProgram;
import org.npuc.target.lower.CommandKernel;

/**
 * The simulator's kernels on the Ascend-like target. conv2d and matmul run on the cube model
 * ({@link CubeConv}) over NC1HWC0 activations and fractal-Z weights: float16 with fp32
 * accumulation, or int8 sums requantized by the reference rules ({@link ConvRequant}). Every other
 * float16 command runs the reference float kernel on binary16 inputs (the executor rounds its
 * result to binary16); int8 and AI-CPU float32 commands run the reference kernels unchanged.
 */
final class AscendKernels {
  private AscendKernels() {}

  static Map<String, CommandKernel> forProgram(TargetProgram p) {
    Map<String, CommandKernel> k = new HashMap<>();
    for (Command c : p.commands()) k.putIfAbsent(c.opcode(), AscendKernels::run);
    k.remove("copy");
    return k;
  }

  static Tensor[] run(Command c, Operation op, Tensor[] in) {
    boolean cube = (c.opcode().equals("conv2d") || c.opcode().equals("matmul")) && !c.engine().equals(AscendClaimer.AI_CPU) && in.length >= 2;
    if (cube && c.precision() == Precision.FLOAT16) return new Tensor[] {cubeFp16(c, op, in)};
    if (cube && c.precision() == Precision.INT8 && op.result(0).type().elementType() instanceof UniformQuantType) return new Tensor[] {cubeInt8(c, op, in)};
    if (touchesQuantized(op)) {
      QuantizedKernel q = QuantizedKernels.lookup(c.opcode());
      if (q == null) throw new IllegalStateException("no integer kernel for " + c.opcode());
      return q.evaluate(op, in);
    }
    OpDefinition def = OpRegistry.global().lookup(c.opcode());
    if (c.precision() == Precision.FLOAT16) {
      Tensor[] r = new Tensor[in.length];
      for (int i = 0; i < in.length; i++) r[i] = in[i].isFloat() ? Tensor.ofFloats(in[i].shape(), Fp16.round(in[i].floats())) : in[i];
      return def.evaluate(op, r);
    }
    return def.evaluate(op, in);
  }

  private static boolean touchesQuantized(Operation op) {
    for (var v : op.operands()) if (v.type().elementType().isQuantized()) return true;
    for (var v : op.results()) if (v.type().elementType().isQuantized()) return true;
    return false;
  }

  /** The cube shape of a conv2d, or of a matmul seen as a 1x1 convolution over its rows. */
  private static CubeConv.Shape shape(Command c, Tensor x, Tensor w) {
    var a = c.attributes();
    if (c.opcode().equals("conv2d")) {
      return new CubeConv.Shape(
          x.dim(0), x.dim(1), x.dim(2), x.dim(3), w.dim(0), w.dim(2), w.dim(3), a.getInt("group", 1), a.getInts("strides", new int[] {1, 1}), a.getInts("dilations", new int[] {1, 1}), a.getInts("pads", new int[] {0, 0, 0, 0}));
    }
    int k = x.dim(-1);
    int nOut = a.getBool("transpose_b", false) ? w.dim(0) : w.dim(1);
    return new CubeConv.Shape(x.size() / k, k, 1, 1, nOut, 1, 1, 1, new int[] {1, 1}, new int[] {1, 1}, new int[] {0, 0, 0, 0});
  }

  /** Weights as [O, C/group, kh, kw] stored values (a [K, N] matmul weight transposed). */
  private static int[] oihw(Command c, Tensor w, boolean fp16) {
    int[] v = fp16 ? Fp16.toBits(w.floats()) : w.ints();
    if (!c.opcode().equals("matmul") || c.attributes().getBool("transpose_b", false)) return v;
    int k = w.dim(0);
    int n = w.dim(1);
    int[] t = new int[v.length];
    for (int i = 0; i < k; i++) for (int j = 0; j < n; j++) t[j * k + i] = v[i * n + j];
    return t;
  }

  private static int[] outShape(Operation op) {
    return op.result(0).type().shape();
  }

  static Tensor cubeFp16(Command c, Operation op, Tensor[] in) {
    Tensor x = in[0];
    Tensor w = in[1];
    CubeConv.Shape s = shape(c, x, w);
    int[] nchw = {s.n(), s.c(), s.h(), s.w()};
    int[] xl = AscendLayouts.toNc1hwc0(Fp16.toBits(x.floats()), nchw, 16, 0);
    int[] wl = AscendLayouts.toFractalZ(oihw(c, w, true), s.weightShape(), 16);
    int[] bias = in.length > 2 ? Fp16.toBits(in[2].floats()) : null;
    var a = c.attributes();
    int[] y = CubeConv.fp16(xl, wl, bias, s, a.getString("act", "none"), a.getFloat("act_min", Float.NEGATIVE_INFINITY), a.getFloat("act_max", Float.POSITIVE_INFINITY), a.getFloat("act_alpha", 0.01f));
    float[] f = Fp16.fromBits(AscendLayouts.fromNc1hwc0(y, new int[] {s.n(), s.o(), s.oh(), s.ow()}, 16));
    return Tensor.ofFloats(outShape(op), ScalarType.F16, f);
  }

  static Tensor cubeInt8(Command c, Operation op, Tensor[] in) {
    Tensor x = in[0];
    Tensor w = in[1];
    CubeConv.Shape s = shape(c, x, w);
    UniformQuantType xt = (UniformQuantType) x.elementType();
    TensorType yt = op.result(0).type();
    UniformQuantType ot = (UniformQuantType) yt.elementType();
    ConvRequant rq = ConvRequant.of(xt, w.elementType(), s.o(), ot, c.attributes());
    int[] wzp = new int[s.o()];
    for (int o = 0; o < s.o(); o++) wzp[o] = zeroPoint(w, o);
    int xzp = (int) xt.zeroPoint();
    int[] xl = AscendLayouts.toNc1hwc0(x.ints(), new int[] {s.n(), s.c(), s.h(), s.w()}, 32, xzp);
    int[] wl = AscendLayouts.toFractalZ(oihw(c, w, false), s.weightShape(), 32);
    int[] sums = CubeConv.int8Sums(xl, xzp, wl, wzp, s);
    int[] bias = in.length > 2 ? in[2].ints() : null;
    int plane = s.oh() * s.ow();
    int[] out = new int[sums.length];
    for (int i = 0; i < sums.length; i++) {
      int o = (i / plane) % s.o();
      out[i] = rq.apply(sums[i] + (bias == null ? 0 : bias[o]), o);
    }
    return Tensor.ofInts(yt.shape(), ot, out);
  }

  private static int zeroPoint(Tensor w, int channel) {
    if (w.elementType() instanceof UniformQuantType u) return (int) u.zeroPoint();
    if (w.elementType() instanceof org.npuc.ir.type.UniformPerAxisType p) return (int) p.zeroPoint(channel);
    return 0;
  }
}

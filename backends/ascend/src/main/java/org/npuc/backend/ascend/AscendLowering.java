package org.npuc.backend.ascend;

import org.npuc.ir.Tensor;
import org.npuc.ir.type.ElementType;
import org.npuc.ir.type.ScalarType;
import org.npuc.ir.type.TensorType;
import org.npuc.spi.Command;
import org.npuc.spi.Precision;
import org.npuc.spi.ProgramTensor;
import org.npuc.spi.TargetProgram;
import org.npuc.target.lower.Layouts;
import org.npuc.target.lower.ProgramBuilder;

/**
 * Rewrites the default program into the Ascend-like target's storage: float tensors that float16
 * commands write or read become binary16 (inside the program; graph inputs and outputs keep the
 * model's types), rank-4 activations are NC1HWC0 with C0 = 32 for int8 and 16 otherwise, and the
 * weights of cube ops (conv2d, deconv2d, matmul) are stored in fractal Z ({@code FRACTAL_Z:32}
 * for int8, {@code FRACTAL_Z:16} for float16), with their float16 biases in binary16.
 */
final class AscendLowering {
  private AscendLowering() {}

  static TargetProgram rewrite(TargetProgram p) {
    FractalZCodec.register();
    foldConstantDequantize(p);
    int n = p.tensors().size();
    boolean[] half = new boolean[n];
    int[] uses = new int[n];
    for (Command c : p.commands()) {
      for (int id : c.inputs()) uses[id]++;
      if (c.precision() != Precision.FLOAT16) continue;
      for (int id : c.inputs()) half[id] = true;
      for (int id : c.outputs()) half[id] = true;
    }
    for (int id = 0; id < n; id++) {
      ProgramTensor t = p.tensor(id);
      ElementType e = t.type().elementType();
      boolean toHalf = half[id] && e == ScalarType.F32 && (t.kind() == ProgramTensor.Kind.ACTIVATION || t.kind() == ProgramTensor.Kind.CONSTANT);
      TensorType type = toHalf ? t.type().withElementType(ScalarType.F16) : t.type();
      String layout = t.layout();
      if (t.inArena() && type.rank() == 4) layout = "NC1HWC0:" + AscendLayouts.c0For(type.elementType().isQuantized());
      p.tensors().set(id, relayout(t, type, layout));
    }
    for (Command c : p.commands()) {
      boolean cube = c.opcode().equals("conv2d") || c.opcode().equals("deconv2d") || c.opcode().equals("matmul");
      if (!cube || c.engine().equals(AscendClaimer.AI_CPU) || c.inputs().length < 2) continue;
      int wid = c.inputs()[1];
      ProgramTensor w = p.tensor(wid);
      if (w.kind() != ProgramTensor.Kind.CONSTANT || uses[wid] != 1 || (w.type().rank() != 4 && w.type().rank() != 2)) continue;
      boolean transposed = c.opcode().equals("matmul") && w.type().rank() == 2 && !c.attributes().getBool("transpose_b", false);
      p.tensors().set(wid, relayout(w, w.type(), FractalZCodec.layout(c.precision() == Precision.INT8, transposed)));
    }
    ProgramBuilder.planMemory(p, p.alignment() > 0 ? p.alignment() : 1);
    return p;
  }

  /**
   * A float16 op on a quantized weight reads it through a {@code dequantize} command; that command
   * is folded at compile time into a float constant, so the cube reads fp16 weights from the binary
   * (the int8 original stays in the table, unread: tensor ids are positions).
   */
  private static void foldConstantDequantize(TargetProgram p) {
    java.util.Map<Integer, ElementType> sourceType = new java.util.HashMap<>();
    for (Command c : p.commands()) if (c.opcode().equals("dequantize")) sourceType.put(c.outputs()[0], p.tensor(c.inputs()[0]).type().elementType());
    for (Command c : p.commands()) {
      boolean cube = c.opcode().equals("conv2d") || c.opcode().equals("matmul");
      if (!cube || !c.precision().isFloat() || c.inputs().length < 3) continue;
      ProgramTensor b = p.tensor(c.inputs()[2]);
      ElementType xs = sourceType.get(c.inputs()[0]);
      ElementType ws = sourceType.get(c.inputs()[1]);
      if (b.kind() != ProgramTensor.Kind.CONSTANT || b.type().elementType() != ScalarType.I32 || xs == null || ws == null) continue;
      // An int32 bias at scale s_x·s_w[c] feeding a float op: its real value, as a float constant.
      int[] q = Layouts.decode(b.data(), 0, b.type(), b.layout()).ints();
      float[] f = new float[q.length];
      double sx = ((org.npuc.ir.type.UniformQuantType) xs).scale();
      for (int i = 0; i < q.length; i++) {
        double sw = ws instanceof org.npuc.ir.type.UniformPerAxisType pa ? pa.scale(i) : ((org.npuc.ir.type.UniformQuantType) ws).scale();
        f[i] = (float) (q[i] * sx * sw);
      }
      TensorType ft = b.type().withElementType(ScalarType.F32);
      p.tensors().set(c.inputs()[2], new ProgramTensor(b.name(), ft, b.kind(), b.layout(), 0, Layouts.bytes(ft, b.layout()), Layouts.encode(Tensor.ofFloats(ft.shape(), f), b.layout())));
    }
    java.util.Iterator<Command> it = p.commands().iterator();
    while (it.hasNext()) {
      Command c = it.next();
      if (!c.opcode().equals("dequantize") || c.inputs().length != 1) continue;
      ProgramTensor src = p.tensor(c.inputs()[0]);
      ProgramTensor dst = p.tensor(c.outputs()[0]);
      if (src.kind() != ProgramTensor.Kind.CONSTANT || dst.kind() != ProgramTensor.Kind.ACTIVATION) continue;
      Tensor q = Layouts.decode(src.data(), 0, src.type(), src.layout());
      Tensor f = dequantize(q);
      p.tensors().set(c.outputs()[0], new ProgramTensor(dst.name(), dst.type(), ProgramTensor.Kind.CONSTANT, dst.layout(), 0, Layouts.bytes(dst.type(), dst.layout()), Layouts.encode(f, dst.layout())));
      it.remove();
    }
  }

  /** {@code scale·(q - zp)} per tensor or per axis, as the dequantize op defines it. */
  static Tensor dequantize(Tensor q) {
    int[] v = q.ints();
    float[] f = new float[v.length];
    int[] shape = q.shape();
    if (q.elementType() instanceof org.npuc.ir.type.UniformPerAxisType pa) {
      int inner = 1;
      for (int i = pa.axis() + 1; i < shape.length; i++) inner *= shape[i];
      for (int i = 0; i < v.length; i++) {
        int ch = (i / inner) % shape[pa.axis()];
        f[i] = (float) (pa.scale(ch) * (v[i] - pa.zeroPoint(ch)));
      }
    } else {
      org.npuc.ir.type.UniformQuantType u = (org.npuc.ir.type.UniformQuantType) q.elementType();
      for (int i = 0; i < v.length; i++) f[i] = (float) (u.scale() * (v[i] - u.zeroPoint()));
    }
    return Tensor.ofFloats(shape, f);
  }

  /** {@code t} with a new element type (f32 to f16 only) and layout; constant data re-encoded. */
  private static ProgramTensor relayout(ProgramTensor t, TensorType type, String layout) {
    if (type.equals(t.type()) && layout.equals(t.layout())) return t;
    byte[] data = null;
    if (t.data() != null) {
      Tensor v = Layouts.decode(t.data(), 0, t.type(), t.layout());
      if (type.elementType() == ScalarType.F16) v = Tensor.ofFloats(v.shape(), ScalarType.F16, Fp16.round(v.floats()));
      data = Layouts.encode(v, layout);
    }
    return new ProgramTensor(t.name(), type, t.kind(), layout, t.offset(), Layouts.bytes(type, layout), data);
  }
}

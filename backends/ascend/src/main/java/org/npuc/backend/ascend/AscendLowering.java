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
    org.npuc.target.lower.FloatFallbackConstants.fold(p);
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

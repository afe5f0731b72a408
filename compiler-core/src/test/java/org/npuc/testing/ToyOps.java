package org.npuc.testing;

import java.util.List;
import org.npuc.ir.Attributes;
import org.npuc.ir.IrException;
import org.npuc.ir.OpDefinition;
import org.npuc.ir.OpRegistry;
import org.npuc.ir.Operation;
import org.npuc.ir.Tensor;
import org.npuc.ir.type.TensorType;
import org.npuc.ops.CoreOps;

/**
 * A registry with the core ops plus a few tiny ops of known meaning ({@code toy_add},
 * {@code toy_neg}, {@code toy_copy}, {@code toy_effect}), so pass-infrastructure tests do not
 * depend on the real op kernels.
 */
public final class ToyOps {
  private ToyOps() {}

  public static OpRegistry registry() {
    OpRegistry r = new OpRegistry();
    CoreOps.registerAll(r);
    r.register(new Elementwise("toy_add", 2, false, true));
    r.register(new Elementwise("toy_neg", 1, false, true));
    r.register(new Elementwise("toy_copy", 1, true, true));
    r.register(new Elementwise("toy_effect", 1, false, false));
    return r;
  }

  /** Elementwise ops on f32 (shapes broadcast; the kernels handle equal shapes only): add, negate, copy; {@code toy_effect} copies but is not pure. */
  private record Elementwise(String name, int arity, boolean passThrough, boolean pure) implements OpDefinition {
    @Override
    public String summary() {
      return "toy op for tests";
    }

    @Override
    public List<TensorType> inferTypes(List<TensorType> operandTypes, Attributes attrs) {
      if (operandTypes.size() != arity) throw new IrException(name + ": expected " + arity + " operands, got " + operandTypes.size());
      int[] shape = operandTypes.get(0).shape();
      for (TensorType t : operandTypes) {
        if (t.rank() != shape.length || !t.elementType().equals(operandTypes.get(0).elementType())) {
          throw new IrException(name + ": expected operands of one rank and element type, got " + operandTypes);
        }
        for (int d = 0; d < shape.length; d++) shape[d] = broadcast(shape[d], t.dim(d), operandTypes);
      }
      return List.of(new TensorType(shape, operandTypes.get(0).elementType()));
    }

    /** Numpy broadcasting of one dimension (-1 unknown): equal, or one of them is 1. */
    private int broadcast(int a, int b, List<TensorType> types) {
      if (a == b || b == 1) return a;
      if (a == 1) return b;
      if (a == -1 || b == -1) return Math.max(a, b);
      throw new IrException(name + ": cannot broadcast " + types);
    }

    @Override
    public Tensor[] evaluate(Operation op, Tensor[] in) {
      float[] a = in[0].floats();
      float[] r = new float[a.length];
      for (int i = 0; i < a.length; i++) {
        r[i] = switch (name) {
          case "toy_add" -> a[i] + in[1].floats()[i];
          case "toy_neg" -> -a[i];
          default -> a[i];
        };
      }
      return new Tensor[] {Tensor.ofFloats(in[0].shape(), r)};
    }

    @Override
    public boolean isPure() {
      return pure;
    }

    @Override
    public boolean isPassThrough() {
      return passThrough;
    }
  }
}

package org.npuc.transforms;

import java.util.HashMap;
import java.util.Map;
import org.npuc.ir.IrException;
import org.npuc.ir.OpDefinition;
import org.npuc.ir.Operation;
import org.npuc.ir.Tensor;
import org.npuc.ir.Value;
import org.npuc.pass.PassContext;

/**
 * The values a pass can know without running the model: constants, and results of pure ops whose
 * operands are all knowable (e.g. {@code rsqrt(var + eps)} left unfolded by a frontend), computed
 * with the ops' reference kernels. Memoized for one pass run; the graph is not changed.
 */
final class ConstantValues {
  private static final int MAX_DEPTH = 24;
  private static final long MAX_ELEMENTS = 1L << 24;

  private final PassContext context;
  private final Map<Value, Tensor> known = new HashMap<>();
  private final Map<Value, Boolean> unknown = new HashMap<>();

  ConstantValues(PassContext context) {
    this.context = context;
  }

  /** The value of {@code v} when it depends on constants only, else null. */
  Tensor of(Value v) {
    return of(v, 0);
  }

  /** The float value of {@code v} (f32 data) when knowable and of a float type, else null. */
  Tensor floats(Value v) {
    Tensor t = of(v);
    return t != null && t.isFloat() ? t : null;
  }

  private Tensor of(Value v, int depth) {
    if (v.isConstant()) return v.constantValue();
    Tensor t = known.get(v);
    if (t != null || unknown.containsKey(v)) return t;
    t = compute(v, depth);
    if (t == null) unknown.put(v, Boolean.TRUE);
    else known.put(v, t);
    return t;
  }

  private Tensor compute(Value v, int depth) {
    Operation op = v.definingOp();
    if (depth > MAX_DEPTH || op.numOperands() == 0) return null;
    OpDefinition def = context.registry().lookup(op.name());
    if (def == null || !def.isPure() || !def.isFoldable()) return null;
    long n = v.type().numElements();
    if (n < 0 || n > MAX_ELEMENTS) return null;
    Tensor[] in = new Tensor[op.numOperands()];
    for (int i = 0; i < in.length; i++) {
      in[i] = of(op.operand(i), depth + 1);
      if (in[i] == null) return null;
    }
    try {
      Tensor[] r = def.evaluate(op, in);
      return r[v.resultIndex()];
    } catch (IrException | IllegalArgumentException | IllegalStateException e) {
      return null; // a kernel that cannot run on these types: the value stays unknown
    }
  }
}

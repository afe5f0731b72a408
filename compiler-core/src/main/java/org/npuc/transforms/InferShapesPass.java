package org.npuc.transforms;

import java.util.List;
import org.npuc.ir.Graph;
import org.npuc.ir.IrException;
import org.npuc.ir.OpDefinition;
import org.npuc.ir.OpRegistry;
import org.npuc.ir.Operation;
import org.npuc.ir.Value;
import org.npuc.ir.Verifier;
import org.npuc.ir.type.ElementType;
import org.npuc.ir.type.QuantizedType;
import org.npuc.ir.type.TensorType;
import org.npuc.pass.Pass;
import org.npuc.pass.PassContext;
import org.npuc.pass.Statistic;

/**
 * Recomputes every result type from its operands in one forward walk, e.g. after an input's shape
 * was changed. Inputs keep their declared types; a quantized result keeps its quantized element
 * type when the inferred type is its expressed type.
 */
public final class InferShapesPass extends Pass {
  private final Statistic updated = statistic("updated", "result types that changed");

  public InferShapesPass() {
    super("infer_shapes", "recompute every result type from the inputs' declared types (after input shapes change)");
  }

  @Override
  public boolean recomputesTypes() {
    return true;
  }

  @Override
  public boolean run(Graph graph, PassContext context) {
    int n = reinfer(graph, context.registry());
    updated.add(n);
    return n > 0;
  }

  /**
   * Re-infers all result types of {@code graph}; an op whose operands no longer fit is an
   * {@link IrException} naming it.
   *
   * @return the number of values whose type changed
   */
  public static int reinfer(Graph graph, OpRegistry registry) {
    int changed = 0;
    for (Operation op : graph) {
      if (op.is("input")) continue;
      OpDefinition def = registry.require(op);
      List<TensorType> inferred = Verifier.inferResultTypes(op, def, "cannot infer its type from the new operand types: ");
      for (int i = 0; i < inferred.size(); i++) {
        Value r = op.result(i);
        TensorType t = merge(r.type(), inferred.get(i));
        if (!t.equals(r.type())) {
          r.setType(t);
          changed++;
        }
      }
    }
    return changed;
  }

  private static TensorType merge(TensorType old, TensorType inferred) {
    ElementType e = old.elementType();
    if (e instanceof QuantizedType && !(inferred.elementType() instanceof QuantizedType)
        && e.expressedType() == inferred.elementType().expressedType()) {
      return inferred.withElementType(e);
    }
    return inferred;
  }
}

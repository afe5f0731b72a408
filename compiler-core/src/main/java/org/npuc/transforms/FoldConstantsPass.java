package org.npuc.transforms;

import java.util.ArrayList;
import java.util.List;
import org.npuc.ir.Attributes;
import org.npuc.ir.Graph;
import org.npuc.ir.IrException;
import org.npuc.ir.OpDefinition;
import org.npuc.ir.Operation;
import org.npuc.ir.Tensor;
import org.npuc.ir.Value;
import org.npuc.ir.Verifier;
import org.npuc.pass.Pass;
import org.npuc.pass.PassContext;
import org.npuc.pass.PassOption;
import org.npuc.pass.Statistic;

/**
 * Evaluates, with the op's reference kernel, every foldable op whose operands are all constants
 * and replaces it by constants that keep its location. One forward walk folds whole constant
 * chains; operand constants left unread are removed.
 */
public final class FoldConstantsPass extends Pass {
  private final PassOption<Integer> maxElements =
      intOption("max_elements", 0, "do not fold an op whose results hold more elements than this (0: no limit)");
  private final Statistic folded = statistic("folded", "ops replaced by constants");
  private final Statistic removedConstants = statistic("constants_removed", "operand constants no longer read");
  private final Statistic refused = statistic("kernel_refused", "ops left alone because their kernel cannot run on these types");

  public FoldConstantsPass() {
    super("fold_constants", "evaluate ops whose operands are all constants and replace them by constants");
  }

  @Override
  public boolean run(Graph graph, PassContext context) {
    long before = folded.value();
    Operation op = graph.first();
    while (op != null) {
      Operation next = op.next();
      if (foldable(op, context)) fold(graph, op, context.definition(op));
      op = next;
    }
    return folded.value() > before;
  }

  private boolean foldable(Operation op, PassContext context) {
    if (op.numOperands() == 0 || op.numResults() == 0) return false;
    for (Value v : op.operands()) if (!v.isConstant()) return false;
    if (!context.definition(op).isFoldable()) return false;
    int limit = maxElements.get();
    if (limit > 0) {
      for (Value r : op.results()) {
        long n = r.type().numElements();
        if (n < 0 || n > limit) return false;
      }
    }
    return true;
  }

  private void fold(Graph graph, Operation op, OpDefinition def) {
    Tensor[] inputs = new Tensor[op.numOperands()];
    for (int i = 0; i < inputs.length; i++) inputs[i] = op.operand(i).constantValue();
    Tensor[] results;
    try {
      results = def.evaluate(op, inputs);
    } catch (IrException e) {
      // A kernel that does not support these element types yet; running the graph would fail the
      // same way, with the same message, so folding simply leaves the op.
      refused.increment();
      return;
    }
    if (results.length != op.numResults()) {
      throw new IrException(op, "kernel returned " + results.length + " results for " + op.numResults() + " declared");
    }
    List<Value> replacements = new ArrayList<>(results.length);
    for (int i = 0; i < results.length; i++) {
      Value old = op.result(i);
      if (!Verifier.compatible(results[i].type(), old.type())) {
        throw new IrException(op, "kernel result #" + i + " has type " + results[i].type().toText() + ", declared " + old.type().toText());
      }
      Tensor t = results[i];
      if (!t.elementType().equals(old.type().elementType()) && t.elementType().storageType() == old.type().elementType().storageType()) {
        t = t.withElementType(old.type().elementType());
      }
      Operation c = graph.insertBefore(op, "constant", List.of(), Attributes.of("value", t), List.of(t.type()), op.location());
      c.result().setName(old.name());
      replacements.add(c.result());
    }
    List<Operation> operandOps = new ArrayList<>(op.numOperands());
    for (Value v : op.operands()) operandOps.add(v.definingOp());
    graph.replace(op, replacements);
    folded.increment();
    for (Operation c : operandOps) {
      if (c.graph() == graph && c.isUnused()) {
        graph.erase(c);
        removedConstants.increment();
      }
    }
  }
}

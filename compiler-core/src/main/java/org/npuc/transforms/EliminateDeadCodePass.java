package org.npuc.transforms;

import org.npuc.ir.Graph;
import org.npuc.ir.Operation;
import org.npuc.pass.Pass;
import org.npuc.pass.PassContext;
import org.npuc.pass.Statistic;

/**
 * Removes pure ops whose results nobody reads, in one backward walk (an op's readers come after
 * it, so a whole dead chain goes in the same walk). Inputs and outputs stay: they are the model's
 * interface ({@code strip_unused_nodes} removes unused inputs).
 */
public final class EliminateDeadCodePass extends Pass {
  private final Statistic removed = statistic("removed", "ops removed");

  public EliminateDeadCodePass() {
    super("eliminate_dead_code", "remove ops whose results are not used (inputs and outputs stay)");
  }

  @Override
  public boolean run(Graph graph, PassContext context) {
    long before = removed.value();
    Operation op = graph.last();
    while (op != null) {
      Operation prev = op.prev();
      if (op.isUnused() && op.numResults() > 0 && context.definition(op).isPure()) {
        graph.erase(op);
        removed.increment();
      }
      op = prev;
    }
    return removed.value() > before;
  }
}

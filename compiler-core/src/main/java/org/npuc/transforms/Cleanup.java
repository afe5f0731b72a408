package org.npuc.transforms;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import org.npuc.ir.Graph;
import org.npuc.ir.Operation;
import org.npuc.ir.Value;

/**
 * Removes what a rewrite left unread: starting from the given ops, erases each one that is no
 * longer used and has no effect (a constant, a parameter computation), then its operands' ops in
 * turn. Only ops the rewrite touched are looked at, so a pass stays linear.
 */
final class Cleanup {
  private Cleanup() {}

  static void eraseDead(Graph graph, Collection<Operation> start) {
    Deque<Operation> work = new ArrayDeque<>(start);
    while (!work.isEmpty()) {
      Operation op = work.pop();
      if (op.graph() != graph || !op.isUnused() || op.numResults() == 0) continue;
      if (op.is("input") || op.is("output")) continue;
      for (Value v : op.operands()) work.push(v.definingOp());
      graph.erase(op);
    }
  }
}

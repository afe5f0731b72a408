package org.npuc.transforms;

import java.util.Set;
import java.util.function.Predicate;
import org.npuc.ir.Graph;
import org.npuc.ir.Operation;
import org.npuc.pass.PassContext;

/**
 * The walk shared by the passes that fold per-channel affine ops into the weights before them:
 * for each weighted producer, absorb its single reader while that reader is an affine op of the
 * accepted kinds, so a chain (sub, mul, mul, add) folds in one walk.
 */
final class AffineFoldDriver {
  private AffineFoldDriver() {}

  /**
   * Folds into every producer accepted by {@code producers} the chain of {@code kinds} ops after it.
   *
   * @return the number of ops folded
   */
  static int run(Graph graph, PassContext context, ConstantValues known, Set<String> kinds, Predicate<Operation> producers) {
    int folded = 0;
    for (Operation p : graph.ops()) {
      if (p.graph() != graph || !WeightFolding.isProducer(p) || !producers.test(p)) continue;
      while (p.result().numUses() == 1) {
        Operation u = p.result().uses().get(0).user();
        ChannelAffine aff = ChannelAffine.match(u, p.result(), WeightFolding.channelAxis(p), WeightFolding.channels(p), known, kinds);
        if (aff == null || WeightFolding.fold(graph, p, aff, known) != null) break;
        folded++;
      }
    }
    return folded;
  }

  /**
   * Remarks on each op of {@code kind} left behind a weighted producer, with the reason (so a user
   * learns why a batch norm was not folded).
   */
  static void explainLeft(Graph graph, PassContext context, ConstantValues known, String pass, String kind, Set<String> kinds) {
    for (Operation u : graph) {
      if (!u.is(kind) || u.numOperands() == 0) continue;
      Operation p = u.operand(0).definingOp();
      if (!WeightFolding.isProducer(p)) continue;
      String why = WeightFolding.precheck(p, known);
      if (why == null) {
        ChannelAffine aff = ChannelAffine.match(u, p.result(), WeightFolding.channelAxis(p), WeightFolding.channels(p), known, kinds);
        why = aff == null ? "its parameters are not constants along the " + p.name() + " output channels"
            : "the weights' fake_quant range cannot be scaled per output channel";
      }
      context.remark(pass, u, "not folded into " + p.name() + " " + p.location().describe() + ": " + why);
    }
  }
}

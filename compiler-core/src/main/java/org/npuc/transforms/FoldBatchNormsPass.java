package org.npuc.transforms;

import java.util.Set;
import org.npuc.ir.Graph;
import org.npuc.pass.Pass;
import org.npuc.pass.PassContext;
import org.npuc.pass.Statistic;

/**
 * Folds inference batch norms into the weights and bias of the {@code conv2d}, {@code deconv2d}
 * or {@code matmul} before them: the core {@code batch_norm}, and the per-channel
 * {@code mul}/{@code add}/{@code sub}/{@code div} chains a TensorFlow importer emits for an
 * unfused BatchNorm (also when the factors are still {@code rsqrt(var + eps)·gamma} subgraphs of
 * constants). Weights behind a {@code fake_quant} are folded first and the fake_quant is kept with
 * its range scaled per output channel, so the folded weights are quantized on the same grid
 * as before (exact: {@code fake_quant(w·m, [min·m, max·m]) = m·fake_quant(w, [min, max])}).
 * Refuses, with a remark, when the producer has a fused activation or another reader, or its
 * weights or bias are not constant.
 */
public final class FoldBatchNormsPass extends Pass {
  static final Set<String> KINDS = Set.of("batch_norm", "mul", "add", "sub", "div");

  private final Statistic folded = statistic("folded", "batch norms and per-channel mul/add/sub/div ops folded into weights");

  public FoldBatchNormsPass() {
    super("fold_batch_norms", "fold batch_norm and per-channel mul/add/sub/div chains into the weights of the conv2d/deconv2d/matmul before them");
  }

  @Override
  public boolean run(Graph graph, PassContext context) {
    ConstantValues known = new ConstantValues(context);
    int n = AffineFoldDriver.run(graph, context, known, KINDS, p -> true);
    folded.add(n);
    AffineFoldDriver.explainLeft(graph, context, known, name(), "batch_norm", KINDS);
    return n > 0;
  }
}

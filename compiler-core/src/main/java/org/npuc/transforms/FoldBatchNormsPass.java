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
 * constants). Each output channel o gets weights {@code w·m[o]} and bias {@code b·m[o] + a[o]}.
 *
 * <p>Weights behind a {@code fake_quant} (QAT): the map is folded into the float weights first
 * and the fake_quant is re-created on the folded weights with its range scaled per output channel,
 * {@code [min·m[o], max·m[o]]} (ends swapped when {@code m[o] < 0}), {@code num_bits} and
 * {@code narrow_range} unchanged; a per-tensor range becomes per-channel on the weights' output
 * axis (0 for conv2d, N for matmul, 1 for a deconv2d with group 1) unless all factors are equal.
 * Since TF's nudging keeps the zero point of a scaled range, {@code fake_quant(w·m, [min·m,
 * max·m]) = m·fake_quant(w, [min, max])}: the float function is unchanged and the weights stay on
 * the grid they were trained on, while the range describes the weights the op actually uses, as
 * in TF's QAT folding. Refused when a factor is 0, the range is per-channel on another axis, or
 * a grouped deconv2d has varying factors.
 *
 * <p>Refuses, with a remark on a {@code batch_norm} left behind a weighted op, when the producer
 * has a fused activation or another reader, or its weights or bias are not constant.
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

package org.npuc.transforms;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.npuc.ir.Graph;
import org.npuc.ir.Location;
import org.npuc.ir.Operation;
import org.npuc.ir.Value;
import org.npuc.pass.Pass;
import org.npuc.pass.PassContext;
import org.npuc.pass.Statistic;

/**
 * TensorFlow graph-transform's fold_old_batch_norms for what the TF frontend makes of the monolithic
 * batch-norm ops (FusedBatchNorm V1-V3, which it imports as core {@code batch_norm}): a
 * {@code batch_norm} right after a {@code conv2d} with constant weights is folded into the weights
 * and bias, and a {@code batch_norm} after a {@code concat} of such convs is folded into each conv
 * (its slice of the channels when the concat is along the channels, all of it otherwise), as TF
 * does for ConcatV2 of two Conv2Ds. Unlike {@code fold_batch_norms} it does not touch
 * mul/add chains, deconv2d, matmul or fake-quantized weights.
 */
public final class FoldOldBatchNormsPass extends Pass {
  private static final Set<String> KINDS = Set.of("batch_norm");

  private final Statistic folded = statistic("folded", "batch_norm ops folded into a conv2d");
  private final Statistic concats = statistic("folded_through_concat", "batch_norm ops folded through a concat into several conv2d");

  public FoldOldBatchNormsPass() {
    super("fold_old_batch_norms", "fold batch_norm (TF FusedBatchNorm) into the conv2d before it, also through a concat of conv2d");
  }

  @Override
  public boolean run(Graph graph, PassContext context) {
    if (!graph.containsAny("batch_norm")) return false; // its only kind
    ConstantValues known = new ConstantValues(context);
    int n = AffineFoldDriver.run(graph, context, known, KINDS, p -> p.is("conv2d") && !p.operand(1).definingOp().is("fake_quant"));
    folded.add(n);
    int m = 0;
    for (Operation bn : graph.ops()) {
      if (bn.graph() == graph && bn.is("batch_norm") && throughConcat(graph, bn, known)) m++;
    }
    concats.add(m);
    return n + m > 0;
  }

  private static boolean throughConcat(Graph graph, Operation bn, ConstantValues known) {
    Operation cat = bn.operand(0).definingOp();
    if (!cat.is("concat") || cat.result().numUses() != 1) return false;
    int rank = cat.result().type().rank();
    if (rank != 4 || ChannelAffine.normAxis(bn.attributes().getLong("axis", 1), rank) != 1) return false;
    int channels = cat.result().type().dim(1);
    ChannelAffine aff = ChannelAffine.match(bn, cat.result(), 1, channels, known, KINDS);
    if (aff == null) return false;
    for (int c = 0; c < channels; c++) if (!Double.isFinite(aff.mul[c]) || !Double.isFinite(aff.add[c])) return false;
    boolean alongChannels = ChannelAffine.normAxis(cat.attributes().getLong("axis", 0), rank) == 1;
    List<Operation> convs = new ArrayList<>();
    for (Value v : cat.operands()) {
      Operation p = v.definingOp();
      if (!p.is("conv2d") || convs.contains(p) || p.operand(1).definingOp().is("fake_quant")) return false;
      if (WeightFolding.precheck(p, known) != null) return false;
      convs.add(p);
    }
    int start = 0;
    for (Operation p : convs) {
      int c = WeightFolding.channels(p);
      int from = alongChannels ? start : 0;
      double[] mul = java.util.Arrays.copyOfRange(aff.mul, from, from + c);
      double[] add = java.util.Arrays.copyOfRange(aff.add, from, from + c);
      if (WeightFolding.foldWeights(graph, p, mul, add, bn.location(), known) != null) {
        throw new IllegalStateException("fold_old_batch_norms: checked fold failed for " + p);
      }
      p.setLocation(Location.fused(p.location(), bn.location()));
      start += c;
    }
    cat.setLocation(Location.fused(cat.location(), bn.location()));
    List<Operation> params = new ArrayList<>();
    for (int i = 1; i < bn.numOperands(); i++) params.add(bn.operand(i).definingOp());
    graph.replace(bn, List.of(cat.result()));
    Cleanup.eraseDead(graph, params);
    return true;
  }
}

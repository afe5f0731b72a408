package org.npuc.transforms;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.npuc.ir.Attributes;
import org.npuc.ir.Graph;
import org.npuc.ir.Location;
import org.npuc.ir.Operation;
import org.npuc.ir.Tensor;
import org.npuc.ir.Value;
import org.npuc.pass.Pass;
import org.npuc.pass.PassContext;
import org.npuc.pass.Statistic;

/**
 * Caffe's BatchNorm + Scale pair, a lone Scale and a lone Bias (core {@code batch_norm},
 * {@code scale} with a per-channel factor, {@code bias_add}): folded into the weights of the
 * conv2d/deconv2d/matmul before them (as the BM1684 tools do by hand); where no such op precedes,
 * consecutive ones are merged into one {@code scale}, so that a BatchNorm + Scale pair costs one
 * multiply-add.
 */
public final class MergeScaleToConvPass extends Pass {
  private static final Set<String> KINDS = Set.of("batch_norm", "scale", "bias_add");

  private final Statistic folded = statistic("folded", "batch_norm/scale/bias_add ops folded into a conv2d/deconv2d/matmul");
  private final Statistic merged = statistic("merged", "batch_norm/scale/bias_add pairs merged into one scale");

  public MergeScaleToConvPass() {
    super("merge_scale_to_conv", "fold Caffe BatchNorm+Scale, Scale and Bias (batch_norm, scale, bias_add) into the conv before them, or merge them into one scale");
  }

  @Override
  public boolean run(Graph graph, PassContext context) {
    if (!graph.containsAny("batch_norm", "scale", "bias_add")) return false; // its only kinds
    ConstantValues known = new ConstantValues(context);
    int n = AffineFoldDriver.run(graph, context, known, KINDS, p -> true);
    folded.add(n);
    int m = 0;
    for (Operation u : graph.ops()) {
      if (u.graph() == graph && (u.is("scale") || u.is("bias_add")) && mergeWithPrevious(graph, u, known)) m++;
    }
    merged.add(m);
    AffineFoldDriver.explainLeft(graph, context, known, name(), "scale", KINDS);
    return n + m > 0;
  }

  private static boolean mergeWithPrevious(Graph graph, Operation u, ConstantValues known) {
    Operation v = u.operand(0).definingOp();
    if (!KINDS.contains(v.name()) || v.result().numUses() != 1) return false;
    Value x = v.operand(0);
    int rank = x.type().rank();
    int axis = ChannelAffine.normAxis(v.attributes().getLong("axis", 1), rank);
    int channels = axis >= 0 && axis < rank ? x.type().dim(axis) : -1;
    if (channels < 1) return false;
    ChannelAffine first = ChannelAffine.match(v, x, axis, channels, known, KINDS);
    ChannelAffine second = ChannelAffine.match(u, v.result(), axis, channels, known, KINDS);
    if (first == null || second == null) return false;
    ChannelAffine both = first.then(second);
    float[] s = new float[channels];
    float[] b = new float[channels];
    for (int c = 0; c < channels; c++) {
      s[c] = (float) both.mul[c];
      b[c] = (float) both.add[c];
    }
    Location loc = Location.fused(v.location(), u.location());
    Value sv = constantBefore(graph, u, Tensor.ofFloats(new int[] {channels}, s), loc);
    Value bv = constantBefore(graph, u, Tensor.ofFloats(new int[] {channels}, b), loc);
    Operation merged = graph.insertBefore(u, "scale", List.of(x, sv, bv), Attributes.of("axis", axis), List.of(u.result().type()), loc);
    merged.result().setName(u.result().name());
    List<Operation> params = new ArrayList<>();
    for (int i = 1; i < u.numOperands(); i++) params.add(u.operand(i).definingOp());
    for (int i = 1; i < v.numOperands(); i++) params.add(v.operand(i).definingOp());
    graph.replace(u, List.of(merged.result()));
    graph.erase(v);
    Cleanup.eraseDead(graph, params);
    return true;
  }

  private static Value constantBefore(Graph graph, Operation anchor, Tensor t, Location loc) {
    return graph.insertBefore(anchor, "constant", List.of(), Attributes.of("value", t), List.of(t.type()), loc).result();
  }
}

package org.npuc.transforms;

import java.util.ArrayList;
import java.util.Collections;
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
 * Folds input normalization ({@code mul}/{@code div}/{@code add}/{@code sub}/{@code scale}/
 * {@code bias_add} by per-channel constants between a graph input and the first {@code conv2d},
 * possibly around the layout transpose a frontend put there) into that conv: its weights are
 * scaled per input channel and the constant offset is pushed through the weights into the bias.
 * That is exact only when the conv adds no zero padding or the offset is zero (a padded border
 * would otherwise see the offset); when it is not, nothing changes and a remark says why.
 */
public final class FusePreprocessingPass extends Pass {
  private static final Set<String> KINDS = Set.of("mul", "div", "add", "sub", "scale", "bias_add");

  private final Statistic fused = statistic("fused", "preprocessing ops folded into the first conv2d");

  public FusePreprocessingPass() {
    super("fuse_preprocessing", "fold per-channel input scaling/mean subtraction into the first conv2d where exact");
  }

  @Override
  public boolean run(Graph graph, PassContext context) {
    ConstantValues known = new ConstantValues(context);
    long before = fused.value();
    for (Operation conv : graph.ops()) {
      if (conv.graph() == graph && conv.is("conv2d")) fold(graph, conv, known, context);
    }
    return fused.value() > before;
  }

  private void fold(Graph graph, Operation conv, ConstantValues known, PassContext context) {
    int channels = conv.operand(0).type().dim(1);
    if (channels < 1) return;
    // Walk back from the conv input to a graph input, following the channel axis through transposes.
    List<ChannelAffine> steps = new ArrayList<>();
    Value v = conv.operand(0);
    int axis = 1;
    while (true) {
      Operation d = v.definingOp();
      if (d.is("input") || v.numUses() != 1) break;
      if (d.is("transpose")) {
        axis = d.attributes().getInts("perm")[axis];
        v = d.operand(0);
        continue;
      }
      if (!KINDS.contains(d.name())) return;
      Value data = dataOperand(d, known);
      ChannelAffine aff = ChannelAffine.match(d, data, axis, channels, known, KINDS);
      if (aff == null || aff.act != null) return;
      steps.add(aff);
      v = data;
    }
    if (steps.isEmpty() || !v.definingOp().is("input")) return;
    Collections.reverse(steps);
    ChannelAffine total = ChannelAffine.identity(conv, channels);
    for (ChannelAffine s : steps) total = total.then(s);
    String why = refusal(conv, total, known);
    if (why != null) {
      context.remark(name(), steps.get(0).op, "input preprocessing not folded into " + conv.location().describe() + ": " + why);
      return;
    }
    foldInto(graph, conv, total, known);
    Location[] locs = new Location[steps.size() + 1];
    for (int i = 0; i < steps.size(); i++) locs[i] = steps.get(i).op.location();
    locs[steps.size()] = conv.location();
    conv.setLocation(Location.fused(locs));
    for (ChannelAffine s : steps) {
      Operation u = s.op;
      Value data = dataOperand(u, known);
      List<Operation> params = new ArrayList<>();
      for (Value p : u.operands()) if (p != data) params.add(p.definingOp());
      graph.replace(u, List.of(data));
      Cleanup.eraseDead(graph, params);
      fused.increment();
    }
  }

  /** The operand a preprocessing op transforms: the non-constant one of a binary op. */
  private static Value dataOperand(Operation u, ConstantValues known) {
    if (u.is("scale") || u.is("bias_add") || u.numOperands() != 2) return u.operand(0);
    return known.of(u.operand(1)) != null ? u.operand(0) : u.operand(1);
  }

  private static String refusal(Operation conv, ChannelAffine total, ConstantValues known) {
    if (conv.operand(1).definingOp().is("fake_quant") || known.floats(conv.operand(1)) == null) return "its weights are not constant (or are fake-quantized)";
    if (conv.numOperands() > 2 && known.floats(conv.operand(2)) == null) return "its bias is not constant";
    boolean offset = false;
    for (double a : total.add) offset |= a != 0;
    for (int p : conv.attributes().getInts("pads", new int[4])) {
      if (p != 0 && offset) {
        return "the conv pads its input with zeros, but zeros before the mean subtraction/offset are not zeros after it,"
            + " so the border outputs would change; fold it by hand with pads=0 or keep it";
      }
    }
    for (int c = 0; c < total.mul.length; c++) {
      if (!Double.isFinite(total.mul[c]) || !Double.isFinite(total.add[c])) return "its factors are not finite";
    }
    return null;
  }

  /** conv(x·m + a) = conv'(x) with w'[o,ci] = w·m[c], b'[o] = b + Σ w[o,ci,·]·a[c], c = input channel. */
  private static void foldInto(Graph graph, Operation conv, ChannelAffine t, ConstantValues known) {
    Tensor w = known.floats(conv.operand(1));
    int[] s = w.shape();
    int g = conv.attributes().getInt("group", 1);
    int perGroupOut = s[0] / g;
    int k = s[2] * s[3];
    float[] src = w.floats();
    float[] dst = new float[src.length];
    double[] bias = new double[s[0]];
    float[] old = conv.numOperands() > 2 ? known.floats(conv.operand(2)).floats() : null;
    for (int o = 0; o < s[0]; o++) {
      double acc = old == null ? 0 : old[o];
      for (int ci = 0; ci < s[1]; ci++) {
        int c = (o / perGroupOut) * s[1] + ci;
        for (int e = 0; e < k; e++) {
          int i = (o * s[1] + ci) * k + e;
          dst[i] = (float) (src[i] * t.mul[c]);
          acc += src[i] * t.add[c];
        }
      }
      bias[o] = acc;
    }
    List<Operation> orphans = new ArrayList<>(List.of(conv.operand(1).definingOp()));
    Tensor nw = Tensor.ofFloats(s, dst);
    Value wv = graph.insertBefore(conv, "constant", List.of(), Attributes.of("value", nw), List.of(nw.type()), conv.operand(1).definingOp().location()).result();
    wv.setName(conv.operand(1).name());
    conv.setOperand(1, wv);
    float[] b = new float[s[0]];
    for (int o = 0; o < b.length; o++) b[o] = (float) bias[o];
    Tensor bt = Tensor.ofFloats(new int[] {s[0]}, b);
    Value bv = graph.insertBefore(conv, "constant", List.of(), Attributes.of("value", bt), List.of(bt.type()), conv.location()).result();
    if (conv.numOperands() > 2) {
      orphans.add(conv.operand(2).definingOp());
      bv.setName(conv.operand(2).name());
      conv.setOperand(2, bv);
    } else {
      conv.addOperand(bv);
    }
    Cleanup.eraseDead(graph, orphans);
  }
}

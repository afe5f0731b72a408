package org.npuc.backend.bm1684;

import java.util.List;
import org.npuc.ir.Graph;
import org.npuc.ir.Operation;
import org.npuc.ir.Value;
import org.npuc.ir.type.QuantizedType;
import org.npuc.spi.BackendContext;
import org.npuc.spi.Claims;
import org.npuc.spi.OpClaim;
import org.npuc.spi.Precision;
import org.npuc.spi.TargetSpec;

/**
 * Decides, for every op, whether the BM1684-like NPU runs it in int8 or float, or refuses it. The
 * spec's op rules say what the NPU supports (with limits); quantized ops run in int8 unless the
 * user keeps them in float, a float-forward region covers them ({@link FloatForward}), or {@code
 * accuracy_opt} asks for depthwise convolutions in float. Ops the spec does not list fall back to
 * the host with the reason.
 */
final class Bm1684Claimer {
  static final String NPU = "npu";

  private Bm1684Claimer() {}

  static Claims claim(Graph graph, BackendContext ctx) {
    TargetSpec spec = ctx.spec();
    FloatForward ff =
        FloatForward.resolve(graph, spec.optionStrings("fpfwd_inputs"), spec.optionStrings("fpfwd_outputs"), spec.optionStrings("fpfwd_blocks"));
    boolean accuracyOpt = spec.optionBool("accuracy_opt");
    boolean winograd = spec.feature("winograd");
    Claims claims = new Claims();
    for (Operation op : graph.ops()) {
      if (op.is("input") || op.is("output") || op.is("constant")) continue;
      TargetSpec.OpRule rule = spec.rule(op.name());
      if (rule == null) {
        claims.add(OpClaim.refused(op, spec.name() + " has no '" + op.name() + "' (not in the spec's ops)"));
        continue;
      }
      String limit = Limits.violation(op, rule);
      if (limit != null) {
        claims.add(OpClaim.refused(op, limit));
        continue;
      }
      boolean quantized = isQuantized(op);
      boolean int8 = rule.precisions().contains(Precision.INT8) && org.npuc.interp.QuantizedKernels.lookup(op.name()) != null;
      boolean fp32 = rule.precisions().contains(Precision.FLOAT32);
      String layer = op.location().primaryName();
      String floatWhy = null;
      if (layer != null && ctx.keepFloat().contains(layer)) floatWhy = "kept in float by the user";
      else if (ff.reason(op) != null) floatWhy = "float-forward (" + ff.reason(op) + ")";
      else if (accuracyOpt && isDepthwise(op)) floatWhy = "accuracy_opt: depthwise convolution in float";
      if (quantized && int8 && floatWhy == null) {
        OpClaim c = OpClaim.claimed(op, NPU, Precision.INT8);
        if (op.is("conv2d") && winograd && isWinogradShape(op)) c = c.withNote("winograd F(2x2,3x3) candidate (used where the cost model finds it cheaper: conv2d.winograd in the command stream)");
        claims.add(c);
      } else if (fp32) {
        String why = floatWhy != null ? floatWhy : quantized ? "no int8 form on " + spec.name() : "not quantized";
        claims.add(OpClaim.claimed(op, NPU, Precision.FLOAT32).withNote(why));
      } else {
        claims.add(OpClaim.refused(op, spec.name() + " runs '" + op.name() + "' only in " + rule.precisions() + (floatWhy != null ? ", but it is " + floatWhy : ", and it is not quantized")));
      }
    }
    return claims;
  }

  static boolean isQuantized(Operation op) {
    for (Value v : op.operands()) if (quantizedType(v)) return true;
    for (Value v : op.results()) if (quantizedType(v)) return true;
    return false;
  }

  private static boolean quantizedType(Value v) {
    return v.type().elementType() instanceof QuantizedType q && q.isQuantized();
  }

  static boolean isDepthwise(Operation op) {
    if (!op.is("conv2d")) return false;
    int group = op.attributes().getInt("group", 1);
    int[] xs = op.operand(0).type().shape();
    return group > 1 && xs.length == 4 && group == xs[1];
  }

  static boolean isWinogradShape(Operation op) {
    int[] ws = op.operand(1).type().shape();
    return ws.length == 4
        && WinogradF23.applies(
            ws[2],
            ws[3],
            op.attributes().getInts("strides", new int[] {1, 1}),
            op.attributes().getInts("dilations", new int[] {1, 1}),
            op.attributes().getInt("group", 1));
  }

  /** Names of the layers in a list of claims that run in {@code p} (for reports and tests). */
  static List<String> layersIn(Claims claims, Precision p) {
    return claims.all().stream().filter(c -> c.isClaimed() && c.precision() == p).map(c -> c.op().location().describe()).toList();
  }
}

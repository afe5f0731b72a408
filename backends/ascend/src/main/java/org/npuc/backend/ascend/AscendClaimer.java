package org.npuc.backend.ascend;

import java.util.Set;
import org.npuc.ir.Graph;
import org.npuc.ir.Operation;
import org.npuc.ir.Value;
import org.npuc.spi.BackendContext;
import org.npuc.spi.Claims;
import org.npuc.spi.OpClaim;
import org.npuc.spi.Precision;
import org.npuc.spi.TargetSpec;

/**
 * Decides engine and precision per op on the Ascend-like target, as AMCT and the CANN compiler
 * would: int8 only for the layer kinds AMCT quantizes (MatMul without transposes, Conv2D,
 * depthwise conv, transposed conv, AvgPool), and only when the op was quantized; a convolution
 * with few input channels (the spec's {@code min_input_channels_int8}, 17 for Cin &lt;= 16) stays
 * in float16 with a warning unless the user forces int8 ({@code force_int8} layers or {@code
 * force_int8_small_cin}); every other op runs in float16 on the AI core, or in float32 on the
 * AI-CPU when its spec rule says {@code engine: ai-cpu}. Ops the spec does not list go to the host.
 */
final class AscendClaimer {
  static final String AI_CORE = "ai-core";
  static final String AI_CPU = "ai-cpu";

  /** The layer kinds AMCT quantizes (matmul has a further rule on transposes). */
  static final Set<String> AMCT_KINDS = Set.of("conv2d", "deconv2d", "matmul", "avg_pool");

  private AscendClaimer() {}

  static Claims claim(Graph graph, BackendContext ctx) {
    TargetSpec spec = ctx.spec();
    boolean forceSmallCin = spec.optionBool("force_int8_small_cin");
    Set<String> forced = new java.util.TreeSet<>(spec.optionStrings("force_int8"));
    forced.addAll(ctx.forceInt8());
    Claims claims = new Claims();
    for (Operation op : graph.ops()) {
      if (op.is("input") || op.is("output") || op.is("constant")) continue;
      TargetSpec.OpRule rule = spec.rule(op.name());
      if (rule == null) {
        claims.add(OpClaim.refused(op, spec.name() + " has no kernel for '" + op.name() + "' on the AI core or the AI-CPU (not in the spec's ops)"));
        continue;
      }
      if (AI_CPU.equals(rule.engine())) {
        claims.add(OpClaim.claimed(op, AI_CPU, Precision.FLOAT32).withNote("AI-CPU fallback in float32: the spec gives '" + op.name() + "' no AI-core kernel"));
        continue;
      }
      boolean quantized = isQuantized(op);
      if (op.is("quantize") || op.is("dequantize")) {
        claims.add(OpClaim.claimed(op, AI_CORE, Precision.INT8).withNote(op.is("quantize") ? "AscendQuant" : "AscendDequant"));
        continue;
      }
      String layer = op.location().primaryName();
      String fp16Why = null;
      if (!quantized) {
        fp16Why = "not quantized";
      } else if (!AMCT_KINDS.contains(op.name())) {
        fp16Why = "AMCT does not quantize '" + op.name() + "'";
      } else if (!rule.precisions().contains(Precision.INT8)) {
        fp16Why = "the spec gives '" + op.name() + "' no int8";
      } else if (org.npuc.interp.QuantizedKernels.lookup(op.name()) == null) {
        fp16Why = "npuc has no integer kernel for '" + op.name() + "' yet";
      } else if (op.is("matmul") && (op.attributes().getBool("transpose_a", false) || (op.attributes().getBool("transpose_b", false) && !op.operand(1).isConstant()))) {
        fp16Why = "AMCT quantizes MatMul only without transposes (a constant transposed weight is stored pre-transposed)";
      } else if (op.is("conv2d") && !isDepthwise(op) && rule.minInputChannelsInt8() > 0) {
        int cin = op.operand(1).type().dim(1);
        if (cin < rule.minInputChannelsInt8()) {
          boolean force = forceSmallCin || (layer != null && forced.contains(layer));
          String msg = "convolution " + op.location().describe() + " has Cin=" + cin + " <= " + (rule.minInputChannelsInt8() - 1);
          if (force) {
            ctx.warn(msg + ": forced to int8 by the user (AMCT advises float16 here)");
          } else {
            ctx.warn(msg + ": kept in float16 (int8 gains little and loses accuracy at so few input channels); force it with option force_int8: [" + layer + "] or force_int8_small_cin: true");
            fp16Why = "Cin=" + cin + " <= " + (rule.minInputChannelsInt8() - 1) + ": kept in float16";
          }
        }
      }
      if (fp16Why == null) {
        claims.add(OpClaim.claimed(op, AI_CORE, Precision.INT8));
      } else if (rule.precisions().contains(Precision.FLOAT16)) {
        claims.add(OpClaim.claimed(op, AI_CORE, Precision.FLOAT16).withNote("float16 on the AI core: " + fp16Why));
      } else {
        claims.add(OpClaim.claimed(op, AI_CPU, Precision.FLOAT32).withNote("AI-CPU fallback in float32: " + fp16Why + " and the spec gives it no float16"));
      }
    }
    return claims;
  }

  static boolean isQuantized(Operation op) {
    for (Value v : op.operands()) if (v.type().elementType().isQuantized()) return true;
    for (Value v : op.results()) if (v.type().elementType().isQuantized()) return true;
    return false;
  }

  static boolean isDepthwise(Operation op) {
    int group = op.attributes().getInt("group", 1);
    int[] xs = op.operand(0).type().shape();
    return group > 1 && xs.length == 4 && group == xs[1];
  }
}

package org.npuc.target.lower;

import java.util.List;
import org.npuc.ir.Operation;
import org.npuc.ir.Value;
import org.npuc.spi.Precision;
import org.npuc.spi.TargetSpec;

/**
 * Checks an op against its rule in a target spec (kernel sizes, strides, dilations, channel
 * counts) and picks its precision, so that backends give the same reasons for the same limits.
 */
public final class OpRules {
  private OpRules() {}

  /** True when an operand or result of {@code op} has a quantized element type. */
  public static boolean touchesQuantized(Operation op) {
    for (Value v : op.operands()) if (v.type().elementType().isQuantized()) return true;
    for (Value v : op.results()) if (v.type().elementType().isQuantized()) return true;
    return false;
  }

  /** Why {@code spec} cannot run {@code op}, or null when its rule allows it. */
  public static String refusal(Operation op, TargetSpec spec) {
    TargetSpec.OpRule r = spec.rule(op.name());
    if (r == null) return "op " + op.name() + " is not in the ops of target " + spec.name();
    if (r.precisions().isEmpty()) return "target " + spec.name() + " lists no precision for " + op.name();
    int[] kernel = kernel(op);
    if (r.kernelMax() > 0 && kernel != null && (kernel[0] > r.kernelMax() || kernel[1] > r.kernelMax())) {
      return "kernel " + kernel[0] + "x" + kernel[1] + " exceeds kernel_max " + r.kernelMax();
    }
    long[] strides = op.attributes().getLongs("strides", null);
    if (!r.strides().isEmpty() && strides != null) {
      for (long s : strides) if (!r.strides().contains(s)) return "stride " + s + " is not in the supported strides " + r.strides();
    }
    long[] dil = op.attributes().getLongs("dilations", null);
    if (!r.dilations().isEmpty() && dil != null) {
      for (long d : dil) if (!r.dilations().contains(d)) return "dilation " + d + " is not in the supported dilations " + r.dilations();
    }
    long cin = inputChannels(op);
    if (r.maxInputChannels() > 0 && cin > r.maxInputChannels()) return cin + " input channels exceed max_input_channels " + r.maxInputChannels();
    long cout = outputChannels(op);
    if (r.maxOutputChannels() > 0 && cout > r.maxOutputChannels()) return cout + " output channels exceed max_output_channels " + r.maxOutputChannels();
    return null;
  }

  /**
   * The precision {@code op} runs in under its rule: the first listed precision that fits (int8 only
   * for a quantized op), or null when none does.
   */
  public static Precision precision(Operation op, TargetSpec spec) {
    TargetSpec.OpRule r = spec.rule(op.name());
    if (r == null) return null;
    boolean q = touchesQuantized(op);
    List<Precision> ps = r.precisions();
    for (Precision p : ps) {
      if (p == Precision.INT8 && !q) continue;
      return p;
    }
    return null;
  }

  /** [kh, kw] of a convolution's weights or a pool's kernel attribute, else null. */
  public static int[] kernel(Operation op) {
    if ((op.is("conv2d") || op.is("deconv2d")) && op.numOperands() > 1 && op.operand(1).type().rank() == 4) {
      return new int[] {op.operand(1).type().dim(2), op.operand(1).type().dim(3)};
    }
    if ((op.is("max_pool") || op.is("avg_pool")) && !op.attributes().getBool("global", false)) {
      int[] k = op.attributes().getInts("kernel", null);
      if (k != null && k.length == 2) return k;
    }
    return null;
  }

  /** Input channels (dim 1 of operand 0) of a rank-4 op, else -1. */
  public static long inputChannels(Operation op) {
    if (op.numOperands() == 0 || op.operand(0).type().rank() != 4) return -1;
    return op.operand(0).type().dim(1);
  }

  /** Output channels (dim 1 of result 0) of a rank-4 op, else -1. */
  public static long outputChannels(Operation op) {
    if (op.numResults() == 0 || op.result(0).type().rank() != 4) return -1;
    return op.result(0).type().dim(1);
  }
}

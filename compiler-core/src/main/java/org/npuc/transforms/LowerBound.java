package org.npuc.transforms;

import org.npuc.ir.Operation;
import org.npuc.ir.Value;

/**
 * A lower bound on every element of a value, from the ops that compute it (a relu output is
 * {@code >= 0}), or −inf when nothing is known. Follows data movement and max pooling, which keep
 * the bound, a bounded number of steps back.
 */
final class LowerBound {
  private static final int MAX_STEPS = 16;

  private LowerBound() {}

  static double of(Value v) {
    return of(v, 0);
  }

  private static double of(Value v, int steps) {
    if (steps > MAX_STEPS) return Double.NEGATIVE_INFINITY;
    Operation op = v.definingOp();
    switch (op.name()) {
      case "relu", "relu6", "sigmoid", "exp", "abs", "square", "sqrt", "softmax":
        return 0;
      case "clip":
        return op.attributes().getDouble("min", Double.NEGATIVE_INFINITY);
      case "conv2d", "deconv2d", "matmul", "add", "sub", "mul":
        return ofAct(op);
      case "max_pool", "transpose", "reshape", "flatten", "squeeze", "unsqueeze", "slice", "identity", "split":
        return of(op.operand(0), steps + 1);
      case "concat": {
        double lo = Double.POSITIVE_INFINITY;
        for (Value x : op.operands()) lo = Math.min(lo, of(x, steps + 1));
        return lo;
      }
      default:
        return Double.NEGATIVE_INFINITY;
    }
  }

  private static double ofAct(Operation op) {
    return switch (op.attributes().getString("act", "none")) {
      case "relu", "relu6", "sigmoid" -> 0;
      case "clip" -> op.attributes().getDouble("act_min", Double.NEGATIVE_INFINITY);
      default -> Double.NEGATIVE_INFINITY;
    };
  }
}

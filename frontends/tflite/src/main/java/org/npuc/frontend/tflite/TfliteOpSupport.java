package org.npuc.frontend.tflite;

import org.npuc.ir.Attributes;

/**
 * Small facts the TFLite operator mapping needs: which options table each operator carries, fused
 * activation codes, TFLite's SAME padding split, and how NHWC axes land in NCHW.
 */
final class TfliteOpSupport {
  private TfliteOpSupport() {}

  /** NHWC axis i is NCHW axis NHWC_TO_NCHW_AXIS[i]. */
  static final int[] NHWC_TO_NCHW_AXIS = {0, 2, 3, 1};

  /** BuiltinOptions union index each operator's options must have (schema.fbs), or 0 for none. */
  static int expectedOptions(int code) {
    return switch (code) {
      case BuiltinOps.CONV_2D -> 1;
      case BuiltinOps.DEPTHWISE_CONV_2D -> 2;
      case BuiltinOps.AVERAGE_POOL_2D, BuiltinOps.MAX_POOL_2D -> 5;
      case BuiltinOps.FULLY_CONNECTED -> 8;
      case BuiltinOps.SOFTMAX -> 9;
      case BuiltinOps.CONCATENATION -> 10;
      case BuiltinOps.ADD -> 11;
      case BuiltinOps.RESIZE_BILINEAR -> 15;
      case BuiltinOps.RESHAPE -> 17;
      case BuiltinOps.MUL -> 21;
      case BuiltinOps.MEAN -> 27;
      case BuiltinOps.SUB -> 28;
      case BuiltinOps.SQUEEZE -> 30;
      default -> 0;
    };
  }

  /** The IR {@code act} for a fused activation code (clip bounds go into {@code a}). */
  static String act(int code, TfliteImporter im, TfliteModel.Operator op, Attributes a) {
    switch (code) {
      case 0: return "none";
      case 1: return "relu";
      case 2:
        a.set("act_min", -1.0).set("act_max", 1.0);
        return "clip";
      case 3: return "relu6";
      case 4: return "tanh";
      default: throw im.error(op, "fused activation function " + code + " (SIGN_BIT) is not supported");
    }
  }

  /** [before, after] padding of one spatial axis: SAME puts the odd pixel after, as TFLite. */
  static int[] samePads(int in, int k, int stride, int dil, boolean same) {
    int eff = (k - 1) * dil + 1;
    int out = same ? (in + stride - 1) / stride : (in - eff + stride) / stride;
    int total = Math.max((out - 1) * stride + eff - in, 0);
    return same ? new int[] {total / 2, total - total / 2} : new int[] {0, 0};
  }

  /** NCHW axes for NHWC {@code axes} of a rank-4 tensor, or null when removing them reorders the rest. */
  static int[] nchwAxes(int[] axes, boolean removed) {
    int[] r = new int[axes.length];
    boolean[] gone = new boolean[4];
    for (int i = 0; i < axes.length; i++) {
      int a = axes[i] < 0 ? axes[i] + 4 : axes[i];
      r[i] = NHWC_TO_NCHW_AXIS[a];
      gone[a] = true;
    }
    if (removed) {
      // The kept axes come out in NHWC order from TFLite and in NCHW order from npuc: same order?
      int prev = -1;
      for (int k = 0; k < 4; k++) {
        if (gone[k]) continue;
        if (NHWC_TO_NCHW_AXIS[k] < prev) return null;
        prev = NHWC_TO_NCHW_AXIS[k];
      }
    }
    java.util.Arrays.sort(r);
    return r;
  }
}

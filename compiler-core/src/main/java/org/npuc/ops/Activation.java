package org.npuc.ops;

import org.npuc.ir.Attributes;
import org.npuc.ir.IrException;

/**
 * The fused activation of {@code conv2d}, {@code deconv2d}, {@code matmul}, {@code add},
 * {@code sub} and {@code mul}: attribute {@code act} with {@code act_min}/{@code act_max} (clip)
 * and {@code act_alpha} (leaky_relu), applied in place to a kernel's output.
 */
public final class Activation {
  /** Every value {@code act} may take. */
  public static final String[] NAMES = {"none", "relu", "relu6", "clip", "leaky_relu", "sigmoid", "tanh", "hard_swish"};

  public static final Activation NONE = new Activation(0, 0, 0, 0);

  private final int kind;
  private final float lo;
  private final float hi;
  private final float alpha;

  private Activation(int kind, float lo, float hi, float alpha) {
    this.kind = kind;
    this.lo = lo;
    this.hi = hi;
    this.alpha = alpha;
  }

  /** Reads and checks the act attributes of {@code op}'s attribute set. */
  public static Activation of(String op, Attributes a) {
    String act = a.getString("act", "none");
    int kind = -1;
    for (int i = 0; i < NAMES.length; i++) if (NAMES[i].equals(act)) kind = i;
    if (kind < 0) {
      throw new IrException(op + ": attribute 'act': expected one of " + String.join(", ", NAMES) + ", got \"" + act + "\"");
    }
    if (kind == 0) return NONE;
    float lo = (float) a.getDouble("act_min", Double.NEGATIVE_INFINITY);
    float hi = (float) a.getDouble("act_max", Double.POSITIVE_INFINITY);
    if (kind == 3 && !(lo <= hi)) {
      throw new IrException(op + ": attributes 'act_min'/'act_max': expected act_min <= act_max, got " + lo + " > " + hi);
    }
    float alpha = (float) a.getDouble("act_alpha", 0.01);
    return new Activation(kind, lo, hi, alpha);
  }

  public boolean isNone() {
    return kind == 0;
  }

  public String name() {
    return NAMES[kind];
  }

  /** Applies the activation to {@code d[from, to)} in place. */
  public void apply(float[] d, int from, int to) {
    switch (kind) {
      case 0 -> {}
      case 1 -> {
        for (int i = from; i < to; i++) d[i] = Math.max(d[i], 0f);
      }
      case 2 -> {
        for (int i = from; i < to; i++) d[i] = Math.min(Math.max(d[i], 0f), 6f);
      }
      case 3 -> {
        for (int i = from; i < to; i++) d[i] = Math.min(Math.max(d[i], lo), hi);
      }
      case 4 -> {
        for (int i = from; i < to; i++) d[i] = d[i] >= 0 ? d[i] : alpha * d[i];
      }
      case 5 -> {
        for (int i = from; i < to; i++) d[i] = sigmoid(d[i]);
      }
      case 6 -> {
        for (int i = from; i < to; i++) d[i] = (float) Math.tanh(d[i]);
      }
      case 7 -> {
        for (int i = from; i < to; i++) d[i] = hardSwish(d[i]);
      }
      default -> throw new IllegalStateException("activation " + kind);
    }
  }

  public void apply(float[] d) {
    apply(d, 0, d.length);
  }

  public static float sigmoid(float x) {
    return (float) (1.0 / (1.0 + Math.exp(-x)));
  }

  public static float hardSwish(float x) {
    return x * Math.min(Math.max(x + 3f, 0f), 6f) / 6f;
  }
}

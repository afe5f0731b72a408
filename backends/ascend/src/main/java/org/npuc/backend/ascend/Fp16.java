package org.npuc.backend.ascend;

import org.npuc.ir.Half;

/**
 * Binary16 arithmetic as the simulator models the AI core's vector and cube units: values are
 * stored as fp16, every op's result is rounded to fp16 (round half to even), and the cube unit's
 * dot products accumulate fp16 x fp16 products (exact in fp32) in fp32 before the final rounding.
 */
public final class Fp16 {
  private Fp16() {}

  /** {@code f} rounded to the nearest binary16 value, as a float. */
  public static float round(float f) {
    return Half.toFloat(Half.fromFloat(f));
  }

  public static int bits(float f) {
    return Half.fromFloat(f);
  }

  public static float value(int bits) {
    return Half.toFloat(bits);
  }

  /** Every element rounded to binary16. */
  public static float[] round(float[] a) {
    float[] r = new float[a.length];
    for (int i = 0; i < a.length; i++) r[i] = round(a[i]);
    return r;
  }

  public static int[] toBits(float[] a) {
    int[] r = new int[a.length];
    for (int i = 0; i < a.length; i++) r[i] = Half.fromFloat(a[i]);
    return r;
  }

  public static float[] fromBits(int[] a) {
    float[] r = new float[a.length];
    for (int i = 0; i < a.length; i++) r[i] = Half.toFloat(a[i]);
    return r;
  }

  /**
   * A fused activation on an fp16 value, rounded to fp16: relu/relu6/clip are exact; the others
   * are computed in float and rounded once.
   */
  public static float activate(float v, String act, float lo, float hi, float alpha) {
    float r =
        switch (act) {
          case "none" -> v;
          case "relu" -> Math.max(v, 0f);
          case "relu6" -> Math.min(Math.max(v, 0f), 6f);
          case "clip" -> Math.min(Math.max(v, lo), hi);
          case "leaky_relu" -> v >= 0 ? v : round(alpha) * v;
          case "sigmoid" -> (float) (1 / (1 + Math.exp(-v)));
          case "tanh" -> (float) Math.tanh(v);
          case "hard_swish" -> v * Math.min(Math.max(v + 3f, 0f), 6f) / 6f;
          default -> throw new IllegalArgumentException("unknown fused activation '" + act + "'");
        };
    return round(r);
  }
}

package org.npuc.quant;

/**
 * TensorFlow's FakeQuant range nudging: moves [min, max] so that real zero is exactly
 * representable, giving the scale and zero point a FakeQuant node stands for. Follows the
 * formulas of TF's fake_quant_ops_functor (computed in float, as TF does).
 *
 * <pre>
 * quant_min = narrow_range ? 1 : 0,  quant_max = 2^num_bits - 1
 * scale = (max - min) / (quant_max - quant_min)
 * zero_point_from_min = quant_min - min / scale
 * nudged_zp = zero_point_from_min &lt; quant_min ? quant_min
 *           : zero_point_from_min &gt; quant_max ? quant_max : round(zero_point_from_min)
 * nudged_min = (quant_min - nudged_zp) * scale,  nudged_max = (quant_max - nudged_zp) * scale
 * </pre>
 */
public record FakeQuantNudge(float scale, int zeroPoint, float nudgedMin, float nudgedMax, int quantMin, int quantMax) {

  public static FakeQuantNudge of(float min, float max, int numBits, boolean narrowRange) {
    if (numBits < 2 || numBits > 16) throw new IllegalArgumentException("num_bits must be in [2, 16], got " + numBits);
    if (!(min < max)) throw new IllegalArgumentException("FakeQuant needs min < max, got [" + min + ", " + max + "]");
    int quantMin = narrowRange ? 1 : 0;
    int quantMax = (1 << numBits) - 1;
    float quantMinF = quantMin;
    float quantMaxF = quantMax;
    float scale = (max - min) / (quantMaxF - quantMinF);
    float zeroPointFromMin = quantMinF - min / scale;
    int nudgedZp;
    if (zeroPointFromMin < quantMinF) {
      nudgedZp = quantMin;
    } else if (zeroPointFromMin > quantMaxF) {
      nudgedZp = quantMax;
    } else {
      nudgedZp = Math.round(zeroPointFromMin); // std::round: half away from zero; zp is >= 0 here
    }
    float nudgedMin = (quantMinF - nudgedZp) * scale;
    float nudgedMax = (quantMaxF - nudgedZp) * scale;
    return new FakeQuantNudge(scale, nudgedZp, nudgedMin, nudgedMax, quantMin, quantMax);
  }

  /** The fake-quantized value of {@code x}: clamp to the nudged range, snap to the grid. */
  public float apply(float x) {
    float clamped = Math.min(Math.max(x, nudgedMin), nudgedMax);
    float invScale = 1.0f / scale;
    float q = (float) Math.floor((clamped - nudgedMin) * invScale + 0.5f);
    return q * scale + nudgedMin;
  }
}

package org.npuc.quant.kernels;

import org.npuc.ir.Operation;
import org.npuc.ir.Tensor;
import org.npuc.ir.type.UniformQuantType;
import org.npuc.quant.FixedPoint;

/**
 * Integer {@code hard_swish} as TFLite's reference {@code HardSwish}: int16 fixed point, the input
 * moved to a "hi-res" scale (·2^7), a relu-ish factor in [0, 1] from rescaling [-3, 3] to the int16
 * range, and a truncating doubling high multiply to cancel the rounding biases, then the output
 * shift and zero point. Multipliers are computed in float and cut to 16 bits as TFLite's Prepare.
 */
public final class HardSwishKernel {
  private HardSwishKernel() {}

  /** gemmlowp's 16-bit SaturatingRoundingDoublingHighMul. */
  static short srdhm16(short a, short b) {
    if (a == Short.MIN_VALUE && b == Short.MIN_VALUE) return Short.MAX_VALUE;
    int ab = a * b;
    int nudge = ab >= 0 ? (1 << 14) : (1 - (1 << 14));
    return (short) ((ab + nudge) / (1 << 15));
  }

  /** TFLite's SaturatingDoublingHighMul (truncating, like SQDMULH). */
  static short sdhm16(short a, short b) {
    if (a == Short.MIN_VALUE && b == Short.MIN_VALUE) return Short.MAX_VALUE;
    return (short) ((a * b) / (1 << 15));
  }

  static short saturatingLeftShift(short v, int amount) {
    long r = (long) v * (1L << amount);
    return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, r));
  }

  /** TFLite's DownScaleInt32ToInt16Multiplier. */
  static short downScale(int m) {
    final int rounding = 1 << 15;
    if (m >= Integer.MAX_VALUE - rounding) return Short.MAX_VALUE;
    return (short) ((m + rounding) >> 16);
  }

  public static Tensor[] hardSwish(Operation op, Tensor[] in) {
    UniformQuantType ti = QuantSupport.uniform(op, in[0], "the input");
    UniformQuantType to = QuantSupport.resultUniform(op, 0);
    float inputScale = (float) ti.scale();
    float hiresInputScale = (1.0f / 128.0f) * inputScale;
    float reluishScale = 3.0f / 32768.0f;
    float outputScale = (float) to.scale();
    FixedPoint.Multiplier om = FixedPoint.quantizeMultiplier(hiresInputScale / outputScale);
    short outMult = downScale(om.multiplier());
    int outExp = om.shift();
    if (outExp > 0) {
      throw new org.npuc.ir.IrException(op, "hard_swish: output scale too small for TFLite's kernel (needs input_scale/128 <= output_scale)");
    }
    FixedPoint.Multiplier rm = FixedPoint.quantizeMultiplier(hiresInputScale / reluishScale);
    short reluMult = downScale(rm.multiplier());
    int reluExp = rm.shift();
    int zi = (int) ti.zeroPoint();
    int zo = (int) to.zeroPoint();
    int lo = (int) to.storageMin();
    int hi = (int) to.storageMax();
    int[] xs = in[0].ints();
    int[] out = new int[xs.length];
    for (int i = 0; i < xs.length; i++) {
      short input = (short) (xs[i] - zi);
      short hires = (short) (input * (1 << 7));
      short preshift = srdhm16(hires, outMult);
      short reluish = hires;
      if (reluExp > 0) reluish = saturatingLeftShift(reluish, reluExp - 1);
      reluish = srdhm16(reluish, reluMult);
      if (reluExp > 0) reluish = saturatingLeftShift(reluish, 1);
      if (reluExp < 0) reluish = (short) FixedPoint.roundingDivideByPOT(reluish, -reluExp);
      reluish = (short) ((reluish + (1 << 15)) >> 1);
      short preshiftOut = sdhm16(reluish, preshift);
      short v = (short) FixedPoint.roundingDivideByPOT(preshiftOut, -outExp);
      v = (short) (v + zo);
      out[i] = FixedPoint.clamp(v, lo, hi);
    }
    return new Tensor[] {QuantSupport.result(op, 0, in[0].shape(), out)};
  }
}

package org.npuc.quant;

import java.util.Arrays;
import org.npuc.ir.Attributes;
import org.npuc.ir.type.ElementType;
import org.npuc.ir.type.UniformPerAxisType;
import org.npuc.ir.type.UniformQuantType;

/**
 * The per-channel requantization of an int8 convolution or fully-connected layer, computed at
 * compile time so that a backend can carry it in its commands (as an NPU's requant registers
 * would), with the integer reference kernels' rules ({@code org.npuc.quant.kernels.ConvKernels}): per-tensor weights use the Q31 multiplier with single rounding; per-channel weights use
 * the fp32 scale {@code (float)s_x·(float)s_w[c]/(float)s_out} and round half to even; then the
 * output zero point and the fused activation's clamp (TFLite's {@code
 * CalculateActivationRangeQuantized}).
 */
public record ConvRequant(int inputZeroPoint, int outputZeroPoint, int[] multipliers, int[] shifts, float[] fp32Scales, int actMin, int actMax) {

  /** Attribute keys the command stream uses. */
  public static final String X_ZP = "x_zp";

  public static final String OUT_ZP = "out_zp";
  public static final String MULT = "requant_multiplier";
  public static final String SHIFT = "requant_shift";
  public static final String FP32 = "requant_fp32";
  public static final String ACT_RANGE = "act_range";

  /** From the op's types: input x, weights w (per tensor or per axis 0), output, and the act attributes. */
  public static ConvRequant of(UniformQuantType x, ElementType w, int channels, UniformQuantType out, Attributes attrs) {
    double[] ws = new double[channels];
    if (w instanceof UniformQuantType u) Arrays.fill(ws, u.scale());
    else if (w instanceof UniformPerAxisType p) for (int c = 0; c < channels; c++) ws[c] = p.scale(c);
    else throw new IllegalArgumentException("weights are not quantized: " + w.toText());
    int[] m = new int[channels];
    int[] s = new int[channels];
    float[] f = null;
    for (int c = 0; c < channels; c++) {
      FixedPoint.Multiplier q = FixedPoint.quantizeMultiplier(x.scale() * ws[c] / out.scale());
      m[c] = q.multiplier();
      s[c] = q.shift();
    }
    if (w instanceof UniformPerAxisType) {
      f = new float[channels];
      for (int c = 0; c < channels; c++) f[c] = (float) x.scale() * (float) ws[c] / (float) out.scale();
    }
    int[] act = activationRange(attrs, out);
    return new ConvRequant((int) x.zeroPoint(), (int) out.zeroPoint(), m, s, f, act[0], act[1]);
  }

  /** The clamp range of the fused activation on the output's stored integers. */
  public static int[] activationRange(Attributes a, UniformQuantType out) {
    int qmin = (int) out.storageMin();
    int qmax = (int) out.storageMax();
    String act = a.getString("act", "none");
    return switch (act) {
      case "none" -> new int[] {qmin, qmax};
      case "relu" -> new int[] {Math.max(qmin, bound(out, 0f)), qmax};
      case "relu6" -> new int[] {Math.max(qmin, bound(out, 0f)), Math.min(qmax, bound(out, 6f))};
      case "clip" -> {
        float lo = a.getFloat("act_min", Float.NEGATIVE_INFINITY);
        float hi = a.getFloat("act_max", Float.POSITIVE_INFINITY);
        yield new int[] {Float.isInfinite(lo) ? qmin : Math.max(qmin, bound(out, lo)), Float.isInfinite(hi) ? qmax : Math.min(qmax, bound(out, hi))};
      }
      default -> throw new IllegalArgumentException("fused activation '" + act + "' has no int8 form");
    };
  }

  private static int bound(UniformQuantType t, float f) {
    return (int) t.zeroPoint() + (int) FixedPoint.roundHalfAway(f / (float) t.scale());
  }

  /** The stored int8 output for accumulator {@code acc} (bias included) of channel {@code c}. */
  public int apply(int acc, int c) {
    int v = fp32Scales != null ? (int) Math.rint((float) acc * fp32Scales[c]) : FixedPoint.multiplyByQuantizedMultiplierSingleRounding(acc, new FixedPoint.Multiplier(multipliers[c], shifts[c]));
    return FixedPoint.clamp(v + outputZeroPoint, actMin, actMax);
  }

  /** Writes these parameters into command attributes. */
  public Attributes writeTo(Attributes a) {
    a.set(X_ZP, (long) inputZeroPoint).set(OUT_ZP, (long) outputZeroPoint).set(MULT, longs(multipliers)).set(SHIFT, longs(shifts)).set(ACT_RANGE, new long[] {actMin, actMax});
    if (fp32Scales != null) {
      double[] d = new double[fp32Scales.length];
      for (int i = 0; i < d.length; i++) d[i] = fp32Scales[i];
      a.set(FP32, d);
    }
    return a;
  }

  /** Reads them back from a command's attributes. */
  public static ConvRequant readFrom(Attributes a) {
    int[] m = a.getInts(MULT);
    float[] f = null;
    if (a.has(FP32)) {
      double[] d = a.getDoubles(FP32, null);
      f = new float[d.length];
      for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
    }
    int[] act = a.getInts(ACT_RANGE);
    return new ConvRequant(a.getInt(X_ZP), a.getInt(OUT_ZP), m, a.getInts(SHIFT), f, act[0], act[1]);
  }

  private static long[] longs(int[] v) {
    long[] r = new long[v.length];
    for (int i = 0; i < v.length; i++) r[i] = v[i];
    return r;
  }
}

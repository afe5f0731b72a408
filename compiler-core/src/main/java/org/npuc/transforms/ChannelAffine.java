package org.npuc.transforms;

import java.util.Set;
import org.npuc.ir.Attributes;
import org.npuc.ir.Operation;
import org.npuc.ir.Tensor;
import org.npuc.ir.Value;
import org.npuc.ir.type.TensorType;

/**
 * A per-channel affine map {@code y·mul[c] + add[c]} that one op applies to one of its operands
 * along a channel axis: {@code batch_norm}, {@code scale}, {@code bias_add}, or {@code add},
 * {@code sub}, {@code mul}, {@code div} with a knowable operand that varies along that axis only
 * (the Mul/Add and Sub/Rsqrt forms of an unfused batch norm). Also carries the fused activation of
 * an {@code add}/{@code sub}/{@code mul}, which applies after the affine map.
 */
final class ChannelAffine {
  final Operation op;
  final double[] mul;
  final double[] add;
  /** {@code act}, {@code act_min}, {@code act_max}, {@code act_alpha} of the op, or null for none. */
  final Attributes act;

  private ChannelAffine(Operation op, double[] mul, double[] add, Attributes act) {
    this.op = op;
    this.mul = mul;
    this.add = add;
    this.act = act;
  }

  /** The identity map on {@code channels} channels (used to merge a chain step by step). */
  static ChannelAffine identity(Operation op, int channels) {
    double[] m = new double[channels];
    java.util.Arrays.fill(m, 1.0);
    return new ChannelAffine(op, m, new double[channels], null);
  }

  /** This map followed by {@code next}: {@code (y·m1 + a1)·m2 + a2}. */
  ChannelAffine then(ChannelAffine next) {
    double[] m = new double[mul.length];
    double[] a = new double[mul.length];
    for (int c = 0; c < m.length; c++) {
      m[c] = mul[c] * next.mul[c];
      a[c] = add[c] * next.mul[c] + next.add[c];
    }
    return new ChannelAffine(next.op, m, a, next.act);
  }

  boolean isUniformMul() {
    for (double m : mul) if (m != mul[0]) return false;
    return true;
  }

  boolean hasMul() {
    for (double m : mul) if (m != 1.0) return true;
    return false;
  }

  /**
   * The affine map {@code u} applies to its operand {@code x} along {@code axis} of x's
   * {@code channels} channels, or null when u is not one of {@code kinds} or not such a map.
   */
  static ChannelAffine match(Operation u, Value x, int axis, int channels, ConstantValues known, Set<String> kinds) {
    if (!kinds.contains(u.name()) || u.numResults() != 1 || channels < 1) return null;
    TensorType xt = x.type();
    if (!sameShape(u.result().type(), xt)) return null;
    int rank = xt.rank();
    switch (u.name()) {
      case "batch_norm": {
        if (u.operand(0) != x || normAxis(u.attributes().getLong("axis", 1), rank) != axis) return null;
        double eps = u.attributes().getDouble("epsilon", 1e-5);
        double[] g = vector(known.floats(u.operand(1)), channels);
        double[] b = vector(known.floats(u.operand(2)), channels);
        double[] mean = vector(known.floats(u.operand(3)), channels);
        double[] var = vector(known.floats(u.operand(4)), channels);
        if (g == null || b == null || mean == null || var == null) return null;
        double[] m = new double[channels];
        double[] a = new double[channels];
        for (int c = 0; c < channels; c++) {
          m[c] = g[c] / Math.sqrt(var[c] + eps);
          a[c] = b[c] - mean[c] * m[c];
        }
        return new ChannelAffine(u, m, a, null);
      }
      case "scale": {
        if (u.operand(0) != x || normAxis(u.attributes().getLong("axis", 1), rank) != axis) return null;
        double[] s = vector(known.floats(u.operand(1)), channels);
        double[] b = u.numOperands() > 2 ? vector(known.floats(u.operand(2)), channels) : new double[channels];
        if (s == null || b == null || u.operand(1).type().rank() != 1) return null;
        return new ChannelAffine(u, s, b, null);
      }
      case "bias_add": {
        if (u.operand(0) != x || normAxis(u.attributes().getLong("axis", 1), rank) != axis) return null;
        double[] b = vector(known.floats(u.operand(1)), channels);
        if (b == null) return null;
        return identity(u, channels).withAdd(b);
      }
      default:
        return binary(u, x, axis, channels, known);
    }
  }

  private static ChannelAffine binary(Operation u, Value x, int axis, int channels, ConstantValues known) {
    if (u.numOperands() != 2) return null;
    int side = u.operand(0) == x ? 0 : u.operand(1) == x ? 1 : -1;
    if (side < 0 || u.operand(1 - side) == x) return null;
    Tensor c = known.floats(u.operand(1 - side));
    double[] v = perChannel(c, x.type().rank(), axis, channels);
    if (v == null) return null;
    double[] m = new double[channels];
    double[] a = new double[channels];
    switch (u.name()) {
      case "add" -> {
        java.util.Arrays.fill(m, 1.0);
        a = v;
      }
      case "sub" -> {
        for (int k = 0; k < channels; k++) {
          m[k] = side == 0 ? 1.0 : -1.0;
          a[k] = side == 0 ? -v[k] : v[k];
        }
      }
      case "mul" -> m = v;
      case "div" -> {
        if (side != 0) return null; // c / y is not affine in y
        for (int k = 0; k < channels; k++) m[k] = 1.0 / v[k];
      }
      default -> {
        return null;
      }
    }
    return new ChannelAffine(u, m, a, activation(u.attributes()));
  }

  private ChannelAffine withAdd(double[] a) {
    return new ChannelAffine(op, mul, a, act);
  }

  /** The fused-activation attributes of an op, or null when it has none. */
  static Attributes activation(Attributes a) {
    String act = a.getString("act", "none");
    if (act.equals("none")) return null;
    Attributes r = Attributes.of("act", act);
    for (String k : new String[] {"act_min", "act_max", "act_alpha"}) if (a.has(k)) r.set(k, a.get(k));
    return r;
  }

  /**
   * The per-channel values of a tensor that broadcasts against a rank-{@code rank} tensor and
   * varies along {@code axis} only ({@code [C,1,1]}, {@code [1,C,1,1]}, {@code [C]} for the last
   * axis, a scalar...), or null.
   */
  static double[] perChannel(Tensor t, int rank, int axis, int channels) {
    if (t == null || t.rank() > rank) return null;
    int[] s = t.shape();
    int offset = rank - s.length;
    int varying = -1;
    for (int i = 0; i < s.length; i++) {
      if (s[i] == 1) continue;
      if (i + offset != axis || s[i] != channels) return null;
      varying = i;
    }
    double[] r = new double[channels];
    float[] f = t.floats();
    for (int c = 0; c < channels; c++) r[c] = f[varying < 0 ? 0 : c];
    return r;
  }

  /** A rank-1 vector of {@code channels} floats (or a single value, broadcast), else null. */
  static double[] vector(Tensor t, int channels) {
    if (t == null || t.rank() != 1 || (t.dim(0) != channels && t.dim(0) != 1)) return null;
    double[] r = new double[channels];
    for (int c = 0; c < channels; c++) r[c] = t.floats()[t.dim(0) == 1 ? 0 : c];
    return r;
  }

  static int normAxis(long axis, int rank) {
    return (int) (axis < 0 ? axis + rank : axis);
  }

  static boolean sameShape(TensorType a, TensorType b) {
    return java.util.Arrays.equals(a.shape(), b.shape());
  }
}

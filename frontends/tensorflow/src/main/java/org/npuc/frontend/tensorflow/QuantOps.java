package org.npuc.frontend.tensorflow;

import java.util.List;
import java.util.Map;
import org.npuc.ir.Attributes;
import org.npuc.ir.Tensor;
import org.npuc.ir.Value;

/**
 * TensorFlow's FakeQuant ops become the core {@code fake_quant} op with min/max, num_bits and
 * narrow_range kept exactly (nudging happens where the range is used), and the per-channel axis
 * moved to where the IR holds the last TensorFlow axis. The TfValue remembers the FakeQuant so that
 * weights behind it can be re-laid out (HWIO → OIHW) with the FakeQuant moved along.
 */
final class QuantOps {
  private QuantOps() {}

  static void register(Map<String, OpConverter> t) {
    t.put(
        "FakeQuantWithMinMaxArgs",
        (ctx, n, a, in) -> {
          float min = a.real("min", -6f), max = a.real("max", 6f);
          return Results.one(
              fakeQuant(ctx, a, in.get(0), new double[] {min}, new double[] {max}, false));
        });
    t.put(
        "FakeQuantWithMinMaxVars",
        (ctx, n, a, in) -> {
          double[][] mm = minMax(ctx, in);
          if (mm[0].length != 1) throw ctx.error("min and max must be scalars");
          return Results.one(fakeQuant(ctx, a, in.get(0), mm[0], mm[1], false));
        });
    t.put(
        "FakeQuantWithMinMaxVarsPerChannel",
        (ctx, n, a, in) -> {
          double[][] mm = minMax(ctx, in);
          TfValue x = in.get(0);
          int depth = x.rank() > 0 ? x.shape[x.rank() - 1] : -1;
          if (depth >= 0 && mm[0].length != depth)
            throw ctx.error(
                "min/max have " + mm[0].length + " entries, the last dimension has " + depth);
          return Results.one(fakeQuant(ctx, a, x, mm[0], mm[1], true));
        });
  }

  private static double[][] minMax(ImportContext ctx, List<TfValue> in) {
    if (in.size() < 3) throw ctx.error("expected inputs (x, min, max)");
    Tensor mn = ctx.requireConstant(in.get(1), "min");
    Tensor mx = ctx.requireConstant(in.get(2), "max");
    if (mn.size() != mx.size()) throw ctx.error("min and max differ in size");
    double[] a = new double[mn.size()], b = new double[mx.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = mn.getFloat(i);
      b[i] = mx.getFloat(i);
    }
    return new double[][] {a, b};
  }

  private static TfValue fakeQuant(
      ImportContext ctx, Attrs a, TfValue x, double[] min, double[] max, boolean perChannel) {
    int bits = (int) a.integer("num_bits", 8);
    if (bits < 2 || bits > 16) throw ctx.error("num_bits must be in [2, 16], got " + bits);
    for (int i = 0; i < min.length; i++) {
      if (!(min[i] < max[i]))
        throw ctx.error(
            "min "
                + min[i]
                + " must be below max "
                + max[i]
                + (min.length > 1 ? " for channel " + i : ""));
    }
    boolean narrow = a.bool("narrow_range", false);
    Attributes logical =
        perChannel
            ? Attributes.of("min", min, "max", max, "num_bits", bits, "narrow_range", narrow)
            : Attributes.of("min", min[0], "max", max[0], "num_bits", bits, "narrow_range", narrow);
    if (perChannel) {
      if (x.rank() < 1) throw ctx.error("per-channel FakeQuant needs a tensor of rank >= 1");
      logical.set("axis", x.rank() - 1);
    }
    TfValue r;
    if (x.preferNchw()) {
      Attributes at = new Attributes(logical);
      if (perChannel) at.set("axis", 1); // TF's last axis (C) is axis 1 in NCHW
      Value v = ctx.nchw(x);
      r = Results.nchw(ctx, ctx.emit("fake_quant", List.of(v), at, v.type().shape(), x.type));
    } else {
      Value v = ctx.plain(x);
      r = Results.plain(ctx, ctx.emit("fake_quant", List.of(v), logical, v.type().shape(), x.type));
    }
    r.fakeQuantSource = x;
    r.fakeQuantAttrs = logical;
    return r;
  }
}

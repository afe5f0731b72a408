package org.npuc.transforms;

import java.util.List;
import org.npuc.ir.Attributes;
import org.npuc.ir.Graph;
import org.npuc.ir.Location;
import org.npuc.ir.Operation;
import org.npuc.pass.Pass;
import org.npuc.pass.PassContext;
import org.npuc.pass.PassOption;
import org.npuc.pass.Statistic;
import org.npuc.quant.FakeQuantNudge;

/**
 * Moves a standalone activation ({@code relu}, {@code relu6}, {@code clip}, {@code leaky_relu} by
 * default) into the {@code act} attribute of the {@code conv2d}, {@code deconv2d}, {@code matmul}
 * or (option {@code add}) {@code add} that computes its input, when that op's result has no other
 * reader. Also across the fake_quant of a QAT graph: {@code conv → fake_quant → relu6} becomes
 * {@code conv{act=relu6} → fake_quant} when the activation's bounds lie on the fake_quant grid or
 * outside its range (then clamping before or after snapping is the same), so the fake_quant range
 * ends up on the fused op's output. Likewise across a {@code max_pool} for nondecreasing activations
 * ({@code conv → max_pool → relu} is {@code conv{act=relu} → max_pool}, since the max of activated
 * values is the activated max). Clamps compose ({@code relu} then {@code relu6} is
 * {@code relu6}); anything else already fused stays, with a remark.
 */
public final class FuseActivationsPass extends Pass {
  private static final List<String> CLAMPS = List.of("relu", "relu6", "clip");

  private final PassOption<Boolean> fuseAdd =
      boolOption("add", true, "also fuse into add (false leaves the activation to the backend, e.g. for a target that cannot fuse it)");
  private final PassOption<List<String>> activations =
      stringListOption("activation", List.of("relu", "relu6", "clip", "leaky_relu"),
          "activation ops to fuse (repeatable): relu, relu6, clip, leaky_relu, sigmoid, tanh, hard_swish");
  private final Statistic fused = statistic("fused", "activations fused into the op before them");
  private final Statistic acrossFakeQuant = statistic("across_fake_quant", "of which across a fake_quant");
  private final Statistic acrossMaxPool = statistic("across_max_pool", "of which across a max_pool (conv → max_pool → relu)");

  public FuseActivationsPass() {
    super("fuse_activations", "fuse relu/relu6/clip/leaky_relu into the conv2d/deconv2d/matmul/add before them as act, also across a QAT fake_quant");
  }

  @Override
  public void checkOptions() {
    for (String a : activations.get()) {
      if (!List.of("relu", "relu6", "clip", "leaky_relu", "sigmoid", "tanh", "hard_swish").contains(a)) {
        throw new org.npuc.diag.UserError("fuse_activations: activation=" + a + " cannot be fused; fusable: relu, relu6, clip, leaky_relu, sigmoid, tanh, hard_swish");
      }
    }
  }

  @Override
  public boolean run(Graph graph, PassContext context) {
    long before = fused.value();
    for (Operation a : graph.ops()) {
      if (a.graph() != graph || !activations.get().contains(a.name())) continue;
      Operation p = a.operand(0).definingOp();
      Operation fq = null;
      if (p.is("fake_quant") || (p.is("max_pool") && monotone(a))) {
        fq = p;
        p = fq.operand(0).definingOp();
      }
      if (!isTarget(p)) continue;
      String why = refusal(p, fq, a);
      if (why != null) {
        context.remark(name(), a, "not fused into " + p.name() + " " + p.location().describe() + ": " + why);
        continue;
      }
      Attributes act = combined(p.attributes(), a);
      if (act == null) {
        context.remark(name(), a, "not fused: " + p.name() + " " + p.location().describe() + " already applies act="
            + p.attributes().getString("act", "none") + ", which does not combine with " + a.name());
        continue;
      }
      for (String k : List.of("act", "act_min", "act_max", "act_alpha")) p.attributes().remove(k);
      if (fq == null) {
        WeightFolding.absorb(graph, p, a, act);
      } else {
        for (String k : act.keys()) p.attributes().set(k, act.get(k));
        p.setLocation(Location.fused(p.location(), a.location()));
        graph.replace(a, List.of(fq.result()));
        if (fq.is("max_pool")) acrossMaxPool.increment();
        else acrossFakeQuant.increment();
      }
      fused.increment();
    }
    return fused.value() > before;
  }

  /** Nondecreasing activations, which commute with max pooling. */
  private static boolean monotone(Operation a) {
    return CLAMPS.contains(a.name()) || a.is("sigmoid") || a.is("tanh") || (a.is("leaky_relu") && a.attributes().getDouble("alpha", 0.01) >= 0);
  }

  private boolean isTarget(Operation p) {
    return p.is("conv2d") || p.is("deconv2d") || p.is("matmul") || p.is("add");
  }

  private String refusal(Operation p, Operation fq, Operation a) {
    if (p.result().type().elementType().isQuantized() || a.result().type().elementType().isQuantized()) {
      return "it computes on quantized integers; the activation's own output type would be lost";
    }
    if (p.is("add") && !fuseAdd.get()) return "fusion into add is disabled (fuse_activations(add=false))";
    if (p.result().numUses() != 1) return "its result has " + p.result().numUses() + " readers, which need it without the activation";
    if (fq != null && fq.is("max_pool")) {
      // A nondecreasing activation commutes with a max: max(f(window)) = f(max(window)).
      if (fq.result().numUses() != 1) return "the max_pool between them has " + fq.result().numUses() + " readers";
    } else if (fq != null) {
      if (fq.result().numUses() != 1) return "the fake_quant between them has " + fq.result().numUses() + " readers";
      if (!CLAMPS.contains(a.name())) return a.name() + " does not commute with the fake_quant before it";
      double[] b = bounds(a.name(), a.attributes(), "min", "max");
      for (FakeQuantNudge q : nudges(fq.attributes())) {
        if (!commutes(b[0], q, true) || !commutes(b[1], q, false)) {
          return "its bound " + (commutes(b[0], q, true) ? b[1] : b[0]) + " is neither on the fake_quant grid nor outside its range ["
              + q.nudgedMin() + ", " + q.nudgedMax() + "], so clamping before and after quantizing differ";
        }
      }
    }
    return null;
  }

  /** True when clamping at {@code bound} commutes with the fake_quant {@code q}. */
  private static boolean commutes(double bound, FakeQuantNudge q, boolean lower) {
    if (Double.isInfinite(bound)) return true;
    if (lower ? bound <= q.nudgedMin() : bound >= q.nudgedMax()) return true;
    return bound >= q.nudgedMin() && bound <= q.nudgedMax() && q.apply((float) bound) == (float) bound;
  }

  private static FakeQuantNudge[] nudges(Attributes a) {
    double[] min = a.getDoubles("min", null);
    double[] max = a.getDoubles("max", null);
    FakeQuantNudge[] r = new FakeQuantNudge[min.length];
    for (int i = 0; i < r.length; i++) {
      r[i] = FakeQuantNudge.of((float) min[i], (float) max[i], a.getInt("num_bits", 8), a.getBool("narrow_range", false));
    }
    return r;
  }

  /** The act attributes of p followed by activation op a, or null when they do not combine. */
  private static Attributes combined(Attributes p, Operation a) {
    String have = p.getString("act", "none");
    if (have.equals("none")) {
      Attributes r = Attributes.of("act", a.name());
      if (a.is("clip")) setBounds(r, bounds("clip", a.attributes(), "min", "max"));
      if (a.is("leaky_relu")) r.set("act_alpha", a.attributes().getDouble("alpha", 0.01));
      return r;
    }
    if (!CLAMPS.contains(have) || !CLAMPS.contains(a.name())) return null;
    double[] first = bounds(have, p, "act_min", "act_max");
    double[] second = bounds(a.name(), a.attributes(), "min", "max");
    double lo = clamp(first[0], second[0], second[1]);
    double hi = clamp(first[1], second[0], second[1]);
    if (lo == 0 && hi == Double.POSITIVE_INFINITY) return Attributes.of("act", "relu");
    if (lo == 0 && hi == 6) return Attributes.of("act", "relu6");
    Attributes r = Attributes.of("act", "clip");
    setBounds(r, new double[] {lo, hi});
    return r;
  }

  private static void setBounds(Attributes r, double[] b) {
    if (b[0] != Double.NEGATIVE_INFINITY) r.set("act_min", b[0]);
    if (b[1] != Double.POSITIVE_INFINITY) r.set("act_max", b[1]);
  }

  private static double clamp(double v, double lo, double hi) {
    return Math.min(Math.max(v, lo), hi);
  }

  /** [lower, upper] of a clamp activation, from its op or act attributes. */
  private static double[] bounds(String kind, Attributes a, String minKey, String maxKey) {
    return switch (kind) {
      case "relu" -> new double[] {0, Double.POSITIVE_INFINITY};
      case "relu6" -> new double[] {0, 6};
      default -> new double[] {a.getDouble(minKey, Double.NEGATIVE_INFINITY), a.getDouble(maxKey, Double.POSITIVE_INFINITY)};
    };
  }
}

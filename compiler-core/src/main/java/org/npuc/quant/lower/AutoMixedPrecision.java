package org.npuc.quant.lower;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.npuc.interp.Interpreter;
import org.npuc.ir.Graph;
import org.npuc.ir.Operation;
import org.npuc.ir.Tensor;
import org.npuc.quant.calib.CalibrationTable;

/**
 * {@code --auto-mixed-precision COS}: finds the fewest layers to keep in float so that the graph
 * outputs reach cosine similarity COS against the float graph on the given samples. Each quantized
 * compute layer is first measured alone in float (its sensitivity: how much the output cosine
 * recovers); layers are then moved to float in that order, most helpful first, until COS is reached.
 * The output cosine is the smallest over the graph's outputs, each over all samples together.
 */
public final class AutoMixedPrecision {
  /** The chosen layers (in the order they were moved), the cosine reached, and the starting one. */
  public record Result(List<String> floatLayers, double cosine, double allInt8Cosine, boolean reached) {}

  private static final Set<String> PASS_THROUGH = Set.of("max_pool", "avg_pool", "reshape", "flatten", "squeeze", "unsqueeze", "identity", "transpose", "pad");

  private final Graph floatGraph;
  private final CalibrationTable table;
  private final QuantizeOptions base;
  private final Map<String, Tensor> inputs;
  private final Map<String, Tensor> reference;

  public AutoMixedPrecision(Graph floatGraph, CalibrationTable table, QuantizeOptions base, Map<String, Tensor> inputs) {
    this.floatGraph = floatGraph;
    this.table = table;
    this.base = base;
    this.inputs = inputs;
    this.reference = new Interpreter(floatGraph).run(inputs);
  }

  /** The output cosine with {@code extraFloat} layers kept in float. */
  public double measure(Set<String> extraFloat) {
    QuantizeOptions o = base.copy();
    o.floatLayers().addAll(extraFloat);
    Graph q = QuantizeFlow.lower(floatGraph, table, o).graph();
    Map<String, Tensor> out = new Interpreter(q).run(inputs);
    double worst = 1;
    for (Map.Entry<String, Tensor> e : reference.entrySet()) {
      worst = Math.min(worst, LayerCompare.cosine(LayerCompare.real(e.getValue()), LayerCompare.real(out.get(e.getKey()))));
    }
    return worst;
  }

  private double lastPruned = -1;

  private double lastPrunedOr(double cos) {
    return lastPruned >= 0 ? lastPruned : cos;
  }

  /**
   * Drops chosen layers that are not needed (latest first): a layer alone in float often does not
   * help, because its output is still quantized for its integer consumers, so the greedy pass may
   * take layers that only mattered together with a later one.
   */
  private List<String> prune(Set<String> chosen, double target, double cos, Consumer<String> log) {
    List<String> order = new ArrayList<>(chosen);
    lastPruned = cos;
    for (int i = order.size() - 1; i >= 0; i--) {
      Set<String> without = new LinkedHashSet<>(order);
      without.remove(order.get(i));
      double c = measure(without);
      if (c >= target) {
        log.accept(String.format(java.util.Locale.ROOT, "  - %-38s not needed -> %.6f", order.get(i), c));
        order.remove(i);
        lastPruned = c;
      }
    }
    return order;
  }

  public Result search(double target, Consumer<String> log) {
    double start = measure(Set.of());
    log.accept(String.format(java.util.Locale.ROOT, "all int8: output cosine %.6f (target %.6f)", start, target));
    if (start >= target) return new Result(List.of(), start, start, true);
    QuantizeFlow.Lowered full = QuantizeFlow.lower(floatGraph, table, base);
    Set<String> candidates = new LinkedHashSet<>();
    for (Operation op : full.result().quantizedOps()) {
      if (PASS_THROUGH.contains(op.name()) || op.location().names().isEmpty()) continue;
      candidates.add(op.location().primaryName());
    }
    record Score(String layer, double cosine) {}
    List<Score> scores = new ArrayList<>();
    for (String c : candidates) {
      double cos = measure(Set.of(c));
      scores.add(new Score(c, cos));
      log.accept(String.format(java.util.Locale.ROOT, "  %-40s alone in float: %.6f", c, cos));
    }
    scores.sort(Comparator.comparingDouble(Score::cosine).reversed());
    Set<String> chosen = new LinkedHashSet<>();
    double cos = start;
    for (Score s : scores) {
      chosen.add(s.layer());
      cos = measure(chosen);
      log.accept(String.format(java.util.Locale.ROOT, "  + %-38s -> %.6f", s.layer(), cos));
      if (cos >= target) return new Result(prune(chosen, target, cos, log), lastPrunedOr(cos), start, true);
    }
    return new Result(new ArrayList<>(chosen), cos, start, false);
  }
}

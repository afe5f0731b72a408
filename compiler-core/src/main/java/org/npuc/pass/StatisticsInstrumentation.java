package org.npuc.pass;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.npuc.ir.Graph;

/**
 * Collects each pass's statistics after it runs and prints them ({@code --stats}), with how many
 * ops each pass removed (net, constants included) and the op count of the graph before and after
 * the pipeline.
 */
public final class StatisticsInstrumentation implements PassInstrumentation {
  private final Map<Pass, Boolean> seen = new LinkedHashMap<>();
  private final Map<Pass, Integer> removed = new LinkedHashMap<>();
  private int sizeBeforePass;
  private int opsBefore;
  private int opsAfter;

  @Override
  public void beforePipeline(Pipeline pipeline, Graph graph) {
    opsBefore = graph.size();
  }

  @Override
  public void beforePass(Pass pass, Graph graph) {
    sizeBeforePass = graph.size();
  }

  @Override
  public void afterPass(Pass pass, Graph graph, boolean changed) {
    seen.merge(pass, changed, Boolean::logicalOr);
    removed.merge(pass, sizeBeforePass - graph.size(), Integer::sum);
  }

  @Override
  public void afterPipeline(Pipeline pipeline, Graph graph) {
    opsAfter = graph.size();
  }

  /** The statistics as text, one block per pass in pipeline order. */
  public String report() {
    StringBuilder sb = new StringBuilder("===-- pass statistics --===\n");
    for (Map.Entry<Pass, Boolean> e : seen.entrySet()) {
      Pass p = e.getKey();
      sb.append(p.describe()).append(e.getValue() ? "" : " (no change)").append('\n');
      List<Statistic> stats = new ArrayList<>(p.statistics());
      for (Statistic s : stats) {
        sb.append(String.format(Locale.ROOT, "  %8d %s - %s%n", s.value(), s.name(), s.description()));
      }
      int gone = removed.getOrDefault(p, 0);
      if (gone != 0) sb.append(String.format(Locale.ROOT, "  %8d ops %s by this pass (net, constants included)%n", Math.abs(gone), gone > 0 ? "removed" : "added"));
    }
    sb.append(String.format(Locale.ROOT, "ops: %d before, %d after%n", opsBefore, opsAfter));
    return sb.toString();
  }
}

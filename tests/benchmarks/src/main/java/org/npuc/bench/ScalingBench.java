package org.npuc.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.npuc.ir.Graph;
import org.npuc.ir.OpRegistry;
import org.npuc.pass.PassContext;
import org.npuc.pass.PassManager;
import org.npuc.pass.PassRegistry;
import org.npuc.pass.Pipeline;

/**
 * Figure 2, scaling: synthetic chains and DAGs of 1k, 10k and 100k ops through the default
 * {@code optimize} pipeline (verifier on, as {@code npuc opt} runs it): time, peak heap and time
 * per op. The JIT is warmed on a 10k graph first so that the 1k figure is not a cold-start figure.
 */
final class ScalingBench {
  static final double TIME_TARGET_S = 10;
  static final double PER_OP_RATIO_TARGET = 2;

  private final Bench.Settings settings;

  ScalingBench(Bench.Settings settings) {
    this.settings = settings;
  }

  static double optimize(Graph g) {
    long t0 = System.nanoTime();
    new PassManager(Pipeline.parse(CompileBench.PIPELINE, PassRegistry.global()), new PassContext(OpRegistry.global())).run(g);
    return (System.nanoTime() - t0) / 1e9;
  }

  void run(Report report) throws Exception {
    int[] sizes = settings.quick() ? new int[] {1_000, 3_000} : new int[] {1_000, 10_000, 100_000};
    for (int i = 0; i < (settings.quick() ? 1 : 3); i++) optimize(SyntheticGraphs.build(SyntheticGraphs.Kind.DAG, settings.quick() ? 1_000 : 10_000, 99));
    for (SyntheticGraphs.Kind kind : SyntheticGraphs.Kind.values()) {
      Map<Integer, Double> perOp = new LinkedHashMap<>();
      for (int n : sizes) {
        int runs = settings.quick() ? 1 : n >= 100_000 ? 2 : n >= 10_000 ? 3 : 7;
        double[] t = new double[runs];
        long peak = 0;
        int ops = 0;
        int after = 0;
        for (int r = 0; r < runs; r++) {
          Graph g = SyntheticGraphs.build(kind, n, 7);
          ops = g.size();
          Measure.Peak p = Measure.withPeakHeap(() -> optimize(g));
          t[r] = p.seconds();
          peak = Math.max(peak, p.peakHeapBytes());
          after = g.size();
        }
        double s = Measure.median(t);
        String subject = kind.name().toLowerCase(Locale.ROOT) + " " + ops + " ops";
        String note = String.format(Locale.ROOT, "median of %d; %d ops after", runs, after);
        report.add(n == 100_000 ? Figure.target("2.scaling.time", subject, s, "s", TIME_TARGET_S, false, note)
            : Figure.info("2.scaling.time", subject, s, "s", note));
        report.add(Figure.info("2.scaling.peak_heap", subject, peak / 1048576.0, "MiB", "sum of heap pools' peaks during the run"));
        double us = s / ops * 1e6;
        perOp.put(n, us);
        report.add(Figure.info("2.scaling.per_op", subject, us, "us/op", ""));
      }
      int largest = sizes[sizes.length - 1];
      double ratio = perOp.get(largest) / perOp.get(sizes[0]);
      String subject = kind.name().toLowerCase(Locale.ROOT) + " " + largest / 1000 + "k / " + sizes[0] / 1000 + "k";
      String note = "time per op at " + largest / 1000 + "k over time per op at " + sizes[0] / 1000 + "k";
      report.add(largest == 100_000 ? Figure.target("2.scaling.per_op_ratio", subject, ratio, "x", PER_OP_RATIO_TARGET, false, note)
          : Figure.info("2.scaling.per_op_ratio", subject, ratio, "x", note));
    }
    report.add(Figure.pending("2.scaling.bm1684", "dag 1k/10k/100k ops", "s", "not measured yet: the synthetic graphs need a calibration table before compile -t bm1684"));
  }
}

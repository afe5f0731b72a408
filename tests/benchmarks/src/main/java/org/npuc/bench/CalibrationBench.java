package org.npuc.bench;

import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import org.npuc.interp.Interpreter;
import org.npuc.ir.Graph;
import org.npuc.ir.Tensor;
import org.npuc.quant.calib.CalibrationStats;
import org.npuc.quant.calib.CalibrationTable;
import org.npuc.quant.calib.Calibrator;
import org.npuc.quant.calib.ThresholdMethods;

/**
 * Figure 5, calibration time: {@code kl} over N seeded inputs on the MobileNet-size graph
 * (optimized, as {@code npuc calibrate} sees it): collecting the statistics (one interpreter run
 * per input) and computing the thresholds, timed separately.
 */
final class CalibrationBench {
  static final double TARGET_S = 60;

  private final Bench.Settings settings;

  CalibrationBench(Bench.Settings settings) {
    this.settings = settings;
  }

  void run(ThroughputBench.Net net, Report report) {
    int samples = settings.quick() ? 3 : 500;
    String subject = net.subject() + ", " + samples + " inputs";
    try {
      Graph g = ThroughputBench.compile(net);
      Interpreter interp = new Interpreter(g);
      Calibrator calibrator = new Calibrator(g, interp::runAll);
      Iterator<Map<String, Tensor>> inputs = new Iterator<>() {
        int i;

        @Override
        public boolean hasNext() {
          return i < samples;
        }

        @Override
        public Map<String, Tensor> next() {
          return Map.of(net.input(), ThroughputBench.input(net, 1000 + i++));
        }
      };
      long t0 = System.nanoTime();
      CalibrationStats stats = calibrator.collect(inputs, samples, Calibrator.Progress.NONE);
      long t1 = System.nanoTime();
      CalibrationTable table = CalibrationTable.of(stats, ThresholdMethods.parse("kl"));
      long t2 = System.nanoTime();
      double s = (t2 - t0) / 1e9;
      String note = String.format(Locale.ROOT, "statistics %.1f s (%.1f ms/input), kl thresholds %.2f s for %d tensors; seeded uniform inputs",
          (t1 - t0) / 1e9, (t1 - t0) / 1e6 / samples, (t2 - t1) / 1e9, table.size());
      report.add(samples == 500 ? Figure.target("5.calibration.kl", subject, s, "s", TARGET_S, false, note)
          : Figure.info("5.calibration.kl", subject, s, "s", note));
    } catch (RuntimeException e) {
      report.add(Figure.error("5.calibration.kl", subject, "s", String.valueOf(e.getMessage()).lines().findFirst().orElse("")));
    }
  }
}

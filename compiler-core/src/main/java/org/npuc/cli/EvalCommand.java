package org.npuc.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.npuc.diag.UserError;
import org.npuc.driver.ModelLoader;
import org.npuc.io.Npy;
import org.npuc.ir.Graph;
import org.npuc.ir.Tensor;
import org.npuc.quant.calib.CalibrationStats;
import org.npuc.quant.calib.ProgressPrinter;
import org.npuc.quant.calib.StatsFile;
import org.npuc.quant.calib.ThresholdMethod;
import org.npuc.quant.calib.ThresholdMethods;
import org.npuc.quant.lower.Evaluation;
import org.npuc.quant.lower.QuantizeFlow;
import org.npuc.quant.lower.SampleSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code npuc eval MODEL --data X.npy [--labels Y.npy] --calib-samples N --calib-method M,...}:
 * calibrates on N samples spread over the data, evaluates the float model and one int8 model per
 * method on the other samples, and prints the table (top-1 accuracy with labels, else the output's
 * MSE against the input, for autoencoders).
 */
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Accuracy of the float model and its int8 versions, one per calibration method.")
public final class EvalCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL") Path modelFile;

  @Option(names = "--data", paramLabel = "X.npy", required = true, description = "Samples (first axis = sample).")
  Path data;

  @Option(names = "--labels", paramLabel = "Y.npy", description = "Class labels; without them the metric is the output's MSE against the input.")
  Path labelsFile;

  @Option(names = "--calib-samples", paramLabel = "N", defaultValue = "500", description = "Calibration samples taken evenly from the data; the rest are evaluated (default: ${DEFAULT-VALUE}).")
  int calibSamples;

  @Option(names = "--calib-method", paramLabel = "M[,M...]", defaultValue = "kl", description = "Methods to compare, comma-separated, or 'all' (default: ${DEFAULT-VALUE}).")
  String methods;

  @Option(names = "--limit", paramLabel = "N", description = "Evaluate only the first N of the remaining samples.")
  Integer limit;

  @Option(names = "--batch", paramLabel = "N", defaultValue = "100", description = "Samples per batch when the model's batch is free (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--dump-stats", paramLabel = "FILE", description = "Write the calibration statistics.") Path dumpStats;

  @Option(names = "--load-stats", paramLabel = "FILE", description = "Use these statistics instead of calibrating.") Path loadStats;

  @Mixin ModelOptions model;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Graph g = QuantOptions.prepare(ModelLoader.load(model.toImportOptions(modelFile)), err);
    SampleSet all = SampleSet.load(g, List.of(data.toString()), null);
    int[] calibIdx = all.strided(calibSamples);
    int[] evalIdx = Evaluation.complement(all.size(), calibIdx, limit == null ? Integer.MAX_VALUE : limit);
    int[] labels = null;
    if (labelsFile != null) {
      Tensor y = Npy.read(labelsFile);
      if (y.size() != all.size()) throw new UserError(labelsFile + " has " + y.size() + " labels for " + all.size() + " samples");
      int[] src = y.isFloat() ? toInts(y.floats()) : y.ints();
      labels = new int[evalIdx.length];
      for (int i = 0; i < evalIdx.length; i++) labels[i] = src[evalIdx[i]];
    }
    List<ThresholdMethod> ms = new ArrayList<>();
    for (String m : methods.split(",(?![^(]*\\))")) {
      if (m.trim().equals("all")) ms.addAll(ThresholdMethods.all()); else ms.add(ThresholdMethods.parse(m.trim()));
    }
    CalibrationStats stats;
    if (loadStats != null) {
      stats = StatsFile.read(loadStats);
    } else {
      stats = QuantizeFlow.collect(g, all.subset(calibIdx), batch, ProgressPrinter.forConsole(System.err, "calibrating"));
      if (dumpStats != null) StatsFile.write(stats, dumpStats);
    }
    Evaluation ev = new Evaluation(g, all.subset(evalIdx), labels, batch);
    List<Evaluation.Row> rows = ev.run(stats, ms, new org.npuc.quant.lower.QuantizeOptions());
    String metric = ev.isAccuracy() ? "accuracy" : "mse";
    out.printf(Locale.ROOT, "%s: calibrated on %d samples, evaluated on %d%n", modelFile.getFileName(), calibIdx.length, evalIdx.length);
    out.printf(Locale.ROOT, "%-52s %10s %12s%n", "method", metric, ev.isAccuracy() ? "delta (pts)" : "delta");
    double ref = rows.get(0).value();
    for (Evaluation.Row r : rows) {
      if (ev.isAccuracy()) {
        out.printf(Locale.ROOT, "%-52s %10.4f %+12.2f%n", r.method(), r.value(), 100 * (r.value() - ref));
      } else {
        out.printf(Locale.ROOT, "%-52s %10.6f %+12.6f%n", r.method(), r.value(), r.value() - ref);
      }
    }
    out.flush();
    return 0;
  }

  private static int[] toInts(float[] f) {
    int[] r = new int[f.length];
    for (int i = 0; i < f.length; i++) r[i] = (int) f[i];
    return r;
  }
}

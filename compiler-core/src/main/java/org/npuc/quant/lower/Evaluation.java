package org.npuc.quant.lower;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.npuc.interp.Interpreter;
import org.npuc.ir.Graph;
import org.npuc.ir.Tensor;
import org.npuc.quant.calib.CalibrationStats;
import org.npuc.quant.calib.CalibrationTable;
import org.npuc.quant.calib.ThresholdMethod;

/**
 * Accuracy (top-1 against labels) or reconstruction error (MSE of the output against the input,
 * for autoencoders) of a float graph and of its int8 versions, one per threshold method, on the
 * samples not used for calibration. Statistics are gathered once; each method only makes a table.
 */
public final class Evaluation {
  /** One line of the table; {@code value} is accuracy in [0, 1] or MSE. */
  public record Row(String method, double value, int quantizedOps, int floatOps) {}

  private final Graph floatGraph;
  private final SampleSet eval;
  private final int[] labels;
  private final int batch;

  /** {@code labels} null: MSE of the (single) output against the (single) input. */
  public Evaluation(Graph floatGraph, SampleSet eval, int[] labels, int batch) {
    this.floatGraph = floatGraph;
    this.eval = eval;
    this.labels = labels;
    this.batch = eval.batchFor(floatGraph, batch);
  }

  public boolean isAccuracy() {
    return labels != null;
  }

  /** The metric of {@code g} over the evaluation samples. */
  public double score(Graph g) {
    Interpreter in = new Interpreter(g);
    long correct = 0, n = 0;
    double se = 0;
    for (int from = 0; from < eval.size(); from += batch) {
      int to = Math.min(eval.size(), from + batch);
      Map<String, Tensor> x = eval.batch(from, to);
      Tensor y = in.run(x).values().iterator().next();
      float[] out = LayerCompare.real(y);
      if (labels != null) {
        int classes = out.length / (to - from);
        for (int s = 0; s < to - from; s++) {
          int best = 0;
          for (int c = 1; c < classes; c++) if (out[s * classes + c] > out[s * classes + best]) best = c;
          if (best == labels[from + s]) correct++;
          n++;
        }
      } else {
        float[] ref = x.values().iterator().next().floats();
        for (int i = 0; i < out.length; i++) {
          double d = out[i] - ref[i];
          se += d * d;
        }
        n += out.length;
      }
    }
    return labels != null ? (double) correct / n : se / n;
  }

  /** The indices of the evaluation samples: all but the calibration ones, at most {@code limit}. */
  public static int[] complement(int size, int[] calib, int limit) {
    boolean[] used = new boolean[size];
    for (int i : calib) used[i] = true;
    java.util.List<Integer> rest = new ArrayList<>();
    for (int i = 0; i < size && rest.size() < limit; i++) if (!used[i]) rest.add(i);
    return rest.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * The whole protocol: calibrate on {@code calibN} samples spread over {@code all}, evaluate on
   * the others (labels indexed like {@code all}; null for MSE), one row per method after float.
   */
  public static List<Row> calibrateAndEvaluate(
      Graph g, SampleSet all, int[] labelsAll, int calibN, List<ThresholdMethod> methods, QuantizeOptions options, int batch) {
    int[] calib = all.strided(calibN);
    int[] evalIdx = complement(all.size(), calib, Integer.MAX_VALUE);
    int[] labels = null;
    if (labelsAll != null) {
      labels = new int[evalIdx.length];
      for (int i = 0; i < evalIdx.length; i++) labels[i] = labelsAll[evalIdx[i]];
    }
    CalibrationStats stats = QuantizeFlow.collect(g, all.subset(calib), batch, org.npuc.quant.calib.Calibrator.Progress.NONE);
    return new Evaluation(g, all.subset(evalIdx), labels, batch).run(stats, methods, options);
  }

  /** The float row, then one row per method. */
  public List<Row> run(CalibrationStats stats, List<ThresholdMethod> methods, QuantizeOptions options) {
    List<Row> rows = new ArrayList<>();
    rows.add(new Row("float", score(floatGraph), 0, 0));
    for (ThresholdMethod m : methods) {
      CalibrationTable t = CalibrationTable.of(stats, m);
      QuantizeFlow.Lowered q = QuantizeFlow.lower(floatGraph, t, options);
      rows.add(new Row(m.spec(), score(q.graph()), q.result().quantizedOps().size(), q.result().floatOps().size()));
    }
    return rows;
  }
}

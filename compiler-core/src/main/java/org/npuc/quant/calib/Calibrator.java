package org.npuc.quant.calib;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.npuc.ir.Graph;
import org.npuc.ir.Operation;
import org.npuc.ir.Tensor;
import org.npuc.ir.Value;
import org.npuc.ir.type.CalibratedType;
import org.npuc.ir.type.ScalarType;
import org.npuc.ir.type.TensorType;

/**
 * Runs a float graph over calibration samples and gathers the statistics of every quantizable
 * tensor, then turns them into a {@link CalibrationTable} with a {@link ThresholdMethod}.
 *
 * <p>Quantizable tensors are the float results of ops that depend on a graph input (graph inputs
 * included): weights and anything computed only from constants are not activations. Each is named
 * by its producing op's {@code Location.primaryName()}, with {@code :k} for result k of a
 * multi-result op; an op without a location uses the value's name, else {@code opname_index}.
 * When several tensors get the same name (a layer imported as several ops), the last one, which
 * is the layer's output, keeps it and the earlier ones get {@code _1}, {@code _2}, ... in graph
 * order (skipping names already taken).
 *
 * <p>One inference pass is enough for every method: {@link TensorStats} histograms adapt their
 * range exactly (power-of-two bin widths merging pairs), so methods that need the final range
 * (kl, mse, ...) read it from the merged histogram, and statistics gathered in several runs or
 * shards merge into exactly those of one run.
 */
public final class Calibrator {
  /** "Run the graph and give me every value": {@code Interpreter::runAll}. */
  @FunctionalInterface
  public interface Runner {
    Map<Value, Tensor> runAll(Map<String, Tensor> inputsByName);
  }

  /** Told after each sample; {@code total} is -1 when unknown. A bar on a terminal, lines in logs. */
  @FunctionalInterface
  public interface Progress {
    Progress NONE = (done, total) -> {};

    void sampleDone(int done, int total);
  }

  /** A calibrated tensor: its table name and the value it stands for. */
  public record Target(String name, Value value) {}

  private final Runner runner;
  private final List<Target> targets;
  private final int bins;

  public Calibrator(Graph graph, Runner runner) {
    this(graph, runner, TensorStats.DEFAULT_BINS);
  }

  public Calibrator(Graph graph, Runner runner, int bins) {
    this.runner = runner;
    this.targets = targets(graph);
    this.bins = bins;
  }

  private Calibrator(Runner runner, List<Target> targets, int bins) {
    this.runner = runner;
    this.targets = targets;
    this.bins = bins;
  }

  /** A calibrator for only the tensors named in {@code names} (e.g. those QAT left without range). */
  public Calibrator restrictedTo(Collection<String> names) {
    Set<String> keep = new HashSet<>(names);
    List<Target> r = new ArrayList<>();
    for (Target t : targets) if (keep.contains(t.name())) r.add(t);
    return new Calibrator(runner, r, bins);
  }

  /** The tensors this calibrator measures, in graph order. */
  public List<Target> targets() {
    return Collections.unmodifiableList(targets);
  }

  /** Names of {@link #targets()}, in graph order. */
  public List<String> names() {
    List<String> r = new ArrayList<>();
    for (Target t : targets) r.add(t.name());
    return r;
  }

  /** The quantizable tensors of {@code g} with their unique names (see the class comment). */
  public static List<Target> targets(Graph g) {
    return layerOutputs(g, (op, v) -> v.type().elementType().storageType().isFloat());
  }

  /**
   * Results of ops that depend on an input (constants excluded) and that {@code keep} accepts, in
   * graph order, with unique names: the op's source name (else the value's name, else
   * {@code op_index}), {@code :k} for the k-th result of a multi-result op, and {@code _1},
   * {@code _2}, ... on all but the last value of a repeated name, so a layer's output keeps the
   * plain name. Calibration targets and {@code npuc compare}'s layers are named this way.
   */
  public static List<Target> layerOutputs(Graph g, java.util.function.BiPredicate<Operation, Value> keep) {
    Set<Value> dynamic = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Value> values = new ArrayList<>();
    List<String> bases = new ArrayList<>();
    int index = 0;
    for (Operation op : g) {
      index++;
      boolean isDynamic = op.is("input");
      for (Value v : op.operands()) isDynamic |= dynamic.contains(v);
      if (!isDynamic || op.is("constant")) continue;
      dynamic.addAll(op.results());
      for (Value v : op.results()) {
        if (!keep.test(op, v)) continue;
        String base;
        if (!op.location().names().isEmpty()) {
          base = op.location().primaryName();
        } else if (v.name() != null && !v.name().isEmpty()) {
          base = v.name();
        } else {
          base = op.name() + "_" + index;
        }
        if (op.numResults() > 1) base = base + ":" + v.resultIndex();
        values.add(v);
        bases.add(base);
      }
    }
    // The last op carrying a source name produces that layer's output: it keeps the plain name.
    Map<String, Integer> last = new HashMap<>();
    for (int i = 0; i < bases.size(); i++) last.put(bases.get(i), i);
    Set<String> used = new HashSet<>(last.keySet());
    List<Target> r = new ArrayList<>();
    for (int i = 0; i < bases.size(); i++) {
      String base = bases.get(i);
      String name = base;
      if (last.get(base) != i) {
        int k = 1;
        while (used.contains(base + "_" + k)) k++;
        name = base + "_" + k;
        used.add(name);
      }
      r.add(new Target(name, values.get(i)));
    }
    return r;
  }

  /** Runs every sample and returns the statistics of every target. */
  public CalibrationStats collect(Iterator<Map<String, Tensor>> samples, int total, Progress progress) {
    CalibrationStats stats = new CalibrationStats(bins);
    for (Target t : targets) stats.tensor(t.name()); // fixes the order: graph order
    int done = 0;
    while (samples.hasNext()) {
      Map<String, Tensor> values = samples.next();
      Map<Value, Tensor> all = runner.runAll(values);
      for (Target t : targets) {
        Tensor v = all.get(t.value());
        if (v == null || !v.isFloat()) continue;
        stats.add(t.name(), v.floats());
      }
      stats.countSample();
      progress.sampleDone(++done, total);
    }
    return stats;
  }

  /** {@link #collect} then {@link CalibrationTable#of}. */
  public CalibrationTable calibrate(Iterator<Map<String, Tensor>> samples, int total, ThresholdMethod method, Progress progress) {
    return CalibrationTable.of(collect(samples, total, progress), method);
  }

  /**
   * Records the table's ranges in the graph: every target of {@code g} with an entry gets the
   * element type {@code calibrated<f32, min, max>} ({@code [-T, T]} when {@code symmetric}), which
   * is where lowering reads them. Returns the names of targets the table lacks, in graph order.
   */
  public static List<String> annotate(Graph g, CalibrationTable table, boolean symmetric) {
    List<String> missing = new ArrayList<>();
    for (Target t : targets(g)) {
      CalibrationTable.Entry e = table.get(t.name());
      if (e == null) {
        missing.add(t.name());
        continue;
      }
      TensorType type = t.value().type();
      ScalarType expressed = type.elementType().expressedType();
      CalibratedType c = symmetric
          ? new CalibratedType(expressed, -e.threshold(), e.threshold())
          : new CalibratedType(expressed, e.min(), e.max());
      t.value().setType(type.withElementType(c));
    }
    return missing;
  }

  /**
   * Things the user should hear about: tensors that saw NaN/inf values, and tensors that never
   * got a finite value (their range is [0, 0]).
   */
  public static List<String> notes(CalibrationStats stats) {
    Set<String> r = new LinkedHashSet<>(stats.nonFiniteNotes());
    for (Map.Entry<String, TensorStats> e : stats.asMap().entrySet()) {
      if (!e.getValue().hasData()) r.add(e.getKey() + ": no finite value seen in " + stats.samples() + " samples; its range is [0, 0]");
    }
    return new ArrayList<>(r);
  }
}

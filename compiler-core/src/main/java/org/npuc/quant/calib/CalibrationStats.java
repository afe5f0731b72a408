package org.npuc.quant.calib;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The statistics of every calibrated tensor, by tensor name (in the order tensors were first
 * seen). Mergeable like {@link TensorStats}: statistics of data shards merge into those of the
 * whole, which is what {@code --dump-stats}/{@code --load-stats} and sharded calibration rely on.
 */
public final class CalibrationStats {
  private final int bins;
  private final Map<String, TensorStats> tensors = new LinkedHashMap<>();
  private long samples;

  public CalibrationStats() {
    this(TensorStats.DEFAULT_BINS);
  }

  public CalibrationStats(int bins) {
    new TensorStats(bins); // validates
    this.bins = bins;
  }

  public int bins() {
    return bins;
  }

  /** The statistics of {@code name}, created empty on first use. */
  public TensorStats tensor(String name) {
    return tensors.computeIfAbsent(name, n -> new TensorStats(bins));
  }

  /** The statistics of {@code name}, or null. */
  public TensorStats get(String name) {
    return tensors.get(name);
  }

  /** Adds a batch of values of tensor {@code name}. */
  public void add(String name, float[] values) {
    tensor(name).add(values);
  }

  /** Counts one more calibration sample (for reports; does not affect thresholds). */
  public void countSample() {
    samples++;
  }

  /** Number of samples the statistics were gathered from. */
  public long samples() {
    return samples;
  }

  void setSamples(long samples) {
    this.samples = samples;
  }

  /** Tensor names, in first-seen order. */
  public Set<String> names() {
    return Collections.unmodifiableSet(tensors.keySet());
  }

  public Map<String, TensorStats> asMap() {
    return Collections.unmodifiableMap(tensors);
  }

  void put(String name, TensorStats s) {
    if (s.bins() != bins) throw new IllegalArgumentException("tensor " + name + " has " + s.bins() + " bins, expected " + bins);
    tensors.put(name, s);
  }

  /** Adds {@code other} into this: per-name merge, names new to this are appended in other's order. */
  public void merge(CalibrationStats other) {
    if (other.bins != bins) {
      throw new IllegalArgumentException("cannot merge statistics with " + bins + " and " + other.bins + " bins");
    }
    for (Map.Entry<String, TensorStats> e : other.tensors.entrySet()) tensor(e.getKey()).merge(e.getValue());
    samples += other.samples;
  }

  /** One line per tensor that had NaN or infinite values (ignored for ranges), empty when none. */
  public List<String> nonFiniteNotes() {
    List<String> r = new ArrayList<>();
    for (Map.Entry<String, TensorStats> e : tensors.entrySet()) {
      String note = e.getValue().nonFiniteNote();
      if (note != null) r.add(e.getKey() + ": " + note);
    }
    return r;
  }

  /** Same names with equal statistics, in any order, and the same sample count. */
  @Override
  public boolean equals(Object o) {
    return o instanceof CalibrationStats c && c.bins == bins && c.samples == samples && c.tensors.equals(tensors);
  }

  @Override
  public int hashCode() {
    return tensors.hashCode();
  }

  @Override
  public String toString() {
    return "CalibrationStats{" + tensors.size() + " tensors, " + samples + " samples}";
  }
}

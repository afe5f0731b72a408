package org.npuc.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Timing and memory helpers: medians of repeated runs (the machine is shared, so one run says
 * little), and peak heap over a piece of work from the JVM's per-pool peak usage.
 */
final class Measure {
  private Measure() {}

  /** A piece of work that may throw. */
  @FunctionalInterface
  interface Work {
    void run() throws Exception;
  }

  /** Seconds of one run of {@code w}. */
  static double seconds(Work w) throws Exception {
    long t0 = System.nanoTime();
    w.run();
    return (System.nanoTime() - t0) / 1e9;
  }

  /** Runs {@code w} {@code warmups} times untimed, then {@code runs} times; returns the median seconds. */
  static double medianSeconds(int warmups, int runs, Work w) throws Exception {
    for (int i = 0; i < warmups; i++) w.run();
    double[] t = new double[runs];
    for (int i = 0; i < runs; i++) t[i] = seconds(w);
    return median(t);
  }

  static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  static double median(List<Double> xs) {
    double[] a = new double[xs.size()];
    for (int i = 0; i < a.length; i++) a[i] = xs.get(i);
    return median(a);
  }

  /** Result of {@link #withPeakHeap}: seconds and the peak heap in bytes. */
  record Peak(double seconds, long peakHeapBytes) {}

  /**
   * Runs {@code w} once after a full GC and returns its time and the peak heap it reached: the sum
   * of the heap pools' peak usage since the reset (an upper bound, since pools peak at different
   * moments; young-generation garbage counts too).
   */
  static Peak withPeakHeap(Work w) throws Exception {
    System.gc();
    List<MemoryPoolMXBean> pools = new ArrayList<>();
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        p.resetPeakUsage();
        pools.add(p);
      }
    }
    double s = seconds(w);
    long peak = 0;
    for (MemoryPoolMXBean p : pools) peak += p.getPeakUsage().getUsed();
    return new Peak(s, peak);
  }
}

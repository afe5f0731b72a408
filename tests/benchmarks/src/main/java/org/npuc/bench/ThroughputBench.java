package org.npuc.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.npuc.frontend.caffe.CaffeFrontend;
import org.npuc.interp.Interpreter;
import org.npuc.ir.Graph;
import org.npuc.ir.Tensor;
import org.npuc.spi.ImportOptions;

/**
 * Figure 3, float interpreter throughput: npuc's reference interpreter on the optimized graph
 * against OpenCV dnn on the same Caffe files, same input, same thread count, measured in
 * alternating rounds so both see the same machine load. The first outputs are compared too, so
 * the ratio is known to be between two runs of the same network.
 */
final class ThroughputBench {
  static final double RATIO_TARGET = 0.5;
  static final double WARM_UP_SECONDS = 5.0;
  static final double ROUND_SECONDS = 0.25;
  static final int ROUNDS = 16;

  /** A Caffe network to run in both: files, input blob name and shape, outputs, input range. */
  record Net(String subject, ModelSpec spec, String input, int[] shape, List<String> outputs, float lo, float hi) {}

  private final Bench.Settings settings;

  ThroughputBench(Bench.Settings settings) {
    this.settings = settings;
  }

  static Graph compile(Net n) {
    ImportOptions o = n.spec().options();
    o.inputShapes().put(n.input(), n.shape());
    Graph g = new CaffeFrontend().importModel(o);
    ScalingBench.optimize(g);
    return g;
  }

  static Tensor input(Net n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] v = new float[(int) Tensor.count(n.shape())];
    for (int i = 0; i < v.length; i++) v[i] = n.lo() + (float) r.nextDouble() * (n.hi() - n.lo());
    return Tensor.ofFloats(n.shape(), v);
  }

  void run(List<Net> nets, Report report) {
    int threads = Runtime.getRuntime().availableProcessors();
    OpenCvNet.load(threads);
    for (Net n : nets) {
      try {
        measure(n, threads, report);
      } catch (RuntimeException e) {
        report.add(Figure.error("3.float.ratio", n.subject(), "x", String.valueOf(e.getMessage()).lines().findFirst().orElse("")));
      }
    }
  }

  private void measure(Net n, int threads, Report report) {
    Graph g = compile(n);
    Interpreter interp = new Interpreter(g);
    Tensor x = input(n, 1);
    Map<String, Tensor> feed = Map.of(n.input(), x);
    try (OpenCvNet cv = new OpenCvNet(n.spec().file(), n.spec().weights(), n.outputs())) {
      cv.setInput(n.input(), x);
      float[] ours = interp.run(feed).get(n.outputs().get(0)).floats();
      float[] theirs = cv.forward();
      double diff = 0;
      for (int i = 0; i < Math.min(ours.length, theirs.length); i++) diff = Math.max(diff, Math.abs(ours[i] - theirs[i]));
      // Warm-up: the JIT compiles npuc's vector kernels on the same two cores the loop keeps busy,
      // so npuc needs seconds to reach its steady rate (measured: det3 at 1.2-1.6 K inf/s for the
      // first 2-3 s, 2.0-3.6 K after); OpenCV needs only its first-run allocations.
      double warmUp = settings.quick() ? 0.1 : WARM_UP_SECONDS;
      double round = settings.quick() ? 0.1 : ROUND_SECONDS;
      int rounds = settings.quick() ? 1 : ROUNDS;
      rate(() -> interp.run(feed), warmUp);
      rate(cv::forward, warmUp / 5);
      // Short alternating rounds: the machine's speed changes within seconds (see PERFORMANCE.md,
      // fifth round), so each npuc round is compared with the OpenCV round right after it.
      double[] a = new double[rounds];
      double[] b = new double[rounds];
      double[] ratio = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        a[r] = rate(() -> interp.run(feed), round);
        b[r] = rate(cv::forward, round);
        ratio[r] = a[r] / b[r];
      }
      double npuc = Measure.median(a);
      double opencv = Measure.median(b);
      String common = String.format(
          Locale.ROOT, "%d threads, median of %d alternating rounds of >= %.2f s after %.1f s of warm-up", threads, rounds, round, warmUp);
      report.add(Figure.info("3.float.npuc", n.subject(), npuc, "inf/s", common + "; optimized graph"));
      report.add(Figure.info("3.float.opencv", n.subject(), opencv, "inf/s", common + "; OpenCV " + OpenCvNet.version()));
      report.add(Figure.target("3.float.ratio", n.subject(), Measure.median(ratio), "x", RATIO_TARGET, true,
          String.format(Locale.ROOT, "median over the rounds of npuc / OpenCV (%.2f-%.2f); first output max |diff| %.2g",
              Arrays.stream(ratio).min().orElse(0), Arrays.stream(ratio).max().orElse(0), diff)));
    }
  }

  /** Inferences per second of {@code w} over at least {@code seconds} (and at least 3 runs). */
  static double rate(Runnable w, double seconds) {
    long t0 = System.nanoTime();
    long end = t0 + (long) (seconds * 1e9);
    int n = 0;
    long now;
    do {
      w.run();
      n++;
      now = System.nanoTime();
    } while (now < end || n < 3);
    return n / ((now - t0) / 1e9);
  }
}

package org.npuc.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.npuc.driver.ModelLoader;
import org.npuc.interp.Interpreter;
import org.npuc.io.Npy;
import org.npuc.ir.Graph;
import org.npuc.ir.Tensor;

/**
 * Figure 4, int8 interpreter throughput: the quantized TFLite models as imported (integer
 * kernels for every op), on the first of their stored reference inputs. The float models of
 * figure 3 join once int8 lowering lands.
 */
final class Int8Bench {
  static final List<String> MODELS = List.of("mobilenet_v2_1.0_224_quant", "tf2_mobilenet_v2_1.0_224_ptq", "mobilenet_v1_0.25_128_quant", "resnet8_cifar10_int8");

  private final Bench.Settings settings;

  Int8Bench(Bench.Settings settings) {
    this.settings = settings;
  }

  /** The float Caffe models of figure 3, quantized by {@code npuc quantize} (kl, 4 seeded inputs), on the int8 interpreter. */
  void runLowered(List<ThroughputBench.Net> nets, List<Int8CompileBench.Item> items, Report report) {
    for (int i = 0; i < nets.size(); i++) {
      ThroughputBench.Net n = nets.get(i);
      Int8CompileBench.Item it = items.get(i);
      try {
        Path dir = Files.createTempDirectory(settings.work(), "q");
        Path q = dir.resolve("q.npuir");
        Int8CompileBench.calibrate(it, dir, dir.resolve("calib.table"), q);
        Graph g = ModelLoader.load(q);
        Interpreter interp = new Interpreter(g);
        Map<String, Tensor> feed = Map.of(n.input(), ThroughputBench.input(n, 1));
        measure(n.subject() + " (npuc quantize)", () -> interp.run(feed), "int8 IR from npuc quantize (kl, 4 seeded inputs)", report);
      } catch (RuntimeException | java.io.IOException e) {
        report.add(Figure.error("4.int8.npuc", n.subject(), "inf/s", String.valueOf(e.getMessage()).lines().findFirst().orElse("")));
      }
    }
  }

  private void measure(String subject, Runnable inference, String what, Report report) {
    double budget = settings.quick() ? 0.15 : 2.0;
    int rounds = settings.quick() ? 1 : 3;
    ThroughputBench.rate(inference, budget / 2);
    double[] r = new double[rounds];
    for (int i = 0; i < rounds; i++) r[i] = ThroughputBench.rate(inference, budget);
    report.add(Figure.info("4.int8.npuc", subject, Measure.median(r), "inf/s",
        String.format(Locale.ROOT, "%d threads, median of %d rounds of >= %.1f s; %s", Runtime.getRuntime().availableProcessors(), rounds, budget, what)));
  }

  void run(Report report) {
    List<String> models = settings.quick() ? List.of("mobilenet_v1_0.25_128_quant") : MODELS;
    for (String name : models) {
      Path file = settings.models().resolve("tflite/" + name + ".tflite");
      Path input = settings.models().resolve("tflite/expected/" + name + ".input.npy");
      String subject = "tflite/" + name;
      if (!Files.exists(file) || !Files.exists(input)) continue;
      try {
        Graph g = ModelLoader.load(file);
        Tensor all = Npy.read(input);
        int[] shape = all.shape().clone();
        shape[0] = 1;
        int per = (int) Tensor.count(shape);
        Tensor first = Tensor.ofInts(shape, all.elementType(), Arrays.copyOfRange(all.ints(), 0, per));
        Map<String, Tensor> feed = Map.of(g.inputs().get(0).attributes().getString("name"), first);
        Interpreter interp = new Interpreter(g);
        measure(subject, () -> interp.run(feed), "as imported, first stored input", report);
      } catch (RuntimeException e) {
        report.add(Figure.error("4.int8.npuc", subject, "inf/s", String.valueOf(e.getMessage()).lines().findFirst().orElse("")));
      }
    }
  }
}

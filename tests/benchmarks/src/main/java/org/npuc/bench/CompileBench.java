package org.npuc.bench;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.npuc.driver.ModelLoader;
import org.npuc.ir.Graph;
import org.npuc.ir.OpRegistry;
import org.npuc.ir.text.IrPrinter;
import org.npuc.pass.PassContext;
import org.npuc.pass.PassManager;

/**
 * Figure 1, compile time per model: warm (in this JVM, after warm-up runs: import, the
 * {@code optimize} pipeline with the verifier on, printing the IR) and cold (a whole
 * {@code npuc opt MODEL --pipeline optimize} process, JVM start included). Quantization and
 * emission join the measured path when the quantize pass and {@code npuc compile} land.
 */
final class CompileBench {
  static final String PIPELINE = "optimize";
  /** Targets of issue #9 for a MobileNet-v2-size model. */
  static final double COLD_TARGET_S = 1.5;
  static final double WARM_TARGET_MS = 200;

  private final Bench.Settings settings;

  CompileBench(Bench.Settings settings) {
    this.settings = settings;
  }

  /** Import + optimize + print, in this JVM; returns the stage times in seconds. */
  static double[] compileOnce(ModelSpec m) {
    long t0 = System.nanoTime();
    Graph g = ModelLoader.load(m.options());
    long t1 = System.nanoTime();
    new PassManager(org.npuc.pass.Pipeline.parse(PIPELINE, org.npuc.pass.PassRegistry.global()), new PassContext(OpRegistry.global())).run(g);
    long t2 = System.nanoTime();
    IrPrinter.screen().print(g, Writer.nullWriter());
    long t3 = System.nanoTime();
    return new double[] {(t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, (t3 - t0) / 1e9};
  }

  void run(List<ModelSpec> models, ModelSpec mobilenet, Report report) {
    for (ModelSpec m : models) {
      // The MobileNet-v2-size models the compile targets are for.
      boolean isTarget = m == mobilenet || m.subject().equals("tflite/mobilenet_v2_1.0_224_quant");
      warm(m, isTarget, report);
      // --quick starts one cold process per figure (LeNet) to stay a few-second smoke test.
      if (settings.cold() && (!settings.quick() || m.subject().equals("caffe/lenet"))) cold(m, isTarget, report);
    }
  }

  private void warm(ModelSpec m, boolean isTarget, Report report) {
    try {
      int warmups = settings.quick() ? 1 : 3;
      int runs = settings.quick() ? 1 : 5;
      for (int i = 0; i < warmups; i++) compileOnce(m);
      List<double[]> times = new ArrayList<>();
      for (int i = 0; i < runs; i++) times.add(compileOnce(m));
      double[] med = new double[4];
      for (int s = 0; s < 4; s++) {
        double[] col = new double[runs];
        for (int i = 0; i < runs; i++) col[i] = times.get(i)[s];
        med[s] = Measure.median(col);
      }
      String note = String.format(Locale.ROOT, "median of %d after %d warm-up; import %.1f, %s %.1f, print %.1f ms (import + optimize + print; to a binary: 1.compile_int8)",
          runs, warmups, med[0] * 1e3, PIPELINE, med[1] * 1e3, med[2] * 1e3);
      double ms = med[3] * 1e3;
      report.add(isTarget ? Figure.target("1.compile.warm", m.subject(), ms, "ms", WARM_TARGET_MS, false, note)
          : Figure.info("1.compile.warm", m.subject(), ms, "ms", note));
    } catch (RuntimeException e) {
      report.add(Figure.error("1.compile.warm", m.subject(), "ms", String.valueOf(e.getMessage()).lines().findFirst().orElse("")));
    }
  }

  private void cold(ModelSpec m, boolean isTarget, Report report) {
    try {
      int runs = settings.quick() ? 1 : 3;
      double[] t = new double[runs];
      for (int i = 0; i < runs; i++) t[i] = coldOnce(m);
      double s = Measure.median(t);
      String note = "median of " + runs + " `" + String.join(" ", settings.commandName()) + " opt MODEL --pipeline " + PIPELINE + "` processes";
      report.add(isTarget ? Figure.target("1.compile.cold", m.subject(), s, "s", COLD_TARGET_S, false, note)
          : Figure.info("1.compile.cold", m.subject(), s, "s", note));
    } catch (IOException | RuntimeException e) {
      report.add(Figure.error("1.compile.cold", m.subject(), "s", String.valueOf(e.getMessage()).lines().findFirst().orElse("")));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      report.add(Figure.error("1.compile.cold", m.subject(), "s", "interrupted"));
    }
  }

  private double coldOnce(ModelSpec m) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of("opt", m.file().toString(), "--pipeline", PIPELINE));
    args.addAll(m.cliArgs());
    return process(settings, args);
  }

  /** Seconds of one whole {@code npuc ARGS} process; throws with its first error line on failure. */
  static double process(Bench.Settings settings, List<String> args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(settings.command());
    cmd.addAll(args);
    Path err = Files.createTempFile("npuc-bench", ".err");
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile());
      long t0 = System.nanoTime();
      Process p = pb.start();
      int code = p.waitFor();
      double s = (System.nanoTime() - t0) / 1e9;
      if (code != 0) {
        String msg = Files.readString(err).strip();
        throw new IllegalStateException("exit " + code + ": " + (msg.isEmpty() ? "(no message)" : msg.lines().findFirst().orElse("")));
      }
      return s;
    } finally {
      Files.deleteIfExists(err);
    }
  }
}

package org.npuc.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.npuc.diag.UserError;
import org.npuc.driver.AtomicFiles;
import org.npuc.driver.ModelLoader;
import org.npuc.ir.Graph;
import org.npuc.pass.PassContext;
import org.npuc.pass.PassManager;
import org.npuc.spi.Backend;
import org.npuc.spi.BackendContext;
import org.npuc.spi.TargetSpec;
import org.npuc.target.TargetCompiler;
import org.npuc.target.Targets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code npuc compile MODEL --target T -o out.bin}: imports and optimizes a model, lets the target's
 * backend claim, lower and emit it, writes the binary atomically and prints the compile summary.
 */
@Command(name = "compile", mixinStandardHelpOptions = true, description = "Compile a model for a target into an npuc binary.")
public final class CompileCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL", description = "The model: npuc IR text (.npuir) or a framework model.")
  Path modelFile;

  @Option(names = {"-t", "--target"}, paramLabel = "NAME", description = "A built-in or plugin target spec by name (see 'npuc targets').")
  String target;

  @Option(names = "--target-spec", paramLabel = "FILE.yaml", description = "Your own target spec (may 'extends:' a built-in one).")
  Path targetSpec;

  @Option(names = {"-o", "--output"}, paramLabel = "OUT.bin", required = true, description = "Where to write the binary.")
  Path output;

  @Option(names = {"-p", "--pipeline"}, paramLabel = "PIPELINE", defaultValue = "optimize",
      description = "Passes to run before the backend (default: ${DEFAULT-VALUE}; '' for none).")
  String pipeline;

  @Option(names = "--force-int8", paramLabel = "LAYER", split = ",", description = "Layers to run in int8 even where the target advises float.")
  List<String> forceInt8 = new ArrayList<>();

  @Option(names = "--float", paramLabel = "LAYER", split = ",", description = "Layers to keep in float.")
  List<String> keepFloat = new ArrayList<>();

  @Mixin ModelOptions model;

  @Mixin QuantOptions quant;

  @Mixin TargetOptions targets;

  @Override
  public Integer call() {
    if ((target == null) == (targetSpec == null)) throw new UserError("give the target with --target NAME or --target-spec FILE (one of them)");
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Targets t = targets.open();
    TargetSpec ts = target != null ? t.byName(target) : t.fromFile(targetSpec);
    Backend backend = t.backendFor(ts);
    Graph graph = ModelLoader.load(model.toImportOptions(modelFile));
    String quantization = "none";
    if (wantsQuantization() || hasFakeQuant(graph)) {
      graph = quantize(graph, ts, err);
      quantization = quant.calibTable != null ? "table " + quant.calibTable.getFileName()
          : quant.loadStats != null ? quant.calibMethod + " (stats " + quant.loadStats.getFileName() + ")"
          : quant.calib.isEmpty() ? "qat ranges" : quant.calibMethod;
    } else if (pipeline != null && !pipeline.isBlank()) {
      PassContext context = PassContext.global().onWarning(w -> err.println("npuc: warning: " + w));
      PassManager.parse(pipeline, context).run(graph);
    }
    BackendContext ctx = new BackendContext(ts);
    ctx.forceInt8().addAll(forceInt8);
    ctx.keepFloat().addAll(keepFloat);
    ctx.metadata().put("model", modelFile.getFileName().toString());
    ctx.metadata().put("pipeline", pipeline == null ? "" : pipeline);
    ctx.metadata().put("calibration", quantization);
    TargetCompiler.Result r = TargetCompiler.compile(graph, backend, ctx);
    AtomicFiles.write(output, o -> o.write(r.binary()));
    out.print(r.summary());
    out.println("wrote " + output);
    out.flush();
    return 0;
  }

  /** Calibration data or a table was given, or the model carries QAT ranges. */
  private boolean wantsQuantization() {
    return !quant.calib.isEmpty() || quant.calibTable != null || quant.loadStats != null;
  }

  /** A QAT model: FakeQuant ranges make it quantizable without calibration data. */
  private static boolean hasFakeQuant(Graph g) {
    for (org.npuc.ir.Operation op : g) if (op.is("fake_quant")) return true;
    return false;
  }

  /**
   * Calibrates (or reads the table) and lowers to int8 with the spec's scheme: activation storage and
   * symmetry, per-channel or per-tensor weights, power-of-two scales; ops the spec does not run in
   * int8 stay in float (the target's word), as do the user's --float-layers/--float-ops/--float-block.
   */
  private Graph quantize(Graph g, TargetSpec ts, PrintWriter err) {
    Graph prepared = QuantOptions.prepare(g, err);
    org.npuc.quant.lower.SampleSet samples = quant.samples(prepared);
    org.npuc.quant.calib.CalibrationTable table = quant.table(prepared, samples, err);
    org.npuc.quant.lower.QuantizeOptions options = quant.toOptions();
    TargetSpec.Quantization q = ts.quantization();
    org.npuc.ir.type.ScalarType storage = q.activations().equals("uint8") ? org.npuc.ir.type.ScalarType.U8 : org.npuc.ir.type.ScalarType.I8;
    options.activations(new org.npuc.quant.QuantScheme(storage, q.symmetric(), false, q.powerOfTwoScales()));
    options.perChannelWeights(q.perChannel()).powerOfTwoWeights(q.powerOfTwoScales());
    options.floatLayers().addAll(keepFloat);
    options.targetFloat(op -> {
      TargetSpec.OpRule rule = ts.rule(op.name());
      return rule == null || !rule.precisions().contains(org.npuc.spi.Precision.INT8);
    });
    return org.npuc.quant.lower.QuantizeFlow.lower(prepared, table, options).graph();
  }
}

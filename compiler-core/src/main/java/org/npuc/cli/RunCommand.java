package org.npuc.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.npuc.diag.UserError;
import org.npuc.driver.AtomicFiles;
import org.npuc.driver.ModelLoader;
import org.npuc.driver.ModelRunner;
import org.npuc.driver.Tensors;
import org.npuc.io.Npy;
import org.npuc.ir.Graph;
import org.npuc.ir.Tensor;
import org.npuc.pass.PassContext;
import org.npuc.pass.PassManager;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code npuc run MODEL --input x.npy}: runs a model with the float reference interpreter on NumPy
 * files and writes or summarizes the outputs. Inputs and outputs keep the model's names, layout and
 * dtype; the first axis of every file is the batch.
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run a model with the reference interpreter on .npy inputs.")
public final class RunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL", description = "The model: npuc IR text (.npuir) or a framework model.")
  Path modelFile;

  @Option(names = {"-i", "--input"}, paramLabel = "[NAME=]FILE.npy", required = true,
      description = "Input data: FILE.npy for a one-input model, NAME=FILE.npy per input. The first axis is the batch.")
  List<String> inputs = new ArrayList<>();

  @Option(names = "--output", paramLabel = "OUT.npy", description = "Write the output here (one-output models).")
  Path output;

  @Option(names = "--output-dir", paramLabel = "DIR", description = "Write <output name>.npy per output into DIR.")
  Path outputDir;

  @Option(names = {"-p", "--pipeline"}, paramLabel = "PIPELINE", description = "Passes to run on the model first (e.g. optimize).")
  String pipeline;

  @Mixin ModelOptions model;

  @Mixin TargetOptions targets;

  @Override
  public Integer call() {
    if (output != null && outputDir != null) throw new UserError("give --output or --output-dir, not both");
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Map<String, Tensor> results;
    if (BinaryRun.isBinary(modelFile)) {
      BinaryRun run = new BinaryRun(modelFile, targets.open());
      Map<String, Tensor> data = new LinkedHashMap<>();
      bindInputs(run.inputNames(), data, new LinkedHashMap<>());
      results = run.run(data);
      out.println(run.report());
    } else {
      results = runGraph(err);
    }
    write(out, results);
    return 0;
  }

  private Map<String, Tensor> runGraph(PrintWriter err) {
    Graph graph = ModelLoader.load(model.toImportOptions(modelFile));
    if (pipeline != null && !pipeline.isBlank()) {
      PassContext context = PassContext.global().onWarning(w -> err.println("npuc: warning: " + w));
      PassManager.parse(pipeline, context).run(graph);
    }
    ModelRunner runner = new ModelRunner(graph);
    Map<String, Tensor> data = new LinkedHashMap<>();
    Map<String, String> sources = new LinkedHashMap<>();
    bindInputs(runner.inputNames(), data, sources);
    return runner.run(data, sources);
  }

  private void write(PrintWriter out, Map<String, Tensor> results) {

    if (output != null && results.size() != 1) {
      throw new UserError("--output takes one file, but the model has " + results.size() + " outputs (" + String.join(", ", results.keySet())
          + "); use --output-dir DIR");
    }
    if (outputDir != null) {
      try {
        Files.createDirectories(outputDir);
      } catch (java.io.IOException e) {
        throw new UserError("cannot create output folder " + outputDir + ": " + e.getMessage(), e);
      }
    }
    for (Map.Entry<String, Tensor> e : results.entrySet()) {
      Path target = output != null ? output : outputDir != null ? outputDir.resolve(fileName(e.getKey()) + ".npy") : null;
      if (target != null) {
        byte[] bytes = Npy.toBytes(e.getValue());
        AtomicFiles.write(target, o -> o.write(bytes));
      }
      out.println(e.getKey() + ": " + Tensors.summary(e.getValue()) + (target != null ? " -> " + target : ""));
    }
    out.flush();
  }

  private void bindInputs(List<String> names, Map<String, Tensor> data, Map<String, String> sources) {
    for (String spec : inputs) {
      int eq = spec.indexOf('=');
      String name;
      String file;
      if (eq > 0 && names.contains(spec.substring(0, eq))) {
        name = spec.substring(0, eq);
        file = spec.substring(eq + 1);
      } else if (eq > 0 && !Files.exists(Path.of(spec))) {
        throw new UserError("--input " + spec + ": the model has no input '" + spec.substring(0, eq) + "'; inputs: " + String.join(", ", names));
      } else {
        if (names.size() != 1) {
          throw new UserError("--input " + spec + ": the model has " + names.size() + " inputs (" + String.join(", ", names)
              + "); name each one: --input NAME=FILE.npy");
        }
        name = names.get(0);
        file = spec;
      }
      if (data.containsKey(name)) throw new UserError("input '" + name + "' is given twice (--input)");
      data.put(name, Npy.read(Path.of(file)));
      sources.put(name, file);
    }
  }

  /** Output names as file names: characters other than letters, digits, '.', '_' and '-' become '_'. */
  static String fileName(String outputName) {
    String s = outputName.replaceAll("[^A-Za-z0-9._-]", "_");
    return s.isEmpty() || s.equals(".") || s.equals("..") ? "_" + s : s;
  }
}

package org.npuc.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.npuc.diag.UserError;
import org.npuc.driver.ModelLoader;
import org.npuc.driver.ModelRunner;
import org.npuc.io.Npy;
import org.npuc.ir.Graph;
import org.npuc.ir.Tensor;
import org.npuc.quant.Agreement;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code npuc agree MODEL --input in.npy --ref a.npy --ref b.npy}: runs an integer model and checks
 * its output against two independent reference outputs with issue #5's rule (see {@link
 * Agreement}); prints the figures and exits 0 when the rule holds, 1 when it does not.
 */
@Command(name = "agree", mixinStandardHelpOptions = true,
    description = "Check a quantized model's outputs against two reference outputs that disagree slightly with each other.")
public final class AgreeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL", description = "The model (.tflite, .npuir, ...).")
  Path modelFile;

  @Option(names = {"-i", "--input"}, paramLabel = "FILE.npy", required = true, description = "The inputs, batch first (one-input models).")
  Path input;

  @Option(names = "--ref", paramLabel = "FILE.npy", required = true, description = "A reference output; give exactly two.")
  List<Path> refs;

  @Mixin ModelOptions model;

  @Override
  public Integer call() {
    if (refs.size() != 2) throw new UserError("--ref: give exactly two reference outputs, got " + refs.size());
    PrintWriter out = spec.commandLine().getOut();
    Graph graph = ModelLoader.load(model.toImportOptions(modelFile));
    ModelRunner runner = new ModelRunner(graph);
    if (runner.inputNames().size() != 1) throw new UserError(modelFile + " has " + runner.inputNames().size() + " inputs; agree takes one-input models");
    String name = runner.inputNames().get(0);
    Map<String, Tensor> results = runner.run(Map.of(name, Npy.read(input)), Map.of(name, input.toString()));
    Map.Entry<String, Tensor> first = results.entrySet().iterator().next();
    Tensor a = Npy.read(refs.get(0));
    Tensor b = Npy.read(refs.get(1));
    if (a.size() != first.getValue().size() || b.size() != first.getValue().size()) {
      throw new UserError("output '" + first.getKey() + "' has " + first.getValue().size() + " elements, the references " + a.size() + " and "
          + b.size() + "; give references for the same inputs");
    }
    Agreement.Result r = Agreement.compare(first.getValue(), a, b);
    out.println("output '" + first.getKey() + "' vs A=" + refs.get(0) + ", B=" + refs.get(1));
    out.println(r.format());
    out.flush();
    return r.passes() ? 0 : 1;
  }
}

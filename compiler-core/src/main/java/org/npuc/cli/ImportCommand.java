package org.npuc.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.npuc.diag.UserError;
import org.npuc.driver.ModelLoader;
import org.npuc.ir.Graph;
import org.npuc.ir.OpRegistry;
import org.npuc.ir.Verifier;
import org.npuc.ir.text.IrPrinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code npuc import MODEL -o model.npuir}: reads a framework model and writes it as IR text. */
@Command(name = "import", mixinStandardHelpOptions = true, description = "Import a model (TensorFlow, TFLite, Caffe, ...) and write it as npuc IR text.")
public final class ImportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL", description = "The model file (the format is recognized by content).")
  Path modelFile;

  @Option(names = {"-o", "--output"}, paramLabel = "OUT", required = true, description = "The .npuir file to write (every constant kept).")
  Path output;

  @Mixin ModelOptions model;

  @Override
  public Integer call() {
    Graph g = ModelLoader.load(model.toImportOptions(modelFile));
    Verifier.verify(g, OpRegistry.global());
    try {
      IrPrinter.writeFile(g, output);
    } catch (IOException e) {
      throw new UserError("cannot write " + output + ": " + e.getMessage(), e);
    }
    PrintWriter err = spec.commandLine().getErr();
    err.printf("wrote %s: %d ops, %d inputs, %d outputs%n", output, g.size(), g.inputs().size(), g.outputs().size());
    return 0;
  }
}

package org.npuc.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.npuc.pass.Pass;
import org.npuc.pass.PassOption;
import org.npuc.pass.PassRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code npuc passes}: every pass with its options (types, defaults, help) and the named pipelines. */
@Command(name = "passes", mixinStandardHelpOptions = true, description = "List the passes, their options and the named pipelines.")
public final class PassesCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PassRegistry registry = PassRegistry.global();
    out.println("Passes (use in --pipeline as name or name(option=value,...)):");
    for (Pass p : registry.allPasses()) {
      out.printf("  %-22s %s%n", p.name(), p.summary());
      for (PassOption<?> o : p.options()) {
        String dflt = o.defaultText().isEmpty() ? "" : ", default " + o.defaultText();
        out.printf("      %s=<%s%s>  %s%n", o.name(), o.type().shortName(), dflt, o.help());
      }
      if (!p.mustRunAfter().isEmpty()) out.printf("      (must run after: %s)%n", String.join(", ", p.mustRunAfter()));
    }
    out.println();
    out.println("Named pipelines (expand where named):");
    for (PassRegistry.NamedPipeline np : registry.pipelines()) {
      out.printf("  %-22s %s%n  %-22s = %s%n", np.name(), np.summary(), "", np.text());
    }
    return 0;
  }
}

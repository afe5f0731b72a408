package org.npuc.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.npuc.ir.OpRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code npuc ops}: the op registry (core ops and any a plugin added) with one line each. */
@Command(name = "ops", mixinStandardHelpOptions = true, description = "List the IR operations npuc knows (docs/ops.md has their semantics).")
public final class OpsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    OpRegistry registry = OpRegistry.global();
    for (String name : registry.names()) out.printf("  %-16s %s%n", name, registry.lookup(name).summary());
    out.printf("%d ops%n", registry.names().size());
    return 0;
  }
}

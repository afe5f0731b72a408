package org.npuc.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.npuc.diag.UserError;
import org.npuc.spi.TargetSpec;
import org.npuc.target.PluginHost;
import org.npuc.target.Targets;
import org.npuc.target.spec.SpecLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code npuc targets}: the backend plugins found (with versions and problems) and the target specs each can compile for. */
@Command(name = "targets", mixinStandardHelpOptions = true, description = "List backend plugins, their versions and the target specs.")
public final class TargetsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin TargetOptions targets;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Targets t = targets.open();
    PluginHost h = t.host();
    out.println("plugins in " + h.directory() + ":");
    if (h.plugins().isEmpty()) out.println("  (none)");
    for (PluginHost.PluginInfo p : h.plugins()) {
      out.println("  " + p.id() + " " + p.version() + (p.provider() != null && !p.provider().isBlank() ? " by " + p.provider() : "") + " [" + p.state() + "] "
          + p.path().getFileName());
    }
    out.println("backends:");
    if (h.backends().isEmpty()) out.println("  (none)");
    for (PluginHost.Loaded l : h.backends().values()) {
      out.println("  " + l.backend().id() + " (plugin " + l.pluginId() + " " + l.version() + ")" + (l.backend().description().isBlank() ? "" : ": " + l.backend().description()));
    }
    out.println("targets:");
    for (Map.Entry<String, SpecLoader.Source> e : t.sources().entrySet()) {
      String status;
      try {
        TargetSpec s = t.byName(e.getKey());
        status = "backend " + s.backend() + (h.backend(s.backend()) == null ? " (NOT INSTALLED)" : "");
      } catch (UserError ex) {
        status = "INVALID: " + ex.getMessage().replace("\n", " ");
      }
      out.println("  " + e.getKey() + "  " + e.getValue().origin() + "  " + status);
    }
    if (!h.problems().isEmpty() || !t.problems().isEmpty()) {
      out.println("problems:");
      for (String p : h.problems()) out.println("  " + p);
      for (String p : t.problems()) out.println("  " + p);
    }
    out.flush();
    return 0;
  }
}

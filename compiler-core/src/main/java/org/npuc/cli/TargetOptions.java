package org.npuc.cli;

import java.nio.file.Path;
import org.npuc.target.PluginHost;
import org.npuc.target.Targets;
import picocli.CommandLine.Option;

/** Where backend plugins and target specs come from; shared by {@code compile}, {@code run}, {@code inspect}, {@code targets}. */
public final class TargetOptions {
  @Option(names = "--plugins-dir", paramLabel = "DIR", description = "Load backend plugins from DIR (default: the launcher's plugins-dist).")
  Path pluginsDir;

  /** Loads the plugins and the known specs. */
  public Targets open() {
    Path dir = pluginsDir != null ? pluginsDir : Targets.defaultPluginsDir();
    return new Targets(PluginHost.open(dir), Targets.defaultSpecsDir());
  }
}

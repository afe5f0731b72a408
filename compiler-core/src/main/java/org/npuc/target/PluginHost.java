package org.npuc.target;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.npuc.spi.Backend;
import org.pf4j.DefaultPluginManager;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;

/**
 * Loads backend plugins with PF4J from one plugins directory (never from the application class
 * path). A plugin that cannot load (bad descriptor, missing class, wrong SPI version, a duplicate
 * backend id) is recorded as a problem naming it, and the others still load.
 */
public final class PluginHost implements AutoCloseable {
  /** A loaded backend and the plugin it came from. */
  public record Loaded(Backend backend, String pluginId, String version, String provider, Path path) {}

  /** One line per plugin for {@code npuc targets}. */
  public record PluginInfo(String id, String version, String provider, String requires, Path path, String state, String problem) {}

  private final Path dir;
  private final Manager manager;
  private final Map<String, Loaded> backends = new TreeMap<>();
  private final List<PluginInfo> plugins = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();

  private static final class Manager extends DefaultPluginManager {
    final Map<Path, Throwable> failures = new LinkedHashMap<>();

    Manager(Path root) {
      super(root);
    }

    @Override
    protected PluginWrapper loadPluginFromPath(Path pluginPath) {
      try {
        return super.loadPluginFromPath(pluginPath);
      } catch (RuntimeException e) {
        failures.put(pluginPath, e);
        throw e;
      }
    }
  }

  private PluginHost(Path dir) {
    this.dir = dir;
    if (System.getProperty("org.slf4j.simpleLogger.log.org.pf4j") == null) {
      // PF4J logs every failure with a stack trace; the host reports them itself, one line each.
      System.setProperty("org.slf4j.simpleLogger.log.org.pf4j", "off");
    }
    this.manager = new Manager(dir);
    manager.setSystemVersion(Backend.API_VERSION);
  }

  /** Loads every plugin in {@code dir} (a missing folder means no plugins, with a problem saying so). */
  public static PluginHost open(Path dir) {
    PluginHost h = new PluginHost(dir);
    h.load();
    return h;
  }

  public Path directory() {
    return dir;
  }

  private void load() {
    if (dir == null || !Files.isDirectory(dir)) {
      problems.add("plugins folder " + dir + " does not exist (build with 'mvn package', or give --plugins-dir DIR)");
      return;
    }
    try {
      manager.loadPlugins();
    } catch (RuntimeException e) {
      problems.add("loading plugins from " + dir + ": " + message(e));
    }
    for (Map.Entry<Path, Throwable> f : manager.failures.entrySet()) {
      String why = message(f.getValue());
      if (why.contains("No PluginDescriptorFinder")) {
        why = "no plugin descriptor found (a jar needs META-INF/MANIFEST.MF with Plugin-Id, Plugin-Version and Plugin-Requires), or not a valid jar";
      }
      problems.add("plugin " + f.getKey().getFileName() + " cannot be loaded: " + why);
      plugins.add(new PluginInfo("?", "?", "?", "?", f.getKey(), "FAILED", why));
    }
    try {
      manager.startPlugins();
    } catch (RuntimeException e) {
      problems.add("starting plugins: " + message(e));
    }
    Set<Path> seen = new HashSet<>(manager.failures.keySet());
    for (PluginWrapper w : manager.getPlugins()) {
      seen.add(w.getPluginPath());
      var d = w.getDescriptor();
      String problem = null;
      if (w.getPluginState() != PluginState.STARTED) {
        problem = stateProblem(w);
      } else {
        problem = loadBackends(w);
      }
      if (problem != null) problems.add("plugin " + w.getPluginId() + " (" + w.getPluginPath().getFileName() + "): " + problem);
      plugins.add(new PluginInfo(w.getPluginId(), d.getVersion(), d.getProvider(), d.getRequires(), w.getPluginPath(), w.getPluginState().toString(), problem));
    }
    try (Stream<Path> s = Files.list(dir)) {
      s.sorted().forEach(p -> {
        String n = p.getFileName().toString();
        if (!seen.contains(p) && (n.endsWith(".jar") || n.endsWith(".zip"))) {
          boolean expanded = seen.stream().anyMatch(q -> q.getFileName().toString().equals(n.substring(0, n.length() - 4)));
          if (!expanded) problems.add("plugin " + n + " was not loaded (no valid plugin descriptor)");
        }
      });
    } catch (IOException e) {
      problems.add("cannot list " + dir + ": " + e.getMessage());
    }
  }

  private String stateProblem(PluginWrapper w) {
    if (w.getPluginState() == PluginState.DISABLED && !manager.getVersionManager().checkVersionConstraint(Backend.API_VERSION, w.getDescriptor().getRequires())) {
      return "needs npuc SPI " + w.getDescriptor().getRequires() + ", this npuc provides " + Backend.API_VERSION + " (rebuild the plugin against this npuc)";
    }
    Throwable t = w.getFailedException();
    return "state " + w.getPluginState() + (t != null ? ": " + message(t) : "");
  }

  private String loadBackends(PluginWrapper w) {
    String id = w.getPluginId();
    List<String> issues = new ArrayList<>();
    Set<String> listed = manager.getExtensionClassNames(id);
    List<Backend> found;
    try {
      found = manager.getExtensions(Backend.class, id);
    } catch (RuntimeException | LinkageError e) {
      return "cannot create its backends: " + message(e);
    }
    Set<String> made = new HashSet<>();
    for (Backend b : found) made.add(b.getClass().getName());
    for (String cls : listed == null ? Set.<String>of() : listed) {
      if (made.contains(cls)) continue;
      try {
        Class<?> c = w.getPluginClassLoader().loadClass(cls);
        if (Backend.class.isAssignableFrom(c)) issues.add("extension " + cls + " could not be created (needs a public no-argument constructor)");
      } catch (ClassNotFoundException | LinkageError e) {
        issues.add("extension class " + cls + " is listed but cannot be loaded: " + message(e));
      }
    }
    for (Backend b : found) {
      String bid;
      try {
        bid = b.id();
      } catch (RuntimeException | LinkageError e) {
        issues.add("backend " + b.getClass().getName() + " failed in id(): " + message(e));
        continue;
      }
      Loaded prev = backends.get(bid);
      if (prev != null) {
        issues.add("backend id '" + bid + "' is already provided by plugin " + prev.pluginId() + "; this one is ignored");
        continue;
      }
      backends.put(bid, new Loaded(b, id, w.getDescriptor().getVersion(), w.getDescriptor().getProvider(), w.getPluginPath()));
    }
    if (found.isEmpty() && issues.isEmpty()) issues.add("provides no backend (no @Extension implementing org.npuc.spi.Backend)");
    return issues.isEmpty() ? null : String.join("; ", issues);
  }

  private static String message(Throwable t) {
    Throwable root = t;
    StringBuilder sb = new StringBuilder(String.valueOf(t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName()));
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
      String m = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
      if (!sb.toString().contains(m)) sb.append(": ").append(m);
    }
    if (t instanceof ClassNotFoundException || t instanceof NoClassDefFoundError) return "class not found: " + t.getMessage();
    return sb.toString();
  }

  /** Backends by id. */
  public Map<String, Loaded> backends() {
    return Collections.unmodifiableMap(backends);
  }

  public Loaded backend(String id) {
    return backends.get(id);
  }

  public List<PluginInfo> plugins() {
    return Collections.unmodifiableList(plugins);
  }

  /** Problems found while loading, one line each naming the plugin. */
  public List<String> problems() {
    return Collections.unmodifiableList(problems);
  }

  /** Class loader of the plugin that provides {@code backendId} (to read its bundled specs). */
  public ClassLoader classLoader(String backendId) {
    Loaded l = backends.get(backendId);
    return l == null ? null : manager.getPluginClassLoader(l.pluginId());
  }

  @Override
  public void close() {
    try {
      manager.stopPlugins();
      manager.unloadPlugins();
    } catch (RuntimeException e) {
      // Closing is best effort; nothing a user can act on.
    }
  }
}

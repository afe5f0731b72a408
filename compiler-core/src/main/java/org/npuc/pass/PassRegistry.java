package org.npuc.pass;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The passes and named pipelines known to this process: a factory per pass name (each pipeline
 * gets fresh, separately configured instances) and pipelines such as {@code optimize} that expand
 * where named. The global registry holds the catalog of {@code org.npuc.transforms.Passes} plus
 * whatever plugins add.
 */
public final class PassRegistry {
  /** A named pipeline: its name, its expansion as pipeline text, and one line of summary. */
  public record NamedPipeline(String name, String text, String summary) {}

  private static final PassRegistry GLOBAL = new PassRegistry();
  private static volatile boolean catalogLoaded;

  private final Map<String, Supplier<Pass>> factories = new TreeMap<>();
  private final Map<String, NamedPipeline> pipelines = new TreeMap<>();

  /** The process-wide registry, with the core catalog registered. */
  public static PassRegistry global() {
    if (!catalogLoaded) {
      synchronized (PassRegistry.class) {
        if (!catalogLoaded) {
          org.npuc.transforms.Passes.registerAll(GLOBAL);
          catalogLoaded = true;
        }
      }
    }
    return GLOBAL;
  }

  /** Registers a pass by its factory; the name comes from the pass itself. */
  public synchronized void register(Supplier<Pass> factory) {
    String name = factory.get().name();
    if (pipelines.containsKey(name) || factories.putIfAbsent(name, factory) != null) {
      throw new IllegalStateException("pass '" + name + "' is already registered");
    }
  }

  /** Registers a named pipeline; its text is parsed (and must be valid) when first used. */
  public synchronized void registerPipeline(String name, String text, String summary) {
    if (factories.containsKey(name) || pipelines.putIfAbsent(name, new NamedPipeline(name, text, summary)) != null) {
      throw new IllegalStateException("pipeline '" + name + "' clashes with a registered pass or pipeline");
    }
  }

  /** A fresh instance of the pass called {@code name}, or null when there is none. */
  public synchronized Pass create(String name) {
    Supplier<Pass> f = factories.get(name);
    return f == null ? null : f.get();
  }

  public synchronized boolean hasPass(String name) {
    return factories.containsKey(name);
  }

  /** The named pipeline called {@code name}, or null. */
  public synchronized NamedPipeline pipeline(String name) {
    return pipelines.get(name);
  }

  /** Sorted pass names. */
  public synchronized List<String> passNames() {
    return new ArrayList<>(factories.keySet());
  }

  /** Named pipelines sorted by name. */
  public synchronized List<NamedPipeline> pipelines() {
    return new ArrayList<>(pipelines.values());
  }

  /** Fresh instances of every pass, sorted by name (for listings). */
  public synchronized List<Pass> allPasses() {
    List<Pass> r = new ArrayList<>();
    for (Supplier<Pass> f : factories.values()) r.add(f.get());
    return r;
  }
}

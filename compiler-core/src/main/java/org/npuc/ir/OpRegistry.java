package org.npuc.ir;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The op definitions known to this process, by name. The global registry holds the core ops
 * (registered on first use) and whatever plugins add.
 */
public final class OpRegistry {
  private static final OpRegistry GLOBAL = new OpRegistry();
  private static volatile boolean coreLoaded;

  private final Map<String, OpDefinition> defs = new ConcurrentHashMap<>();

  /** The process-wide registry, with the core ops registered. */
  public static OpRegistry global() {
    if (!coreLoaded) {
      synchronized (OpRegistry.class) {
        if (!coreLoaded) {
          coreLoaded = true;
          org.npuc.ops.CoreOps.registerAll(GLOBAL);
        }
      }
    }
    return GLOBAL;
  }

  public void register(OpDefinition def) {
    OpDefinition prev = defs.putIfAbsent(def.name(), def);
    if (prev != null && prev != def) throw new IllegalStateException("op '" + def.name() + "' is already registered");
  }

  /** The definition of {@code name}, or null. */
  public OpDefinition lookup(String name) {
    return defs.get(name);
  }

  /** The definition of {@code op}'s name; throws {@link IrException} naming the op when unknown. */
  public OpDefinition require(Operation op) {
    OpDefinition d = defs.get(op.name());
    if (d == null) throw new IrException(op, "unknown op '" + op.name() + "'");
    return d;
  }

  /** Sorted op names. */
  public List<String> names() {
    List<String> r = new ArrayList<>(defs.keySet());
    r.sort(null);
    return r;
  }
}

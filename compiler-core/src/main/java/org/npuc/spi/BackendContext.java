package org.npuc.spi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the host hands a backend for one compile: the validated spec, the user's requests (layers
 * forced to int8 or kept in float) and a sink for warnings that end up in the compile report. New
 * needs are added here as methods, so backend method signatures stay stable.
 */
public final class BackendContext {
  private final TargetSpec spec;
  private final Set<String> forceInt8 = new TreeSet<>();
  private final Set<String> keepFloat = new TreeSet<>();
  private final Map<String, String> metadata = new TreeMap<>();
  private final List<String> warnings = new ArrayList<>();

  public BackendContext(TargetSpec spec) {
    this.spec = spec;
  }

  public TargetSpec spec() {
    return spec;
  }

  /** Layer names (location names) the user forces into int8 even where the target advises against it. */
  public Set<String> forceInt8() {
    return forceInt8;
  }

  /** Layer names the user keeps in float. */
  public Set<String> keepFloat() {
    return keepFloat;
  }

  /** Facts recorded into the binary's metadata (pipeline, calibration method, ...), sorted by key. */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** Reports a warning (name the layer) for the compile summary. */
  public void warn(String message) {
    warnings.add(message);
  }

  public List<String> warnings() {
    return Collections.unmodifiableList(warnings);
  }
}

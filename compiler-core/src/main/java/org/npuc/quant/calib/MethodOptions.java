package org.npuc.quant.calib;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.npuc.diag.Suggestions;
import org.npuc.diag.UserError;

/**
 * The options of a threshold method as typed, {@code name(key=value,...)}, read with typed
 * getters; every option a method did not read is reported as unknown by {@link #checkAllUsed}.
 */
public final class MethodOptions {
  private final String method;
  private final Map<String, String> values;
  private final Set<String> known = new LinkedHashSet<>();

  public MethodOptions(String method, Map<String, String> values) {
    this.method = method;
    this.values = new LinkedHashMap<>(values);
  }

  public static MethodOptions none(String method) {
    return new MethodOptions(method, Map.of());
  }

  public Map<String, String> asMap() {
    return Collections.unmodifiableMap(values);
  }

  /** A number option; must be finite and within [lo, hi]. */
  public double getDouble(String key, double dflt, double lo, double hi) {
    known.add(key);
    String v = values.get(key);
    if (v == null) return dflt;
    double d;
    try {
      d = Double.parseDouble(v.trim());
    } catch (NumberFormatException e) {
      throw new UserError("calibration method '" + method + "': option " + key + "=" + v + " is not a number");
    }
    if (!(d >= lo && d <= hi)) {
      throw new UserError("calibration method '" + method + "': option " + key + "=" + v + " must be in [" + lo + ", " + hi + "]");
    }
    return d;
  }

  /** An integer option within [lo, hi]. */
  public int getInt(String key, int dflt, int lo, int hi) {
    known.add(key);
    String v = values.get(key);
    if (v == null) return dflt;
    int i;
    try {
      i = Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new UserError("calibration method '" + method + "': option " + key + "=" + v + " is not an integer");
    }
    if (i < lo || i > hi) {
      throw new UserError("calibration method '" + method + "': option " + key + "=" + v + " must be in [" + lo + ", " + hi + "]");
    }
    return i;
  }

  /** A word option, one of {@code choices} (the first is the default). */
  public String getChoice(String key, String... choices) {
    known.add(key);
    String v = values.get(key);
    if (v == null) return choices[0];
    for (String c : choices) if (c.equalsIgnoreCase(v.trim())) return c;
    throw new UserError("calibration method '" + method + "': option " + key + "=" + v + " must be one of " + String.join(", ", choices));
  }

  /** Fails, naming each, when an option was given that the method does not have. */
  public void checkAllUsed() {
    List<String> unknown = new ArrayList<>();
    for (String k : values.keySet()) {
      if (known.contains(k)) continue;
      String near = Suggestions.nearest(k, known);
      unknown.add("'" + k + "'" + (near != null ? " (did you mean '" + near + "'?)" : ""));
    }
    if (!unknown.isEmpty()) {
      throw new UserError("calibration method '" + method + "' has no option " + String.join(", ", unknown)
          + "; its options: " + (known.isEmpty() ? "none" : String.join(", ", known)));
    }
  }
}

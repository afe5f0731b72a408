package org.npuc.target.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.npuc.spi.SpecKey;

/** Checks a spec's {@code options:} against a backend's {@link SpecKey}s and fills in the defaults. */
final class OptionBinder {
  private OptionBinder() {}

  static Map<String, Object> bind(SpecNode options, List<SpecKey> keys, SpecChecker c) {
    Map<String, Object> r = new TreeMap<>();
    List<String> names = new ArrayList<>();
    List<String> required = new ArrayList<>();
    for (SpecKey k : keys) {
      names.add(k.name());
      if (k.defaultValue() == null) required.add(k.name());
    }
    if (options == null) {
      for (String k : required) c.errors.add("options." + k + ": missing required key '" + k + "'");
    } else {
      c.keys(options, "options", names, required);
    }
    for (SpecKey k : keys) {
      Object v = k.defaultValue();
      if (options != null && options.map.containsKey(k.name())) {
        v = switch (k.type()) {
          case INT -> c.integer(options, k.name(), "options", 0);
          case FLOAT -> c.number(options, k.name(), "options", 0);
          case BOOL -> c.bool(options, k.name(), "options", false);
          case STRING -> c.string(options, k.name(), "options", "");
          case STRING_LIST -> c.strings(options, k.name(), "options", null);
        };
      }
      if (v != null) r.put(k.name(), v);
    }
    return r;
  }
}

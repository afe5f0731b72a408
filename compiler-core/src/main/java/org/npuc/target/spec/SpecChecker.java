package org.npuc.target.spec;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.npuc.diag.Suggestions;

/** Typed reads of spec values that collect every problem with its file, line, key and the allowed values. */
final class SpecChecker {
  final List<String> errors = new ArrayList<>();

  void error(String where, String path, String message) {
    errors.add(where + ": " + path + ": " + message);
  }

  /** Reports keys of {@code map} not in {@code allowed} (nearest name and the list) and missing required keys. */
  void keys(SpecNode map, String path, Collection<String> allowed, Collection<String> required) {
    for (String k : map.map.keySet()) {
      if (!allowed.contains(k)) {
        String near = Suggestions.nearest(k, allowed);
        error(map.whereKey(k), join(path, k), "unknown key" + (near != null ? " (did you mean '" + near + "'?)" : "") + "; allowed keys: "
            + String.join(", ", allowed));
      }
    }
    for (String k : required) {
      if (!map.map.containsKey(k) || map.map.get(k).kind == SpecNode.Kind.NULL) {
        error(map.where(), join(path, k), "missing required key '" + k + "'");
      }
    }
  }

  static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  SpecNode map(SpecNode parent, String key, String path) {
    SpecNode n = parent.map.get(key);
    if (n == null || n.kind == SpecNode.Kind.NULL) return null;
    if (n.kind != SpecNode.Kind.MAP) {
      error(n.where(), join(path, key), "expected a map of keys, got " + n.describe());
      return null;
    }
    return n;
  }

  String string(SpecNode parent, String key, String path, String dflt) {
    SpecNode n = parent == null ? null : parent.map.get(key);
    if (n == null || n.kind == SpecNode.Kind.NULL) return dflt;
    if (n.kind == SpecNode.Kind.MAP || n.kind == SpecNode.Kind.LIST) {
      error(n.where(), join(path, key), "expected a string, got " + n.describe());
      return dflt;
    }
    return n.text;
  }

  String choice(SpecNode parent, String key, String path, String dflt, Set<String> allowed) {
    String v = string(parent, key, path, dflt);
    if (v != null && !allowed.contains(v)) {
      String near = Suggestions.nearest(v, allowed);
      error(parent.map.get(key).where(), join(path, key), "'" + v + "' is not allowed" + (near != null ? " (did you mean '" + near + "'?)" : "")
          + "; allowed values: " + String.join(", ", allowed));
      return dflt;
    }
    return v;
  }

  long integer(SpecNode parent, String key, String path, long dflt) {
    SpecNode n = parent == null ? null : parent.map.get(key);
    if (n == null || n.kind == SpecNode.Kind.NULL) return dflt;
    return integer(n, join(path, key), dflt);
  }

  long integer(SpecNode n, String path, long dflt) {
    if (n.kind != SpecNode.Kind.INT) {
      error(n.where(), path, "expected an integer, got " + n.describe());
      return dflt;
    }
    try {
      long v = Long.parseLong(n.text);
      if (v < 0) error(n.where(), path, "expected a non-negative integer, got " + v);
      return v;
    } catch (NumberFormatException e) {
      error(n.where(), path, "integer out of range: " + n.text);
      return dflt;
    }
  }

  double number(SpecNode parent, String key, String path, double dflt) {
    SpecNode n = parent == null ? null : parent.map.get(key);
    if (n == null || n.kind == SpecNode.Kind.NULL) return dflt;
    if (n.kind != SpecNode.Kind.INT && n.kind != SpecNode.Kind.FLOAT) {
      error(n.where(), join(path, key), "expected a number, got " + n.describe());
      return dflt;
    }
    double v = Double.parseDouble(n.text);
    if (!(v > 0)) error(n.where(), join(path, key), "expected a positive number, got " + n.text);
    return v;
  }

  boolean bool(SpecNode parent, String key, String path, boolean dflt) {
    SpecNode n = parent == null ? null : parent.map.get(key);
    if (n == null || n.kind == SpecNode.Kind.NULL) return dflt;
    if (n.kind != SpecNode.Kind.BOOL) {
      error(n.where(), join(path, key), "expected true or false, got " + n.describe());
      return dflt;
    }
    return Boolean.parseBoolean(n.text);
  }

  List<Long> integers(SpecNode parent, String key, String path) {
    SpecNode n = parent == null ? null : parent.map.get(key);
    List<Long> r = new ArrayList<>();
    if (n == null || n.kind == SpecNode.Kind.NULL) return r;
    if (n.kind != SpecNode.Kind.LIST) {
      error(n.where(), join(path, key), "expected a list of integers like [1, 2], got " + n.describe());
      return r;
    }
    for (SpecNode e : n.list) r.add(integer(e, join(path, key), 0));
    return r;
  }

  List<String> strings(SpecNode parent, String key, String path, Set<String> allowed) {
    SpecNode n = parent == null ? null : parent.map.get(key);
    List<String> r = new ArrayList<>();
    if (n == null || n.kind == SpecNode.Kind.NULL) return r;
    if (n.kind != SpecNode.Kind.LIST) {
      error(n.where(), join(path, key), "expected a list like [a, b], got " + n.describe());
      return r;
    }
    for (SpecNode e : n.list) {
      if (e.kind == SpecNode.Kind.MAP || e.kind == SpecNode.Kind.LIST || e.kind == SpecNode.Kind.NULL) {
        error(e.where(), join(path, key), "expected a string, got " + e.describe());
      } else if (allowed != null && !allowed.contains(e.text)) {
        String near = Suggestions.nearest(e.text, allowed);
        error(e.where(), join(path, key), "'" + e.text + "' is not allowed" + (near != null ? " (did you mean '" + near + "'?)" : "") + "; allowed values: "
            + String.join(", ", allowed));
      } else {
        r.add(e.text);
      }
    }
    return r;
  }
}

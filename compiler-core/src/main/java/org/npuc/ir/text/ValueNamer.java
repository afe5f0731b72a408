package org.npuc.ir.text;

import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import org.npuc.ir.Graph;
import org.npuc.ir.Operation;
import org.npuc.ir.Value;

/**
 * Gives every value of a graph its printed name: the {@link Value#name()} hint sanitized to {@code
 * [A-Za-z0-9_.$-]} and made unique with {@code _1}, {@code _2}, ..., or a number when there is no
 * hint. All-digit names are reserved for numbering, so a hint such as "7" becomes "_7".
 */
final class ValueNamer {
  private final Map<Value, String> names = new IdentityHashMap<>();
  private final Set<String> used = new HashSet<>();
  private final Map<String, Integer> nextSuffix = new HashMap<>();
  private int counter;

  ValueNamer(Graph graph) {
    for (Operation op = graph.first(); op != null; op = op.next()) {
      for (Value r : op.results()) names.put(r, assign(r.name()));
    }
  }

  /** The printed name with its {@code %}; fails for a value not defined in the graph. */
  String name(Value v) {
    String n = names.get(v);
    if (n == null) {
      throw new IllegalStateException(
          "operand "
              + v
              + " is not defined by an op of this graph (defined by "
              + v.definingOp()
              + ")");
    }
    return n;
  }

  private String assign(String hint) {
    if (hint == null || hint.isEmpty()) {
      String s;
      do {
        s = Integer.toString(counter++);
      } while (used.contains(s));
      used.add(s);
      return "%" + s;
    }
    String base = sanitize(hint);
    if (used.add(base)) return "%" + base;
    int k = nextSuffix.getOrDefault(base, 1);
    while (used.contains(base + "_" + k)) k++;
    nextSuffix.put(base, k + 1);
    String s = base + "_" + k;
    used.add(s);
    return "%" + s;
  }

  static String sanitize(String hint) {
    StringBuilder sb = new StringBuilder(hint.length());
    boolean allDigits = true;
    for (int i = 0; i < hint.length(); i++) {
      char c = hint.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '_'
              || c == '.'
              || c == '$'
              || c == '-';
      sb.append(ok ? c : '_');
      if (c < '0' || c > '9') allDigits = false;
    }
    return allDigits ? "_" + sb : sb.toString();
  }

  /** The name hint the parser gives a value written {@code %text}: null for a plain number. */
  static String hintOf(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') return text;
    }
    return null;
  }
}

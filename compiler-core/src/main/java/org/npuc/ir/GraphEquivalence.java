package org.npuc.ir;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.npuc.ir.type.TensorType;

/**
 * Structural comparison of two graphs: ops in order with their names, attributes (tensors bit for
 * bit), result types, operand wiring, value names and locations. Returns the first difference as a
 * message, for round-trip tests and for passes that check what they rebuilt.
 */
public final class GraphEquivalence {
  private final boolean compareValueNames;
  private final boolean compareLocations;

  private GraphEquivalence(boolean compareValueNames, boolean compareLocations) {
    this.compareValueNames = compareValueNames;
    this.compareLocations = compareLocations;
  }

  /** Compares everything. */
  public static GraphEquivalence strict() {
    return new GraphEquivalence(true, true);
  }

  /** A comparison that ignores value name hints. */
  public GraphEquivalence ignoringValueNames() {
    return new GraphEquivalence(false, compareLocations);
  }

  /** A comparison that ignores op locations. */
  public GraphEquivalence ignoringLocations() {
    return new GraphEquivalence(compareValueNames, false);
  }

  /** The first difference between {@code a} and {@code b} under a strict comparison, or null. */
  public static String firstDifference(Graph a, Graph b) {
    return strict().compare(a, b);
  }

  /** The first difference between {@code a} and {@code b}, or null when they are equivalent. */
  public String compare(Graph a, Graph b) {
    if (!Objects.equals(a.name(), b.name()))
      return "graph name: '" + a.name() + "' vs '" + b.name() + "'";
    String d = attributes(a.attributes(), b.attributes());
    if (d != null) return "graph attributes: " + d;
    Map<Value, Value> map = new IdentityHashMap<>();
    Operation x = a.first();
    Operation y = b.first();
    int index = 0;
    for (; x != null && y != null; x = x.next(), y = y.next(), index++) {
      d = operation(x, y, map);
      if (d != null)
        return "op #" + index + " (" + x.name() + " at " + x.location().describe() + "): " + d;
    }
    if (x != null || y != null) {
      return "op count: "
          + a.size()
          + " vs "
          + b.size()
          + " (first extra op: "
          + (x != null ? x : y)
          + " at #"
          + index
          + ")";
    }
    return null;
  }

  private String operation(Operation x, Operation y, Map<Value, Value> map) {
    if (!x.name().equals(y.name())) return "op name " + x.name() + " vs " + y.name();
    if (x.numOperands() != y.numOperands())
      return "operand count " + x.numOperands() + " vs " + y.numOperands();
    for (int i = 0; i < x.numOperands(); i++) {
      Value mapped = map.get(x.operand(i));
      if (mapped == null)
        return "operand " + i + " is not defined by an earlier op of the first graph";
      if (mapped != y.operand(i)) {
        return "operand " + i + " is " + describe(x.operand(i)) + " vs " + describe(y.operand(i));
      }
    }
    if (x.numResults() != y.numResults())
      return "result count " + x.numResults() + " vs " + y.numResults();
    for (int i = 0; i < x.numResults(); i++) {
      Value u = x.result(i);
      Value v = y.result(i);
      if (!u.type().equals(v.type()))
        return "result " + i + " type " + u.type().toText() + " vs " + v.type().toText();
      if (compareValueNames && !Objects.equals(u.name(), v.name())) {
        return "result " + i + " name '" + u.name() + "' vs '" + v.name() + "'";
      }
      map.put(u, v);
    }
    String d = attributes(x.attributes(), y.attributes());
    if (d != null) return d;
    if (compareLocations && !x.location().equals(y.location())) {
      return "location " + x.location().describe() + " vs " + y.location().describe();
    }
    return null;
  }

  private static String describe(Value v) {
    Operation def = v.definingOp();
    return "result "
        + v.resultIndex()
        + " of "
        + def.name()
        + " '"
        + v.name()
        + "' at "
        + def.location().describe();
  }

  private static String attributes(Attributes a, Attributes b) {
    if (!a.keys().equals(b.keys())) {
      TreeSet<String> onlyA = new TreeSet<>(a.keys());
      onlyA.removeAll(b.keys());
      TreeSet<String> onlyB = new TreeSet<>(b.keys());
      onlyB.removeAll(a.keys());
      return "attribute keys differ: only in first " + onlyA + ", only in second " + onlyB;
    }
    for (String k : a.keys()) {
      Object u = a.get(k);
      Object v = b.get(k);
      String d = value(u, v);
      if (d != null) return "attribute '" + k + "': " + d;
    }
    return null;
  }

  private static String value(Object u, Object v) {
    if (u.getClass() != v.getClass())
      return "kind " + Attributes.describeKind(u) + " vs " + Attributes.describeKind(v);
    if (u instanceof Tensor s && v instanceof Tensor t) return tensor(s, t);
    if (u instanceof Double x && v instanceof Double y) {
      return Double.doubleToLongBits(x) == Double.doubleToLongBits(y) ? null : x + " vs " + y;
    }
    if (u instanceof double[] x && v instanceof double[] y) {
      if (x.length != y.length) return "length " + x.length + " vs " + y.length;
      for (int i = 0; i < x.length; i++) {
        if (Double.doubleToLongBits(x[i]) != Double.doubleToLongBits(y[i]))
          return "element " + i + ": " + x[i] + " vs " + y[i];
      }
      return null;
    }
    if (Attributes.valueEquals(u, v)) return null;
    return text(u) + " vs " + text(v);
  }

  private static String text(Object o) {
    if (o instanceof long[] a) return Arrays.toString(a);
    if (o instanceof String[] a) return Arrays.toString(a);
    if (o instanceof String s) return "\"" + s + "\"";
    if (o instanceof TensorType t) return t.toText();
    return String.valueOf(o);
  }

  /** Same type and shape and bit-identical elements (NaN payloads and signed zeros included). */
  private static String tensor(Tensor s, Tensor t) {
    if (!s.type().equals(t.type()))
      return "tensor type " + s.type().toText() + " vs " + t.type().toText();
    if (s.isFloat() != t.isFloat()) return "tensor storage differs (float vs int)";
    int n = s.size();
    if (s.isFloat()) {
      float[] x = s.floats();
      float[] y = t.floats();
      for (int i = 0; i < n; i++) {
        int bx = Float.floatToRawIntBits(x[i]);
        int by = Float.floatToRawIntBits(y[i]);
        if (bx != by) {
          return "tensor element "
              + i
              + ": "
              + x[i]
              + " vs "
              + y[i]
              + String.format(" (bits 0x%08x vs 0x%08x)", bx, by);
        }
      }
    } else {
      int[] x = s.ints();
      int[] y = t.ints();
      for (int i = 0; i < n; i++)
        if (x[i] != y[i]) return "tensor element " + i + ": " + x[i] + " vs " + y[i];
    }
    return null;
  }
}

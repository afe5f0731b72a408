package org.npuc.ir;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.npuc.ir.type.TensorType;

/**
 * The attributes of an operation: a map from name to value, sorted by name. Values are one of
 * {@code Long}, {@code Double}, {@code Boolean}, {@code String}, {@code long[]}, {@code double[]},
 * {@code String[]}, {@link Tensor} or {@link TensorType}; typed getters convert and check.
 * Sorted so that the text form and hashing are deterministic.
 */
public final class Attributes {
  private static final String[] NO_KEYS = new String[0];
  private static final Object[] NO_VALUES = new Object[0];

  // Keys in ascending order and their values, parallel: an op has a handful of attributes, so a
  // binary search over two small arrays beats a tree map in both lookups and memory.
  private String[] keys = NO_KEYS;
  private Object[] values = NO_VALUES;
  private int size;

  public Attributes() {}

  public Attributes(Attributes other) {
    if (other.size == 0) return;
    keys = Arrays.copyOf(other.keys, other.size);
    values = new Object[other.size];
    for (int i = 0; i < other.size; i++) values[i] = copyValue(other.values[i]);
    size = other.size;
  }

  public static Attributes of(Object... keyValues) {
    if (keyValues.length % 2 != 0) throw new IllegalArgumentException("odd number of key/value arguments");
    Attributes a = new Attributes();
    for (int i = 0; i < keyValues.length; i += 2) a.set((String) keyValues[i], keyValues[i + 1]);
    return a;
  }

  /**
   * Sets an attribute, normalizing Java types: Integer → Long, Float → Double, int[] → long[],
   * float[] → double[].
   */
  public Attributes set(String key, Object value) {
    Object v = normalize(key, value);
    int i = indexOf(key);
    if (i >= 0) {
      values[i] = v;
      return this;
    }
    i = -i - 1;
    if (size == keys.length) {
      int cap = Math.max(4, size * 2);
      keys = Arrays.copyOf(keys, cap);
      values = Arrays.copyOf(values, cap);
    }
    System.arraycopy(keys, i, keys, i + 1, size - i);
    System.arraycopy(values, i, values, i + 1, size - i);
    keys[i] = key;
    values[i] = v;
    size++;
    return this;
  }

  public Attributes remove(String key) {
    int i = indexOf(key);
    if (i < 0) return this;
    System.arraycopy(keys, i + 1, keys, i, size - i - 1);
    System.arraycopy(values, i + 1, values, i, size - i - 1);
    size--;
    keys[size] = null;
    values[size] = null;
    return this;
  }

  public boolean has(String key) {
    return indexOf(key) >= 0;
  }

  public Object get(String key) {
    int i = indexOf(key);
    return i >= 0 ? values[i] : null;
  }

  /** The number of attributes. */
  public int size() {
    return size;
  }

  /** The i-th key in ascending order. */
  public String key(int i) {
    Objects.checkIndex(i, size);
    return keys[i];
  }

  /** The value of the i-th key in ascending order. */
  public Object value(int i) {
    Objects.checkIndex(i, size);
    return values[i];
  }

  /** The keys in ascending order (a snapshot). */
  public Set<String> keys() {
    Set<String> r = new LinkedHashSet<>();
    for (int i = 0; i < size; i++) r.add(keys[i]);
    return Collections.unmodifiableSet(r);
  }

  /** The attributes in ascending key order (a snapshot). */
  public Map<String, Object> asMap() {
    Map<String, Object> r = new LinkedHashMap<>();
    for (int i = 0; i < size; i++) r.put(keys[i], values[i]);
    return Collections.unmodifiableMap(r);
  }

  public boolean isEmpty() {
    return size == 0;
  }

  // The slot of key, or -(insertion point) - 1 when absent (as Arrays.binarySearch).
  private int indexOf(String key) {
    return Arrays.binarySearch(keys, 0, size, key);
  }

  public long getLong(String key, long dflt) {
    Object v = get(key);
    if (v == null) return dflt;
    if (v instanceof Long l) return l;
    if (v instanceof Boolean b) return b ? 1 : 0;
    throw typeError(key, "an integer", v);
  }

  public int getInt(String key, int dflt) {
    return Math.toIntExact(getLong(key, dflt));
  }

  public int getInt(String key) {
    requireKey(key);
    return getInt(key, 0);
  }

  public double getDouble(String key, double dflt) {
    Object v = get(key);
    if (v == null) return dflt;
    if (v instanceof Double d) return d;
    if (v instanceof Long l) return l;
    throw typeError(key, "a number", v);
  }

  public double getDouble(String key) {
    requireKey(key);
    return getDouble(key, 0);
  }

  public float getFloat(String key, float dflt) {
    return (float) getDouble(key, dflt);
  }

  public boolean getBool(String key, boolean dflt) {
    Object v = get(key);
    if (v == null) return dflt;
    if (v instanceof Boolean b) return b;
    if (v instanceof Long l) return l != 0;
    throw typeError(key, "a boolean", v);
  }

  public String getString(String key, String dflt) {
    Object v = get(key);
    if (v == null) return dflt;
    if (v instanceof String s) return s;
    throw typeError(key, "a string", v);
  }

  public String getString(String key) {
    requireKey(key);
    return getString(key, null);
  }

  public long[] getLongs(String key, long[] dflt) {
    Object v = get(key);
    if (v == null) return dflt == null ? null : dflt.clone();
    if (v instanceof long[] a) return a.clone();
    if (v instanceof Long l) return new long[] {l};
    throw typeError(key, "a list of integers", v);
  }

  public int[] getInts(String key, int[] dflt) {
    Object v = get(key);
    if (v == null) return dflt == null ? null : dflt.clone();
    if (v instanceof Long l1) return new int[] {Math.toIntExact(l1)};
    if (!(v instanceof long[] l)) throw typeError(key, "a list of integers", v);
    // Read in place: the result is a new array anyway, so the long[] needs no copy of its own.
    int[] r = new int[l.length];
    for (int i = 0; i < l.length; i++) r[i] = Math.toIntExact(l[i]);
    return r;
  }

  public int[] getInts(String key) {
    requireKey(key);
    return getInts(key, null);
  }

  public double[] getDoubles(String key, double[] dflt) {
    Object v = get(key);
    if (v == null) return dflt == null ? null : dflt.clone();
    if (v instanceof double[] a) return a.clone();
    if (v instanceof long[] a) return Arrays.stream(a).asDoubleStream().toArray();
    if (v instanceof Double d) return new double[] {d};
    if (v instanceof Long l) return new double[] {l};
    throw typeError(key, "a list of numbers", v);
  }

  public String[] getStrings(String key, String[] dflt) {
    Object v = get(key);
    if (v == null) return dflt == null ? null : dflt.clone();
    if (v instanceof String[] a) return a.clone();
    if (v instanceof String s) return new String[] {s};
    throw typeError(key, "a list of strings", v);
  }

  public Tensor getTensor(String key) {
    Object v = get(key);
    if (v instanceof Tensor t) return t;
    if (v == null) throw new IllegalArgumentException("missing attribute '" + key + "'");
    throw typeError(key, "a tensor", v);
  }

  public TensorType getType(String key) {
    Object v = get(key);
    if (v == null) return null;
    if (v instanceof TensorType t) return t;
    throw typeError(key, "a type", v);
  }

  private void requireKey(String key) {
    if (!has(key)) throw new IllegalArgumentException("missing attribute '" + key + "'");
  }

  private static IllegalArgumentException typeError(String key, String expected, Object got) {
    return new IllegalArgumentException(
        "attribute '" + key + "': expected " + expected + ", got " + describeKind(got));
  }

  static String describeKind(Object v) {
    if (v instanceof Long) return "an integer";
    if (v instanceof Double) return "a float";
    if (v instanceof Boolean) return "a boolean";
    if (v instanceof String) return "a string";
    if (v instanceof long[]) return "a list of integers";
    if (v instanceof double[]) return "a list of floats";
    if (v instanceof String[]) return "a list of strings";
    if (v instanceof Tensor) return "a tensor";
    if (v instanceof TensorType) return "a type";
    return v.getClass().getSimpleName();
  }

  private static Object normalize(String key, Object v) {
    if (v == null) throw new IllegalArgumentException("attribute '" + key + "' is null");
    if (v instanceof Integer i) return (long) i;
    if (v instanceof Short s) return (long) s;
    if (v instanceof Float f) return (double) f;
    if (v instanceof int[] a) return Arrays.stream(a).asLongStream().toArray();
    if (v instanceof float[] a) {
      double[] d = new double[a.length];
      for (int i = 0; i < a.length; i++) d[i] = a[i];
      return d;
    }
    if (v instanceof Long || v instanceof Double || v instanceof Boolean || v instanceof String) return v;
    if (v instanceof long[] a) return a.clone();
    if (v instanceof double[] a) return a.clone();
    if (v instanceof String[] a) return a.clone();
    if (v instanceof Tensor || v instanceof TensorType) return v;
    throw new IllegalArgumentException("attribute '" + key + "' has unsupported type " + v.getClass().getName());
  }

  private static Object copyValue(Object v) {
    if (v instanceof long[] a) return a.clone();
    if (v instanceof double[] a) return a.clone();
    if (v instanceof String[] a) return a.clone();
    return v;
  }

  /** Structural equality of two attribute values (arrays by content, tensors bit for bit). */
  public static boolean valueEquals(Object a, Object b) {
    if (a instanceof long[] x && b instanceof long[] y) return Arrays.equals(x, y);
    if (a instanceof double[] x && b instanceof double[] y) return Arrays.equals(x, y);
    if (a instanceof String[] x && b instanceof String[] y) return Arrays.equals(x, y);
    if (a instanceof Tensor x && b instanceof Tensor y) return x == y || x.contentEquals(y);
    if (a instanceof Double x && b instanceof Double y) return Double.compare(x, y) == 0;
    return a.equals(b);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Attributes other) || other.size != size) return false;
    for (int i = 0; i < size; i++) {
      if (!keys[i].equals(other.keys[i]) || !valueEquals(values[i], other.values[i])) return false;
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = 0;
    for (int i = 0; i < size; i++) h += keys[i].hashCode();
    for (int i = 0; i < size; i++) {
      Object v = values[i];
      if (v instanceof long[] a) h = 31 * h + Arrays.hashCode(a);
      else if (v instanceof double[] a) h = 31 * h + Arrays.hashCode(a);
      else if (v instanceof String[] a) h = 31 * h + Arrays.hashCode(a);
      else if (v instanceof Tensor t) h = 31 * h + t.type().hashCode() + t.size();
      else h = 31 * h + v.hashCode();
    }
    return h;
  }

  @Override
  public String toString() {
    return keys().toString();
  }
}

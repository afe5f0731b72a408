package org.npuc.ir.text;

import org.npuc.ir.Tensor;
import org.npuc.ir.type.TensorType;

/**
 * The text of attribute values other than tensors: {@code 3}, {@code 0.5}, {@code true}, {@code
 * "s"}, {@code [1, 2]}, {@code [0.5, inf]}, {@code ["a"]}, empty arrays with their kind ({@code []
 * : ints}), and types. Floats always print with a '.' or an exponent so they read back as floats.
 */
final class AttributeText {
  private AttributeText() {}

  static void append(StringBuilder sb, Object v) {
    if (v instanceof Long l) {
      sb.append(l.longValue());
    } else if (v instanceof Double d) {
      sb.append(TextFormat.formatDouble(d));
    } else if (v instanceof Boolean b) {
      sb.append(b ? "true" : "false");
    } else if (v instanceof String s) {
      TextFormat.appendQuoted(sb, s);
    } else if (v instanceof long[] a) {
      sb.append('[');
      for (int i = 0; i < a.length; i++) sb.append(i == 0 ? "" : ", ").append(a[i]);
      sb.append(a.length == 0 ? "] : ints" : "]");
    } else if (v instanceof double[] a) {
      sb.append('[');
      for (int i = 0; i < a.length; i++)
        sb.append(i == 0 ? "" : ", ").append(TextFormat.formatDouble(a[i]));
      sb.append(a.length == 0 ? "] : floats" : "]");
    } else if (v instanceof String[] a) {
      sb.append('[');
      for (int i = 0; i < a.length; i++) {
        if (i > 0) sb.append(", ");
        TextFormat.appendQuoted(sb, a[i]);
      }
      sb.append(a.length == 0 ? "] : strings" : "]");
    } else if (v instanceof TensorType t) {
      TextFormat.appendType(sb, t);
    } else if (v instanceof Tensor t) {
      // Messages only (GraphEquivalence); the printer streams tensors itself.
      sb.append("dense<...> : ").append(TextFormat.type(t.type()));
    } else {
      throw new IllegalArgumentException("unsupported attribute value " + v.getClass().getName());
    }
  }

  /** The text of one attribute value, for messages. */
  static String toText(Object v) {
    StringBuilder sb = new StringBuilder();
    append(sb, v);
    return sb.toString();
  }
}

package org.npuc.frontend.tensorflow;

/**
 * TensorFlow tensor references: {@code node}, {@code node:1}, {@code ^node} (control input); and
 * the {@code NAME[:shape]} spelling of --inputs.
 */
record TensorNames(String node, int index) {

  /** Parses a data input; returns null for a control input ({@code ^name}). */
  static TensorNames parse(String ref) {
    if (ref.startsWith("^")) return null;
    int colon = ref.lastIndexOf(':');
    if (colon > 0) {
      String tail = ref.substring(colon + 1);
      if (!tail.isEmpty() && tail.chars().allMatch(Character::isDigit)) {
        return new TensorNames(ref.substring(0, colon), Integer.parseInt(tail));
      }
    }
    return new TensorNames(ref, 0);
  }

  /** The canonical name: {@code node} for output 0, else {@code node:i}. */
  String canonical() {
    return index == 0 ? node : node + ":" + index;
  }

  /**
   * Splits {@code NAME[:d0,d1,...]} as given to --inputs into the name and a shape (null when none
   * is given). A single number after the colon is an output index, not a shape.
   */
  static Object[] splitShape(String spec) {
    int colon = spec.lastIndexOf(':');
    if (colon > 0) {
      String tail = spec.substring(colon + 1);
      if (tail.matches("-?\\d+([,x]-?\\d+)+") || tail.matches("\\[.*\\]")) {
        String[] parts = tail.replaceAll("[\\[\\]\\s]", "").split("[,x]");
        int[] shape = new int[parts.length];
        for (int i = 0; i < parts.length; i++) shape[i] = Integer.parseInt(parts[i]);
        return new Object[] {spec.substring(0, colon), shape};
      }
    }
    return new Object[] {spec, null};
  }
}

package org.npuc.ir;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.npuc.ir.type.TensorType;

/**
 * A generic operation: an op name (e.g. {@code conv2d}), operands, results, attributes and a
 * {@link Location}. What an op name means (verifier, shape inference, kernel) is given by its
 * {@link OpDefinition} in the {@link OpRegistry}. Operations live in one {@link Graph}, in an
 * intrusive list so that insertion and removal are O(1).
 */
public final class Operation {
  private static final Use[] NO_OPERANDS = new Use[0];

  private final String name;
  // Operand i is operands[i].value; each Use is also linked into its value's use list.
  private Use[] operands = NO_OPERANDS;
  private int numOperands;
  private final List<Value> results;
  private final Attributes attributes;
  private Location location;

  Graph graph;
  Operation prev;
  Operation next;
  // The Verifier's stamp: the number of the verification run that has walked past this op, so
  // "defined earlier" is one comparison instead of a hash set of every value in the graph.
  long verifiedIn;
  // The op's place in the graph during a parallel verification (see Verifier).
  int position;

  Operation(String name, List<Value> operands, Attributes attributes, List<TensorType> resultTypes, Location location) {
    this.name = name;
    this.attributes = attributes == null ? new Attributes() : attributes;
    this.location = location == null ? Location.UNKNOWN : location;
    if (!operands.isEmpty()) this.operands = new Use[operands.size()];
    for (Value v : operands) addOperand(v);
    Value[] r = new Value[resultTypes.size()];
    for (int i = 0; i < r.length; i++) r[i] = new Value(this, i, resultTypes.get(i));
    this.results = List.of(r);
  }

  public String name() {
    return name;
  }

  /** The operands in order (a read-only view). */
  public List<Value> operands() {
    return new AbstractList<>() {
      @Override
      public Value get(int i) {
        return operand(i);
      }

      @Override
      public int size() {
        return numOperands;
      }
    };
  }

  public int numOperands() {
    return numOperands;
  }

  public Value operand(int i) {
    Objects.checkIndex(i, numOperands);
    return operands[i].value;
  }

  public List<Value> results() {
    return results;
  }

  public int numResults() {
    return results.size();
  }

  public Value result(int i) {
    return results.get(i);
  }

  /** The single result; fails when the op has another number of results. */
  public Value result() {
    if (results.size() != 1) throw new IllegalStateException(name + " has " + results.size() + " results");
    return results.get(0);
  }

  /** Mutable attributes. */
  public Attributes attributes() {
    return attributes;
  }

  public Location location() {
    return location;
  }

  public void setLocation(Location location) {
    this.location = location == null ? Location.UNKNOWN : location;
  }

  public Graph graph() {
    return graph;
  }

  /** The next operation in the graph's order, or null. */
  public Operation next() {
    return next;
  }

  public Operation prev() {
    return prev;
  }

  public void setOperand(int i, Value v) {
    if (v == null) throw new IllegalArgumentException("null operand for " + name);
    Objects.checkIndex(i, numOperands);
    Use u = operands[i];
    u.value.unlink(u);
    v.link(u);
  }

  public void addOperand(Value v) {
    if (v == null) throw new IllegalArgumentException("null operand for " + name);
    if (numOperands == operands.length) operands = Arrays.copyOf(operands, Math.max(2, numOperands * 2));
    Use u = new Use(this, numOperands, v);
    operands[numOperands++] = u;
    v.link(u);
  }

  /** Removes operand i; later operands shift down by one. */
  public void removeOperand(int i) {
    Objects.checkIndex(i, numOperands);
    Use u = operands[i];
    u.value.unlink(u);
    System.arraycopy(operands, i + 1, operands, i, numOperands - i - 1);
    operands[--numOperands] = null;
    for (int k = i; k < numOperands; k++) operands[k].index = k;
  }

  /** Detaches this op from its operands (used when erasing). */
  void dropOperands() {
    for (int k = 0; k < numOperands; k++) {
      operands[k].value.unlink(operands[k]);
      operands[k] = null;
    }
    numOperands = 0;
  }

  /** True when no result is read. */
  public boolean isUnused() {
    for (int i = 0, n = results.size(); i < n; i++) if (results.get(i).hasUses()) return false;
    return true;
  }

  public boolean is(String opName) {
    return name.equals(opName);
  }

  @Override
  public String toString() {
    return name + " " + location.describe();
  }
}

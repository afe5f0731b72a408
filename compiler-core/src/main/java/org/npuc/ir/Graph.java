package org.npuc.ir;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.npuc.ir.type.TensorType;

/**
 * A model: operations in topological order. Graph inputs are {@code input} ops (attribute
 * {@code name}), graph outputs are {@code output} ops (one operand, attribute {@code name}); both
 * keep the original model's names. Creation and erasure are O(1).
 */
public final class Graph implements Iterable<Operation> {
  private String name;
  private final Attributes attributes = new Attributes();
  private Operation first;
  private Operation last;
  private int size;
  // Live ops per op name, kept by link and unlink: a pass whose root ops are absent (no pad for
  // fuse_pad) skips its walk, which at 100k ops costs a cache miss per op.
  private final Map<String, int[]> census = new HashMap<>();

  public Graph(String name) {
    this.name = name;
  }

  public String name() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  /** Graph-level facts (source framework and file, pipeline applied, ...). */
  public Attributes attributes() {
    return attributes;
  }

  public int size() {
    return size;
  }

  public Operation first() {
    return first;
  }

  public Operation last() {
    return last;
  }

  /** The number of live ops named {@code opName}. */
  public int count(String opName) {
    int[] n = census.get(opName);
    return n == null ? 0 : n[0];
  }

  /** True when at least one live op has one of these names. */
  public boolean containsAny(String... opNames) {
    for (String n : opNames) if (count(n) > 0) return true;
    return false;
  }

  /** A snapshot of the operations in order; safe to mutate the graph while iterating it. */
  public List<Operation> ops() {
    List<Operation> r = new ArrayList<>(size);
    for (Operation op = first; op != null; op = op.next) r.add(op);
    return r;
  }

  /** Iterates live ops; erasing the current op while iterating is allowed. */
  @Override
  public Iterator<Operation> iterator() {
    return new Iterator<>() {
      Operation nextOp = first;

      @Override
      public boolean hasNext() {
        return nextOp != null;
      }

      @Override
      public Operation next() {
        if (nextOp == null) throw new NoSuchElementException();
        Operation r = nextOp;
        nextOp = r.next;
        return r;
      }
    };
  }

  /** The {@code input} ops in order. */
  public List<Operation> inputs() {
    List<Operation> r = new ArrayList<>();
    for (Operation op = first; op != null; op = op.next) if (op.is("input")) r.add(op);
    return r;
  }

  /** The {@code output} ops in order. */
  public List<Operation> outputs() {
    List<Operation> r = new ArrayList<>();
    for (Operation op = first; op != null; op = op.next) if (op.is("output")) r.add(op);
    return r;
  }

  /** Creates an op with explicit result types and appends it at the end. */
  public Operation append(String opName, List<Value> operands, Attributes attrs, List<TensorType> resultTypes, Location loc) {
    Operation op = new Operation(opName, operands, attrs, resultTypes, loc);
    link(op, last, null);
    return op;
  }

  /** Creates an op with explicit result types and inserts it right before {@code anchor}. */
  public Operation insertBefore(Operation anchor, String opName, List<Value> operands, Attributes attrs, List<TensorType> resultTypes, Location loc) {
    Operation op = new Operation(opName, operands, attrs, resultTypes, loc);
    link(op, anchor.prev, anchor);
    return op;
  }

  /** Creates an op with explicit result types and inserts it right after {@code anchor}. */
  public Operation insertAfter(Operation anchor, String opName, List<Value> operands, Attributes attrs, List<TensorType> resultTypes, Location loc) {
    Operation op = new Operation(opName, operands, attrs, resultTypes, loc);
    link(op, anchor, anchor.next);
    return op;
  }

  /** Moves an op of this graph to just before {@code anchor}. */
  public void moveBefore(Operation op, Operation anchor) {
    if (op == anchor) return;
    unlink(op);
    link(op, anchor.prev, anchor);
  }

  /** Removes an op whose results are unused. */
  public void erase(Operation op) {
    if (op.graph != this) throw new IllegalArgumentException("op is not in this graph: " + op);
    for (Value r : op.results()) {
      if (r.hasUses()) throw new IllegalStateException("erasing " + op + " whose result still has uses");
    }
    op.dropOperands();
    unlink(op);
  }

  /** Replaces the results of {@code op} with {@code replacements} and erases it. */
  public void replace(Operation op, List<Value> replacements) {
    if (replacements.size() != op.numResults()) throw new IllegalArgumentException("result count mismatch for " + op);
    for (int i = 0; i < replacements.size(); i++) op.result(i).replaceAllUsesWith(replacements.get(i));
    erase(op);
  }

  private void link(Operation op, Operation before, Operation after) {
    op.graph = this;
    op.prev = before;
    op.next = after;
    if (before == null) first = op; else before.next = op;
    if (after == null) last = op; else after.prev = op;
    size++;
    census.computeIfAbsent(op.name(), k -> new int[1])[0]++;
  }

  private void unlink(Operation op) {
    if (op.prev == null) first = op.next; else op.prev.next = op.next;
    if (op.next == null) last = op.prev; else op.next.prev = op.prev;
    op.prev = op.next = null;
    op.graph = null;
    size--;
    census.get(op.name())[0]--;
  }
}

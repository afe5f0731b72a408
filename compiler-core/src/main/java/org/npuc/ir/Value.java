package org.npuc.ir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.npuc.ir.type.TensorType;

/**
 * An SSA value: the result of exactly one operation, read by any number of operations. Keeps its
 * uses (def-use list) so rewrites can find and redirect readers in O(uses).
 */
public final class Value {
  private TensorType type;
  private final Operation definingOp;
  private final int resultIndex;
  private String name;
  // The uses in the order they were made, linked through the Use nodes (see Use).
  private Use firstUse;
  private Use lastUse;
  private int numUses;

  Value(Operation definingOp, int resultIndex, TensorType type) {
    this.definingOp = definingOp;
    this.resultIndex = resultIndex;
    this.type = type;
  }

  public TensorType type() {
    return type;
  }

  /** Changes the type in place (shape inference, quantization); readers see the new type. */
  public void setType(TensorType type) {
    this.type = type;
  }

  public Operation definingOp() {
    return definingOp;
  }

  public int resultIndex() {
    return resultIndex;
  }

  /** A name hint for printing (e.g. the source tensor name); may be null. */
  public String name() {
    return name;
  }

  public Value setName(String name) {
    this.name = name;
    return this;
  }

  /** The uses in the order they were made (a snapshot). */
  public List<Use> uses() {
    List<Use> r = new ArrayList<>(numUses);
    for (Use u = firstUse; u != null; u = u.next) r.add(u);
    return r;
  }

  public int numUses() {
    return numUses;
  }

  public boolean hasUses() {
    return firstUse != null;
  }

  /** Distinct operations that read this value, in use order. */
  public List<Operation> users() {
    List<Operation> r = new ArrayList<>(numUses);
    // An op reading this value twice appears once: a scan for a few uses, a set for many.
    Set<Operation> seen = numUses > 8 ? Collections.newSetFromMap(new IdentityHashMap<>()) : null;
    for (Use u = firstUse; u != null; u = u.next) {
      if (seen != null ? seen.add(u.user()) : !r.contains(u.user())) r.add(u.user());
    }
    return r;
  }

  /** Makes every reader of this value read {@code replacement} instead. */
  public void replaceAllUsesWith(Value replacement) {
    if (replacement == this) return;
    while (firstUse != null) {
      Use u = firstUse;
      u.user().setOperand(u.index, replacement);
    }
  }

  /** True when the defining op is a {@code constant}. */
  public boolean isConstant() {
    return definingOp.name().equals("constant");
  }

  /** The value of a constant-defined value, or null. */
  public Tensor constantValue() {
    return isConstant() ? definingOp.attributes().getTensor("value") : null;
  }

  /** Appends {@code u} to the use list. */
  void link(Use u) {
    u.value = this;
    u.prev = lastUse;
    u.next = null;
    if (lastUse == null) firstUse = u; else lastUse.next = u;
    lastUse = u;
    numUses++;
  }

  /** Removes {@code u} from the use list. */
  void unlink(Use u) {
    if (u.prev == null) firstUse = u.next; else u.prev.next = u.next;
    if (u.next == null) lastUse = u.prev; else u.next.prev = u.prev;
    u.prev = u.next = null;
    numUses--;
  }

  @Override
  public String toString() {
    return "%" + (name != null ? name : "?") + ":" + type.toText();
  }
}

package org.npuc.ir;

/**
 * One read of a value: operand {@link #index()} of {@link #user()}. Each use is also a node of its
 * value's use list (linked through the uses themselves, as in LLVM), so adding or dropping a use
 * is O(1) without a hash set per value: the IR stays small enough to walk from cache at 100k ops.
 */
public final class Use {
  private final Operation user;
  int index;
  Value value;
  Use prev;
  Use next;

  Use(Operation user, int index, Value value) {
    this.user = user;
    this.index = index;
    this.value = value;
  }

  public Operation user() {
    return user;
  }

  /** The operand number within the user (changes when an earlier operand is removed). */
  public int index() {
    return index;
  }

  /** The value read. */
  public Value value() {
    return value;
  }

  @Override
  public String toString() {
    return "operand #" + index + " of " + user;
  }
}

package org.npuc.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.npuc.ir.type.TensorType;

/** The def-use lists that operands keep up to date: order, counts and indices after every rewrite. */
class UseListTest {
  private static final TensorType T = TensorType.f32(1, 4);

  private final Graph g = new Graph("uses");
  private final Value a = op("a").result();
  private final Value b = op("b").result();

  private Operation op(String name, Value... operands) {
    return g.append("test." + name, List.of(operands), null, List.of(T), Location.of(name));
  }

  /** "user#index" for each use, in list order. */
  private static List<String> uses(Value v) {
    List<String> r = new ArrayList<>();
    for (Use u : v.uses()) {
      assertSame(v, u.value());
      assertSame(v, u.user().operand(u.index()), "a use names the operand that reads its value");
      r.add(u.user().location().primaryName() + "#" + u.index());
    }
    assertEquals(r.size(), v.numUses());
    assertEquals(!r.isEmpty(), v.hasUses());
    return r;
  }

  @Test
  void usesAreKeptInTheOrderTheyWereMade() {
    op("x", a, b, a);
    op("y", a);
    assertEquals(List.of("x#0", "x#2", "y#0"), uses(a));
    assertEquals(List.of("x#1"), uses(b));
  }

  @Test
  void setOperandMovesTheUseToTheEndOfTheNewValuesList() {
    Operation x = op("x", a, b);
    op("y", b);
    x.setOperand(0, b);
    assertEquals(List.of(), uses(a));
    assertEquals(List.of("x#1", "y#0", "x#0"), uses(b));
    assertSame(b, x.operand(0));
  }

  @Test
  void removeOperandRenumbersLaterOperandsInPlace() {
    Value c = op("c").result();
    Operation x = op("x", a, b, c, a);
    x.removeOperand(1);
    assertEquals(List.of(a, c, a), x.operands());
    assertEquals(List.of(), uses(b));
    assertEquals(List.of("x#0", "x#2"), uses(a));
    assertEquals(List.of("x#1"), uses(c));
    x.removeOperand(2);
    assertEquals(List.of("x#0"), uses(a));
    assertThrows(IndexOutOfBoundsException.class, () -> x.operand(2));
  }

  @Test
  void replaceAllUsesWithRedirectsEveryReaderIncludingRepeats() {
    Operation x = op("x", a, a);
    Operation y = op("y", b, a);
    a.replaceAllUsesWith(b);
    assertFalse(a.hasUses());
    assertEquals(List.of(b, b), x.operands());
    assertEquals(List.of(b, b), y.operands());
    assertEquals(List.of("y#0", "x#0", "x#1", "y#1"), uses(b));
    b.replaceAllUsesWith(b);
    assertEquals(4, b.numUses());
  }

  @Test
  void usersAreDistinctForFewAndForManyUses() {
    Operation x = op("x", a, a, b);
    op("y", a);
    assertEquals(List.of(x, g.last()), a.users());
    // Past the short scan, a set removes repeats; order stays the order of first use.
    List<Operation> readers = new ArrayList<>();
    for (int i = 0; i < 30; i++) readers.add(op("r" + i, b, b));
    List<Operation> expected = new ArrayList<>(List.of(x));
    expected.addAll(readers);
    assertEquals(expected, b.users());
    assertEquals(61, b.numUses());
  }

  @Test
  void erasingAnOpDropsItsUses() {
    Operation x = op("x", a, b, a);
    g.erase(x);
    assertFalse(a.hasUses());
    assertFalse(b.hasUses());
    assertEquals(0, x.numOperands());
    op("z", a);
    assertThrows(IllegalStateException.class, () -> g.erase(a.definingOp()), "a is still read by z");
  }

  @Test
  void isUnusedLooksAtEveryResult() {
    Operation two = g.append("test.two", List.of(a), null, List.of(T, T), Location.of("two"));
    assertTrue(two.isUnused());
    op("x", two.result(1));
    assertFalse(two.isUnused());
    assertThrows(UnsupportedOperationException.class, () -> two.results().set(0, a));
    assertThrows(UnsupportedOperationException.class, () -> two.operands().set(0, b));
  }
}

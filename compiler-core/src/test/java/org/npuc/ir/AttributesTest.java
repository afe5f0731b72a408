package org.npuc.ir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Attributes: sorted keys, overwrite and removal, normalized values, copies and equality. */
class AttributesTest {
  @Test
  void keysStaySortedWhateverTheInsertionOrder() {
    Attributes a = new Attributes();
    for (String k : new String[] {"pads", "axis", "strides", "dilations", "group", "b", "zz", "a"}) a.set(k, 1);
    assertEquals(List.of("a", "axis", "b", "dilations", "group", "pads", "strides", "zz"), List.copyOf(a.keys()));
    assertEquals(8, a.size());
    for (int i = 0; i < a.size(); i++) assertEquals(1L, a.value(i), a.key(i));
    assertEquals(List.copyOf(a.keys()), List.copyOf(a.asMap().keySet()));
  }

  @Test
  void setOverwritesAndRemoveCloses() {
    Attributes a = Attributes.of("b", 2, "a", 1.5f, "c", "x");
    a.set("b", 7);
    assertEquals(7, a.getInt("b"));
    a.remove("b").remove("missing");
    assertFalse(a.has("b"));
    assertNull(a.get("b"));
    assertEquals(List.of("a", "c"), List.copyOf(a.keys()));
    assertEquals(1.5, a.getDouble("a"));
    a.remove("a").remove("c");
    assertTrue(a.isEmpty());
    a.set("q", true);
    assertEquals(Map.of("q", true), a.asMap());
  }

  @Test
  void valuesAreNormalizedAndCopiesAreDeep() {
    int[] pads = {1, 2, 3, 4};
    Attributes a = Attributes.of("pads", pads, "scale", new float[] {0.5f});
    pads[0] = 9;
    assertArrayEquals(new long[] {1, 2, 3, 4}, (long[]) a.get("pads"));
    Attributes copy = new Attributes(a);
    ((long[]) copy.get("pads"))[1] = 8;
    assertArrayEquals(new int[] {1, 2, 3, 4}, a.getInts("pads"));
    assertArrayEquals(new double[] {0.5}, a.getDoubles("scale", null));
    assertThrows(IllegalArgumentException.class, () -> a.getString("pads", null));
    assertThrows(IllegalArgumentException.class, () -> a.getInt("absent"));
    assertThrows(IndexOutOfBoundsException.class, () -> a.key(2));
  }

  @Test
  void equalityIsByContentRegardlessOfOrder() {
    Attributes x = Attributes.of("pads", new int[] {1, 1, 1, 1}, "axis", 1);
    Attributes y = Attributes.of("axis", 1L, "pads", new long[] {1, 1, 1, 1});
    assertEquals(x, y);
    assertEquals(x.hashCode(), y.hashCode());
    assertNotEquals(x, Attributes.of("axis", 1));
    assertNotEquals(x, Attributes.of("axis", 2, "pads", new int[] {1, 1, 1, 1}));
    assertEquals(new Attributes(), new Attributes(new Attributes()));
  }
}

package org.npuc.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.npuc.ir.type.TensorType;

/** The per-name op counts a graph keeps through every way ops come and go. */
class GraphCensusTest {
  private static final TensorType T = TensorType.f32(2);

  @Test
  void countsFollowAppendInsertEraseReplaceAndMove() {
    Graph g = new Graph("census");
    Value a = g.append("test.src", List.of(), null, List.of(T), Location.of("a")).result();
    Operation p1 = g.append("test.pad", List.of(a), null, List.of(T), Location.of("p1"));
    Operation p2 = g.insertBefore(p1, "test.pad", List.of(a), null, List.of(T), Location.of("p2"));
    Operation r = g.insertAfter(p1, "test.relu", List.of(p1.result()), null, List.of(T), Location.of("r"));
    assertEquals(2, g.count("test.pad"));
    assertEquals(1, g.count("test.relu"));
    assertEquals(0, g.count("test.conv"));
    assertTrue(g.containsAny("test.conv", "test.relu"));
    g.moveBefore(r, p2);
    assertEquals(2, g.count("test.pad"));
    assertEquals(4, g.size());
    g.erase(p2);
    assertEquals(1, g.count("test.pad"));
    Operation c = g.append("test.conv", List.of(r.result()), null, List.of(T), Location.of("c"));
    g.replace(c, List.of(r.result()));
    assertEquals(0, g.count("test.conv"));
    assertFalse(g.containsAny("test.conv", "test.missing"));
    int total = 0;
    for (String n : List.of("test.src", "test.pad", "test.relu", "test.conv")) total += g.count(n);
    assertEquals(g.size(), total, "every live op is counted once");
  }
}

package org.npuc.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.npuc.ir.Attributes;
import org.npuc.ir.Builder;
import org.npuc.ir.Graph;
import org.npuc.ir.Location;
import org.npuc.ir.OpRegistry;
import org.npuc.ir.Operation;
import org.npuc.ir.Value;
import org.npuc.ir.type.TensorType;
import org.npuc.pass.PassContext;

/**
 * cse on an op with many duplicates: the survivor's location names every merged op once, in graph
 * order, with the first file given (the names are gathered per survivor and fused once).
 */
class CseLocationTest {
  @Test
  void survivorNamesEveryDuplicateOnceInOrder() {
    Graph g = new Graph("g");
    Builder b = new Builder(g);
    Value x = b.input("x", TensorType.f32(4), Location.of("x"));
    String[] names = {"r0", "r1", "r0", "r2", "r3"};
    Value last = null;
    for (int i = 0; i < names.length; i++) {
      Location loc = i == 1 ? Location.of(names[i], "model.pb") : Location.of(names[i]);
      Value r = b.value("relu", List.of(x), new Attributes(), loc);
      b.output("y" + i, r, Location.of("y" + i));
      last = r;
    }
    new CsePass().run(g, new PassContext(OpRegistry.global()));
    int relus = 0;
    for (Operation op : g) {
      if (op.is("relu")) {
        relus++;
        assertEquals(new Location(List.of("r0", "r1", "r2", "r3"), "model.pb"), op.location());
      }
    }
    assertEquals(1, relus);
    assertEquals(5, g.outputs().size(), String.valueOf(last));
  }
}

package org.npuc.interp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.npuc.ir.Attributes;
import org.npuc.ir.Builder;
import org.npuc.ir.Graph;
import org.npuc.ir.Location;
import org.npuc.ir.Tensor;
import org.npuc.ir.Value;
import org.npuc.ir.type.TensorType;

class ArrayPoolTest {
  @Test
  void outsideARunArraysAreNew() {
    float[] a = ArrayPool.floats(5);
    a[0] = 7;
    assertNotSame(a, ArrayPool.floats(5));
  }

  @Test
  void aGivenArrayComesBackZeroedForTheSameLength() {
    ArrayPool pool = new ArrayPool();
    ArrayPool before = pool.activate();
    try {
      float[] a = {1, 2, 3};
      pool.give(a);
      assertEquals(3, pool.pooledFloats());
      assertNotSame(a, ArrayPool.floats(4), "another length is a new array");
      float[] b = ArrayPool.floats(3);
      assertSame(a, b);
      assertArrayEquals(new float[3], b);
      assertEquals(0, pool.pooledFloats());
    } finally {
      ArrayPool.restore(before);
    }
  }

  /**
   * x -> neg -> a; a -> reshape -> r (a view of a's array, so a's death must not recycle it);
   * r -> neg -> b; b + c -> s; outputs r and s. Later ops draw arrays of the same length, so a
   * wrongly recycled array would show up as changed outputs.
   */
  @Test
  void viewsAndOutputsAreNotRecycled() {
    Graph g = new Graph("views");
    Builder bd = new Builder(g);
    Value x = bd.input("x", TensorType.f32(2, 3), Location.of("x"));
    Value c = bd.constant(Tensor.ofFloats(new int[] {3, 2}, new float[] {10, 20, 30, 40, 50, 60}), Location.of("c"));
    Value a = bd.value("neg", List.of(x), null, Location.of("a"));
    Value r = bd.value("reshape", List.of(a), Attributes.of("shape", new int[] {3, 2}), Location.of("r"));
    Value b = bd.value("neg", List.of(r), null, Location.of("b"));
    Value s = bd.value("add", List.of(b, c), null, Location.of("s"));
    Value t = bd.value("neg", List.of(s), null, Location.of("t"));
    bd.output("r", r, Location.of("r_out"));
    bd.output("t", t, Location.of("t_out"));
    Interpreter interp = new Interpreter(g);
    float[] xs = {1, 2, 3, 4, 5, 6};
    Map<String, Tensor> first = interp.run(Map.of("x", Tensor.ofFloats(new int[] {2, 3}, xs.clone())));
    float[] rFirst = first.get("r").floats().clone();
    float[] tFirst = first.get("t").floats().clone();
    assertArrayEquals(new float[] {-1, -2, -3, -4, -5, -6}, rFirst);
    assertArrayEquals(new float[] {-11, -22, -33, -44, -55, -66}, tFirst);
    for (int run = 0; run < 3; run++) {
      Map<String, Tensor> next = interp.run(Map.of("x", Tensor.ofFloats(new int[] {2, 3}, new float[] {6, 5, 4, 3, 2, 1})));
      assertArrayEquals(new float[] {-6, -5, -4, -3, -2, -1}, next.get("r").floats());
      assertArrayEquals(new float[] {-16, -25, -34, -43, -52, -61}, next.get("t").floats());
      for (Tensor o : next.values()) for (Tensor p : first.values()) assertNotSame(p.floats(), o.floats());
    }
    // The first run's outputs belong to the caller: later runs left them alone.
    assertArrayEquals(rFirst, first.get("r").floats());
    assertArrayEquals(tFirst, first.get("t").floats());
    assertArrayEquals(new float[] {10, 20, 30, 40, 50, 60}, c.definingOp().attributes().getTensor("value").floats(), "constant intact");
  }

  @Test
  void deadIntermediatesAreReusedAcrossRuns() {
    Graph g = new Graph("chain");
    Builder bd = new Builder(g);
    Value x = bd.input("x", TensorType.f32(1, 4), Location.of("x"));
    Value v = x;
    for (int i = 0; i < 4; i++) v = bd.value("neg", List.of(v), null, Location.of("n" + i));
    bd.output("y", v, Location.of("y"));
    Interpreter interp = new Interpreter(g);
    Tensor in = Tensor.ofFloats(new int[] {1, 4}, new float[] {1, -2, 3, -4});
    Map<Value, Tensor> reference = interp.runAll(Map.of("x", in));
    float[] y0 = interp.run(Map.of("x", in)).get("y").floats();
    float[] y1 = interp.run(Map.of("x", in)).get("y").floats();
    assertArrayEquals(reference.get(v).floats(), y0);
    assertArrayEquals(y0, y1);
    assertTrue(interp.pooledFloats() > 0, "the intermediates' arrays wait in the pool");
  }
}

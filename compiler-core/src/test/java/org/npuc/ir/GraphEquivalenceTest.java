package org.npuc.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.npuc.ir.type.ScalarType;
import org.npuc.ir.type.TensorType;
import org.npuc.ir.type.UniformQuantType;

/** GraphEquivalence finds each kind of difference and names the op and what differs. */
class GraphEquivalenceTest {

  /** x -> add(x, w) -> output, built fresh each time; {@code change} alters one thing. */
  private static Graph build(Consumer<Graph> change) {
    Graph g = new Graph("g");
    Value x =
        g.append(
                "input",
                List.of(),
                Attributes.of("name", "x"),
                List.of(TensorType.f32(2)),
                Location.of("x"))
            .result()
            .setName("x");
    Value w =
        g.append(
                "constant",
                List.of(),
                Attributes.of("value", Tensor.ofFloats(new int[] {2}, new float[] {1, 2})),
                List.of(TensorType.f32(2)),
                Location.of("w"))
            .result()
            .setName("w");
    Value y =
        g.append(
                "add",
                List.of(x, w),
                Attributes.of("act", "none"),
                List.of(TensorType.f32(2)),
                Location.of("add"))
            .result()
            .setName("y");
    g.append("output", List.of(y), Attributes.of("name", "y"), List.of(), Location.of("y"));
    change.accept(g);
    return g;
  }

  private static String diff(Consumer<Graph> change) {
    return GraphEquivalence.firstDifference(build(g -> {}), build(change));
  }

  private static Operation op(Graph g, int i) {
    return g.ops().get(i);
  }

  @Test
  void identicalGraphsAreEquivalent() {
    assertNull(diff(g -> {}));
  }

  @Test
  void findsEachKindOfDifference() {
    assertEquals("graph name: 'g' vs 'h'", diff(g -> g.setName("h")));
    assertEquals(
        "graph attributes: attribute keys differ: only in first [], only in second [k]",
        diff(g -> g.attributes().set("k", 1)));
    assertEquals(
        "op #2 (add at 'add'): attribute 'act': \"none\" vs \"relu\"",
        diff(g -> op(g, 2).attributes().set("act", "relu")));
    assertEquals(
        "op #2 (add at 'add'): location 'add' vs 'add'+'relu'",
        diff(g -> op(g, 2).setLocation(Location.fused(Location.of("add"), Location.of("relu")))));
    assertEquals(
        "op #2 (add at 'add'): result 0 name 'y' vs 'z'",
        diff(g -> op(g, 2).result().setName("z")));
    assertEquals(
        "op #2 (add at 'add'): result 0 type tensor<2xf32> vs tensor<2xuniform<i8:f32, 0.5:0>>",
        diff(
            g ->
                op(g, 2)
                    .result()
                    .setType(TensorType.of(UniformQuantType.of(ScalarType.I8, 0.5, 0), 2))));
    assertEquals(
        "op #2 (add at 'add'): operand 1 is result 0 of constant 'w' at 'w' vs result 0 of input"
            + " 'x' at 'x'",
        diff(g -> op(g, 2).setOperand(1, op(g, 0).result())));
    assertEquals(
        "op count: 4 vs 3 (first extra op: output 'y' at #3)",
        diff(
            g -> {
              Operation out = op(g, 3);
              g.erase(out);
            }));
  }

  @Test
  void tensorsCompareBitForBit() {
    assertEquals(
        "op #1 (constant at 'w'): attribute 'value': tensor element 1: 2.0 vs 2.0000002 (bits"
            + " 0x40000000 vs 0x40000001)",
        diff(
            g ->
                op(g, 1)
                    .attributes()
                    .set(
                        "value",
                        Tensor.ofFloats(new int[] {2}, new float[] {1, Math.nextUp(2f)}))));
    assertEquals(
        "op #1 (constant at 'w'): attribute 'value': tensor element 0: NaN vs NaN (bits 0x7fc00000"
            + " vs 0x7fc00001)",
        GraphEquivalence.firstDifference(
            build(
                g ->
                    op(g, 1)
                        .attributes()
                        .set("value", Tensor.ofFloats(new int[] {2}, new float[] {Float.NaN, 2}))),
            build(
                g ->
                    op(g, 1)
                        .attributes()
                        .set(
                            "value",
                            Tensor.ofFloats(
                                new int[] {2},
                                new float[] {Float.intBitsToFloat(0x7fc00001), 2})))));
    assertEquals(
        "op #1 (constant at 'w'): attribute 'value': tensor element 0: 1.0 vs -0.0 (bits 0x3f800000"
            + " vs 0x80000000)",
        diff(
            g ->
                op(g, 1)
                    .attributes()
                    .set("value", Tensor.ofFloats(new int[] {2}, new float[] {-0f, 2}))));
  }

  @Test
  void attributeKindsAndArraysDiffer() {
    assertEquals(
        "op #2 (add at 'add'): attribute 'act': kind a string vs an integer",
        diff(g -> op(g, 2).attributes().set("act", 1)));
    assertEquals(
        "op #2 (add at 'add'): attribute 'act': element 1: 0.5 vs -0.0",
        GraphEquivalence.firstDifference(
            build(g -> op(g, 2).attributes().set("act", new double[] {1, 0.5})),
            build(g -> op(g, 2).attributes().set("act", new double[] {1, -0.0}))));
  }

  @Test
  void namesAndLocationsCanBeIgnored() {
    Graph a = build(g -> {});
    Graph b =
        build(
            g -> {
              op(g, 2).result().setName("other");
              op(g, 2).setLocation(Location.UNKNOWN);
            });
    assertNull(GraphEquivalence.strict().ignoringValueNames().ignoringLocations().compare(a, b));
  }
}

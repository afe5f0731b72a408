package org.npuc.ir;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.npuc.ir.type.CalibratedType;
import org.npuc.ir.type.ScalarType;
import org.npuc.ir.type.TensorType;
import org.npuc.ir.type.UniformQuantType;
import org.npuc.testing.ToyOps;

/** The verifier: def before use, types against inference, names, outputs; messages name op and location. */
class VerifierTest {
  private final OpRegistry ops = ToyOps.registry();

  private IrException fails(Graph g) {
    return assertThrows(IrException.class, () -> Verifier.verify(g, ops));
  }

  @Test
  void acceptsWellFormedGraph() {
    Graph g = new Graph("g");
    Builder b = new Builder(g, ops);
    Value x = b.input("x", TensorType.f32(2, 3), Location.of("x"));
    Value c = b.constant(Tensor.ofFloats(new int[] {2, 3}, new float[6]), Location.of("c"));
    b.output("y", b.value("toy_add", List.of(x, c), null, Location.of("add")), null);
    assertDoesNotThrow(() -> Verifier.verify(g, ops));
  }

  @Test
  void useBeforeDefinitionNamesOpAndLocation() {
    Graph g = new Graph("g");
    Builder b = new Builder(g, ops);
    Value x = b.input("x", TensorType.f32(4), null);
    Value n = b.value("toy_neg", List.of(x), null, Location.of("neg1", "m.pb"));
    Operation m = b.create("toy_neg", List.of(n), null, Location.of("neg2", "m.pb"));
    b.output("y", m.result(), null);
    g.moveBefore(m, n.definingOp());
    IrException e = fails(g);
    assertEquals(m, e.op());
    assertEquals("toy_neg at 'neg2' (m.pb): operand #0 is used before it is defined (by toy_neg 'neg1' (m.pb), which comes later)", e.describe());
  }

  @Test
  void resultTypeMustMatchInference() {
    Graph g = new Graph("g");
    Builder b = new Builder(g, ops);
    Value x = b.input("x", TensorType.f32(4), null);
    Operation neg = b.createTyped("toy_neg", List.of(x), null, List.of(TensorType.f32(5)), Location.of("n"));
    b.output("y", neg.result(), null);
    IrException e = fails(g);
    assertTrue(e.describe().startsWith("toy_neg at 'n': result #0 has type tensor<5xf32>, but its operands give tensor<4xf32>"), e.describe());
  }

  @Test
  void unknownDimsAndQuantizedTypesAreCompatible() {
    assertTrue(Verifier.compatible(TensorType.f32(-1, 3), TensorType.f32(2, 3)));
    assertTrue(Verifier.compatible(TensorType.f32(2, 3), TensorType.f32(-1, 3)));
    assertTrue(!Verifier.compatible(TensorType.f32(2, 3), TensorType.f32(2, 3, 1)));
    TensorType q = TensorType.of(UniformQuantType.of(ScalarType.I8, 0.5, 0), 2, 3);
    assertTrue(Verifier.compatible(q, TensorType.f32(2, 3)));
    assertTrue(Verifier.compatible(TensorType.of(new CalibratedType(ScalarType.F32, -1, 1), 2, 3), TensorType.f32(2, 3)));
    assertTrue(!Verifier.compatible(TensorType.of(ScalarType.I8, 2, 3), TensorType.f32(2, 3)));
  }

  @Test
  void inferenceErrorsNameTheOp() {
    Graph g = new Graph("g");
    Builder b = new Builder(g, ops);
    Value x = b.input("x", TensorType.f32(4), null);
    Value y = b.input("z", TensorType.f32(5), null);
    Operation add = b.createTyped("toy_add", List.of(x, y), null, List.of(TensorType.f32(4)), Location.of("sum"));
    b.output("y", add.result(), null);
    assertTrue(fails(g).describe().startsWith("toy_add at 'sum': toy_add: cannot broadcast"));
  }

  @Test
  void duplicateNamesAndMissingOutputs() {
    Graph g = new Graph("g");
    Builder b = new Builder(g, ops);
    Value x = b.input("x", TensorType.f32(4), null);
    b.input("x", TensorType.f32(4), Location.of("second"));
    assertTrue(fails(g).getMessage().contains("duplicate input name 'x'"));
    Graph h = new Graph("h");
    new Builder(h, ops).input("x", TensorType.f32(4), null);
    assertEquals("graph 'h' has no output op; a model needs at least one output", fails(h).getMessage());
    Graph k = new Graph("k");
    Builder kb = new Builder(k, ops);
    Value kx = kb.input("x", TensorType.f32(4), null);
    kb.output("o", kx, null);
    kb.output("o", kx, null);
    assertTrue(fails(k).getMessage().contains("duplicate output name 'o'"));
    assertEquals(x.type(), TensorType.f32(4));
  }

  @Test
  void unknownOpAndOperandFromAnotherGraph() {
    Graph g = new Graph("g");
    Builder b = new Builder(g, ops);
    Value x = b.input("x", TensorType.f32(4), null);
    Operation w = b.createTyped("warp", List.of(x), null, List.of(TensorType.f32(4)), Location.of("w"));
    b.output("y", w.result(), null);
    assertTrue(fails(g).describe().contains("unknown op 'warp'"));

    Graph other = new Graph("other");
    Value foreign = new Builder(other, ops).input("f", TensorType.f32(4), null);
    Graph h = new Graph("h");
    Builder hb = new Builder(h, ops);
    hb.input("x", TensorType.f32(4), null);
    hb.output("y", hb.value("toy_neg", List.of(foreign), null, null), null);
    assertTrue(fails(h).getMessage().contains("which is not in this graph"));
  }

  @Test
  void reportsSeveralProblemsAtOnce() {
    Graph g = new Graph("g");
    Builder b = new Builder(g, ops);
    Value x = b.input("x", TensorType.f32(4), null);
    Operation a = b.createTyped("toy_neg", List.of(x), null, List.of(TensorType.f32(3)), Location.of("a"));
    Operation c = b.createTyped("toy_neg", List.of(x), null, List.of(TensorType.f32(2)), Location.of("c"));
    b.output("y", a.result(), null);
    b.output("z", c.result(), null);
    IrException e = fails(g);
    assertTrue(e.getMessage().contains("(1 more problem:\n  toy_neg at 'c': result #0 has type tensor<2xf32>"), e.getMessage());
  }
}

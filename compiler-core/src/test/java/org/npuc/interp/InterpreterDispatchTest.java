package org.npuc.interp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.npuc.diag.UserError;
import org.npuc.ir.Attributes;
import org.npuc.ir.Builder;
import org.npuc.ir.Graph;
import org.npuc.ir.Location;
import org.npuc.ir.Tensor;
import org.npuc.ir.Value;
import org.npuc.ir.type.ScalarType;
import org.npuc.ir.type.TensorType;
import org.npuc.ir.type.UniformQuantType;

/** Quantized dispatch, run-time shape errors and multi-op graphs at another batch size. */
class InterpreterDispatchTest {
  private static final UniformQuantType Q = UniformQuantType.of(ScalarType.I8, 0.5, 0);

  @Test
  void quantizeDequantizeRoundTripThroughTheIntegerTable() {
    Graph g = new Graph("q");
    Builder b = new Builder(g);
    Value x = b.input("x", TensorType.f32(-1, 3), Location.of("x"));
    Value q = b.createTyped("quantize", List.of(x), new Attributes(), List.of(TensorType.of(Q, -1, 3)), Location.of("q")).result();
    Value d = b.value("dequantize", List.of(q), null, Location.of("dq"));
    b.output("y", d, Location.of("y"));
    Tensor in = Tensor.ofFloats(new int[] {2, 3}, new float[] {0.25f, -0.25f, 0.74f, 100, -100, 1});
    Map<Value, Tensor> all = new Interpreter(g).runAll(Map.of("x", in));
    assertArrayEquals(new int[] {1, -1, 1, 127, -128, 2}, all.get(q).ints());
    assertEquals(Q, all.get(q).elementType());
    assertArrayEquals(new float[] {0.5f, -0.5f, 0.5f, 63.5f, -64, 1}, all.get(d).floats());
  }

  @Test
  void opWithoutIntegerKernelIsNamed() {
    Graph g = new Graph("q");
    Builder b = new Builder(g);
    Value x = b.input("x", TensorType.of(Q, 2), Location.of("x"));
    Value r = b.createTyped("lrn", List.of(x), new Attributes(), List.of(TensorType.of(Q, 2)), Location.of("probs", "net.tflite")).result();
    b.output("y", r, Location.of("y"));
    Tensor in = Tensor.ofInts(new int[] {2}, ScalarType.I8, new int[] {1, 2});
    UserError e = assertThrows(UserError.class, () -> new Interpreter(g).run(Map.of("x", in)));
    assertTrue(e.getMessage().contains("no integer kernel for op 'lrn'"), e.getMessage());
    assertTrue(e.getMessage().contains("'probs' (net.tflite)"), e.getMessage());
    assertTrue(e.getMessage().contains("uniform<i8:f32, 0.5:0>"), e.getMessage());
  }

  @Test
  void runTimeShapeMismatchNamesTheOp() {
    Graph g = new Graph("r");
    Builder b = new Builder(g);
    Value x = b.input("x", TensorType.f32(1, 6), Location.of("x"));
    Value r = b.value("reshape", List.of(x), Attributes.of("shape", new int[] {1, 2, 3}), Location.of("flat"));
    b.output("y", r, Location.of("y"));
    Tensor in = Tensor.ofFloats(new int[] {2, 6}, new float[12]);
    UserError e = assertThrows(UserError.class, () -> new Interpreter(g).run(Map.of("x", in)));
    assertTrue(e.getMessage().contains("reshape at 'flat'"), e.getMessage());
    assertTrue(e.getMessage().contains("expected 12 elements"), e.getMessage());
  }

  @Test
  void deadOpsDoNotRunInRunButDoInRunAll() {
    Graph g = new Graph("dead");
    Builder b = new Builder(g);
    Value x = b.input("x", TensorType.f32(-1, 6), Location.of("x"));
    b.value("reshape", List.of(x), Attributes.of("shape", new int[] {1, 6}), Location.of("dead_reshape"));
    b.output("y", b.value("relu", List.of(x), null, Location.of("r")), Location.of("y"));
    Tensor in = Tensor.ofFloats(new int[] {2, 6}, new float[] {-1, 1, -1, 1, -1, 1, 2, -2, 2, -2, 2, -2});
    assertArrayEquals(new float[] {0, 1, 0, 1, 0, 1, 2, 0, 2, 0, 2, 0}, new Interpreter(g).run(Map.of("x", in)).get("y").floats());
    UserError e = assertThrows(UserError.class, () -> new Interpreter(g).runAll(Map.of("x", in)));
    assertTrue(e.getMessage().contains("reshape at 'dead_reshape'"), e.getMessage());
  }

  @Test
  void convNetDeclaredBatchOneRunsAtBatchThree() {
    // x[?,1,2,2] -> conv 1x1 (weight 2, bias 1) -> flatten -> matmul with w[1,4] (transpose_b) -> y[?,1]
    Graph g = new Graph("net");
    Builder b = new Builder(g);
    Value x = b.input("x", TensorType.f32(-1, 1, 2, 2), Location.of("x"));
    Value w = b.constant(Tensor.ofFloats(new int[] {1, 1, 1, 1}, new float[] {2}), Location.of("w"));
    Value bias = b.constant(Tensor.ofFloats(new int[] {1}, new float[] {1}), Location.of("b"));
    Value conv = b.value("conv2d", List.of(x, w, bias), Attributes.of("act", "relu"), Location.of("conv"));
    Value flat = b.value("flatten", List.of(conv), null, Location.of("flat"));
    Value fw = b.constant(Tensor.ofFloats(new int[] {1, 4}, new float[] {1, 1, 1, 1}), Location.of("fw"));
    Value fc = b.value("matmul", List.of(flat, fw), Attributes.of("transpose_b", true), Location.of("fc"));
    assertArrayEquals(new int[] {-1, 1}, fc.type().shape());
    b.output("y", fc, Location.of("y"));
    // Sample s: relu(2x + 1) summed over 4 pixels.
    Tensor in = Tensor.ofFloats(new int[] {3, 1, 2, 2}, new float[] {0, 0, 0, 0, 1, 2, 3, 4, -1, -1, 1, 1});
    Tensor y = new Interpreter(g).run(Map.of("x", in)).get("y");
    assertArrayEquals(new int[] {3, 1}, y.shape());
    assertArrayEquals(new float[] {4, 24, 6}, y.floats());
  }

  @Test
  void runReturnsOnlyOutputsWhileRunAllKeepsIntermediates() {
    Graph g = new Graph("chain");
    Builder b = new Builder(g);
    Value x = b.input("x", TensorType.f32(2), Location.of("x"));
    Value r1 = b.value("neg", List.of(x), null, Location.of("n1"));
    Value r2 = b.value("relu", List.of(r1), null, Location.of("r"));
    b.value("abs", List.of(r1), null, Location.of("unused"));
    b.output("y", r2, Location.of("y"));
    b.output("z", r1, Location.of("z"));
    Tensor in = Tensor.ofFloats(new int[] {2}, new float[] {1, -2});
    Map<String, Tensor> out = new Interpreter(g).run(Map.of("x", in));
    assertEquals(List.of("y", "z"), List.copyOf(out.keySet()));
    assertArrayEquals(new float[] {0, 2}, out.get("y").floats());
    assertArrayEquals(new float[] {-1, 2}, out.get("z").floats());
    Map<Value, Tensor> all = new Interpreter(g).runAll(Map.of("x", in));
    assertEquals(4, all.size());
    assertArrayEquals(new float[] {-1, 2}, all.get(r1).floats());
  }
}

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

class InterpreterTest {
  /** x[?,3] + [1,-2,3] -> relu -> "y"; x also -> "x_neg" = neg(x). */
  private static Graph smallGraph() {
    Graph g = new Graph("small");
    Builder b = new Builder(g);
    Value x = b.input("x", TensorType.f32(-1, 3), Location.of("x"));
    Value c = b.constant(Tensor.ofFloats(new int[] {3}, new float[] {1, -2, 3}), Location.of("c"));
    Value sum = b.value("add", List.of(x, c), Attributes.of("act", "relu"), Location.of("add"));
    assertArrayEquals(new int[] {-1, 3}, sum.type().shape());
    Value neg = b.value("neg", List.of(x), null, Location.of("neg"));
    b.output("y", sum, Location.of("y"));
    b.output("x_neg", neg, Location.of("x_neg"));
    return g;
  }

  @Test
  void runsUnknownBatchAtThree() {
    Tensor x = Tensor.ofFloats(new int[] {3, 3}, new float[] {0, 0, 0, 1, 1, 1, -5, 5, -5});
    Map<String, Tensor> out = new Interpreter(smallGraph()).run(Map.of("x", x));
    assertEquals(List.of("y", "x_neg"), List.copyOf(out.keySet()));
    // relu(x + [1,-2,3]) by hand.
    assertArrayEquals(new float[] {1, 0, 3, 2, 0, 4, 0, 3, 0}, out.get("y").floats());
    assertArrayEquals(new int[] {3, 3}, out.get("y").shape());
    assertArrayEquals(new float[] {-0f, -0f, -0f, -1, -1, -1, 5, -5, 5}, out.get("x_neg").floats());
  }

  @Test
  void runAllReturnsEveryValue() {
    Graph g = smallGraph();
    Tensor x = Tensor.ofFloats(new int[] {1, 3}, new float[] {1, 2, 3});
    Map<Value, Tensor> all = new Interpreter(g).runAll(Map.of("x", x));
    assertEquals(4, all.size()); // x, c, add, neg
    Value add = g.ops().get(2).result();
    assertArrayEquals(new float[] {2, 0, 6}, all.get(add).floats());
  }

  @Test
  void batchOneGraphRunsAtBatchTwo() {
    Graph g = new Graph("b1");
    Builder b = new Builder(g);
    Value x = b.input("x", TensorType.f32(1, 2), Location.of("x"));
    b.output("y", b.value("relu", List.of(x), null, Location.of("r")), Location.of("y"));
    Tensor in = Tensor.ofFloats(new int[] {2, 2}, new float[] {-1, 2, 3, -4});
    assertArrayEquals(new float[] {0, 2, 3, 0}, new Interpreter(g).run(Map.of("x", in)).get("y").floats());
  }

  @Test
  void missingInputIsAUserError() {
    UserError e = assertThrows(UserError.class, () -> new Interpreter(smallGraph()).run(Map.of()));
    assertTrue(e.getMessage().contains("missing input 'x'"), e.getMessage());
  }

  @Test
  void extraInputIsNamedWithSuggestion() {
    Tensor x = Tensor.ofFloats(new int[] {1, 3}, new float[3]);
    UserError e = assertThrows(UserError.class, () -> new Interpreter(smallGraph()).run(Map.of("x", x, "xx", x)));
    assertTrue(e.getMessage().contains("unknown input 'xx'"), e.getMessage());
    assertTrue(e.getMessage().contains("did you mean 'x'"), e.getMessage());
  }

  @Test
  void wrongShapeAndDtypeAreUserErrors() {
    Tensor bad = Tensor.ofFloats(new int[] {2, 4}, new float[8]);
    UserError e = assertThrows(UserError.class, () -> new Interpreter(smallGraph()).run(Map.of("x", bad)));
    assertTrue(e.getMessage().contains("expected dimension 1 to be 3"), e.getMessage());
    Tensor rank = Tensor.ofFloats(new int[] {3}, new float[3]);
    e = assertThrows(UserError.class, () -> new Interpreter(smallGraph()).run(Map.of("x", rank)));
    assertTrue(e.getMessage().contains("expected rank 2"), e.getMessage());
    Tensor ints = Tensor.ofInts(new int[] {1, 3}, ScalarType.I32, new int[3]);
    e = assertThrows(UserError.class, () -> new Interpreter(smallGraph()).run(Map.of("x", ints)));
    assertTrue(e.getMessage().contains("expected element type f32, got i32"), e.getMessage());
  }
}

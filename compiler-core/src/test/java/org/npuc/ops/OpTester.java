package org.npuc.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.npuc.ir.Attributes;
import org.npuc.ir.Builder;
import org.npuc.ir.Graph;
import org.npuc.ir.IrException;
import org.npuc.ir.Location;
import org.npuc.ir.OpDefinition;
import org.npuc.ir.OpRegistry;
import org.npuc.ir.Operation;
import org.npuc.ir.Tensor;
import org.npuc.ir.Value;
import org.npuc.ir.type.TensorType;

/** Runs one core op on given tensors through its definition, checking inferred against computed shapes. */
final class OpTester {
  private OpTester() {}

  static Tensor t(int[] shape, float... values) {
    return Tensor.ofFloats(shape, values);
  }

  static int[] s(int... dims) {
    return dims;
  }

  static Attributes a(Object... kv) {
    return Attributes.of(kv);
  }

  /** Builds the op (inferring its types), verifies it and evaluates it. */
  static Tensor[] runAll(String op, Attributes attrs, Tensor... inputs) {
    Graph g = new Graph("t");
    Builder b = new Builder(g);
    List<Value> vals = new ArrayList<>();
    for (int i = 0; i < inputs.length; i++) vals.add(b.input("in" + i, inputs[i].type(), Location.of("in" + i)));
    Operation o = b.create(op, vals, attrs == null ? new Attributes() : attrs, Location.of(op));
    OpDefinition def = OpRegistry.global().lookup(op);
    def.verify(o);
    Tensor[] r = def.evaluate(o, inputs);
    assertEquals(o.numResults(), r.length);
    for (int i = 0; i < r.length; i++) {
      assertArrayEquals(o.result(i).type().shape(), r[i].shape(), "inferred vs computed shape of result " + i);
      assertEquals(o.result(i).type().elementType(), r[i].elementType());
    }
    return r;
  }

  static Tensor run(String op, Attributes attrs, Tensor... inputs) {
    Tensor[] r = runAll(op, attrs, inputs);
    assertEquals(1, r.length);
    return r[0];
  }

  static void check(Tensor actual, int[] shape, float... expected) {
    assertArrayEquals(shape, actual.shape(), "shape");
    assertClose(expected, actual.floats(), 1e-5f);
  }

  static void assertClose(float[] expected, float[] actual, float tol) {
    assertEquals(expected.length, actual.length, "element count");
    for (int i = 0; i < expected.length; i++) {
      float e = expected[i];
      float d = Math.abs(e - actual[i]);
      boolean ok = Float.isNaN(e) ? Float.isNaN(actual[i]) : e == actual[i] || d <= tol * Math.max(1f, Math.abs(e));
      assertTrue(ok, "element " + i + ": expected " + e + ", got " + actual[i]);
    }
  }

  /** Type inference only. */
  static TensorType infer(String op, Attributes attrs, TensorType... operands) {
    List<TensorType> r = OpRegistry.global().lookup(op).inferTypes(List.of(operands), attrs == null ? new Attributes() : attrs);
    assertEquals(1, r.size());
    return r.get(0);
  }

  /** Asserts inference fails with a message containing each fragment. */
  static IrException inferError(String op, Attributes attrs, TensorType[] operands, String... fragments) {
    IrException e = assertThrows(IrException.class, () -> OpRegistry.global().lookup(op).inferTypes(List.of(operands), attrs == null ? new Attributes() : attrs));
    for (String f : fragments) assertTrue(e.getMessage().contains(f), "message '" + e.getMessage() + "' lacks '" + f + "'");
    return e;
  }

  /** 0, 1, 2, ... n-1 as floats. */
  static float[] iota(int n) {
    float[] r = new float[n];
    for (int i = 0; i < n; i++) r[i] = i;
    return r;
  }
}

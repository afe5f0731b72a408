package org.npuc.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.npuc.ops.OpTester.a;
import static org.npuc.ops.OpTester.check;
import static org.npuc.ops.OpTester.iota;
import static org.npuc.ops.OpTester.run;
import static org.npuc.ops.OpTester.s;
import static org.npuc.ops.OpTester.t;

import org.junit.jupiter.api.Test;
import org.npuc.ir.Tensor;
import org.npuc.ir.type.ScalarType;
import org.npuc.ir.type.TensorType;

/** concat, split, slice, reshape family, transpose, pad and cast against hand-computed outputs. */
class ShapeOpsTest {
  private static final Tensor X23 = t(s(2, 3), 1, 2, 3, 4, 5, 6);

  @Test
  void concat() {
    check(run("concat", a("axis", 1), X23, t(s(2, 1), 7, 8)), s(2, 4), 1, 2, 3, 7, 4, 5, 6, 8);
    check(run("concat", a("axis", 0), X23, t(s(1, 3), 7, 8, 9)), s(3, 3), 1, 2, 3, 4, 5, 6, 7, 8, 9);
    check(run("concat", a("axis", -1), t(s(1), 1), t(s(2), 2, 3), t(s(1), 4)), s(4), 1, 2, 3, 4);
    Tensor i = run("concat", a("axis", 0), Tensor.ofInts(s(1), ScalarType.I32, new int[] {5}), Tensor.ofInts(s(1), ScalarType.I32, new int[] {6}));
    assertArrayEquals(new int[] {5, 6}, i.ints());
    assertArrayEquals(s(-1, 5), OpTester.infer("concat", a("axis", 1), TensorType.f32(-1, 2), TensorType.f32(-1, 3)).shape());
    assertArrayEquals(s(4, -1), OpTester.infer("concat", a("axis", 1), TensorType.f32(-1, 2), TensorType.f32(4, -1)).shape());
    OpTester.inferError("concat", a("axis", 1), new TensorType[] {TensorType.f32(2, 2), TensorType.f32(3, 2)},
        "operand #1", "expected dimension 0 to be 2", "got 3");
    OpTester.inferError("concat", null, new TensorType[] {TensorType.f32(2)}, "missing attribute 'axis'");
  }

  @Test
  void split() {
    Tensor[] r = OpTester.runAll("split", a("axis", 1, "sizes", new int[] {1, 2}), X23);
    check(r[0], s(2, 1), 1, 4);
    check(r[1], s(2, 2), 2, 3, 5, 6);
    r = OpTester.runAll("split", a("axis", 0, "sizes", new int[] {1, 1}), X23);
    check(r[1], s(1, 3), 4, 5, 6);
    OpTester.inferError("split", a("axis", 1, "sizes", new int[] {1, 1}), new TensorType[] {TensorType.f32(2, 3)},
        "attribute 'sizes'", "summing to dimension 1 of x (3)", "sum 2");
  }

  @Test
  void slice() {
    Tensor x = t(s(3, 4), iota(12));
    check(run("slice", a("starts", new int[] {1}, "ends", new long[] {Long.MAX_VALUE}, "axes", new int[] {0}), x), s(2, 4), 4, 5, 6, 7, 8, 9, 10, 11);
    check(run("slice", a("starts", new int[] {0, -1}, "ends", new int[] {3, -5}, "axes", new int[] {0, 1}, "steps", new int[] {2, -1}), x),
        s(2, 4), 3, 2, 1, 0, 11, 10, 9, 8);
    check(run("slice", a("starts", new int[] {-3, 1}, "ends", new int[] {-1, 3}), x), s(2, 2), 1, 2, 5, 6);
    check(run("slice", a("starts", new int[] {5}, "ends", new int[] {9}, "axes", new int[] {1}), x), s(3, 0));
    check(run("slice", a("starts", new int[] {1}, "ends", new int[] {4}, "axes", new int[] {1}, "steps", new int[] {2}), x), s(3, 2), 1, 3, 5, 7, 9, 11);
    assertArrayEquals(s(-1, 2), OpTester.infer("slice", a("starts", new int[] {0}, "ends", new int[] {2}, "axes", new int[] {1}), TensorType.f32(-1, 4)).shape());
    OpTester.inferError("slice", a("starts", new int[] {0}, "ends", new int[] {1}, "steps", new int[] {0}), new TensorType[] {TensorType.f32(3)}, "attribute 'steps'");
  }

  @Test
  void reshapeFamily() {
    check(run("reshape", a("shape", new int[] {3, 2}), X23), s(3, 2), 1, 2, 3, 4, 5, 6);
    check(run("reshape", a("shape", new int[] {-1, 2}), X23), s(3, 2), 1, 2, 3, 4, 5, 6);
    assertArrayEquals(s(-1, 3, 2), OpTester.infer("reshape", a("shape", new int[] {-1, 3, 2}), TensorType.f32(-1, 6)).shape());
    OpTester.inferError("reshape", a("shape", new int[] {4, 2}), new TensorType[] {TensorType.f32(2, 3)}, "attribute 'shape'", "expected 6 elements", "8 elements");
    OpTester.inferError("reshape", a("shape", new int[] {-1, -1}), new TensorType[] {TensorType.f32(2, 3)}, "at most one -1");
    Tensor x = t(s(2, 3, 4), iota(24));
    assertArrayEquals(s(2, 12), run("flatten", null, x).shape());
    assertArrayEquals(s(1, 24), run("flatten", a("axis", 0), x).shape());
    assertArrayEquals(s(24, 1), run("flatten", a("axis", 3), x).shape());
    check(run("flatten", a("axis", -1), x), s(6, 4), iota(24));
    assertArrayEquals(s(-1, 12), OpTester.infer("flatten", null, TensorType.f32(-1, 3, 4)).shape());
    Tensor y = t(s(1, 3, 1), 1, 2, 3);
    check(run("squeeze", null, y), s(3), 1, 2, 3);
    check(run("squeeze", a("axes", new int[] {0}), y), s(3, 1), 1, 2, 3);
    check(run("squeeze", a("axes", new int[] {-1}), y), s(1, 3), 1, 2, 3);
    OpTester.inferError("squeeze", a("axes", new int[] {1}), new TensorType[] {TensorType.f32(1, 3, 1)}, "expected dimension 1 of x to be 1, got 3");
    check(run("unsqueeze", a("axes", new int[] {0, 2}), t(s(3), 1, 2, 3)), s(1, 3, 1), 1, 2, 3);
    check(run("unsqueeze", a("axes", new int[] {-1}), t(s(3), 1, 2, 3)), s(3, 1), 1, 2, 3);
  }

  @Test
  void transpose() {
    check(run("transpose", a("perm", new int[] {1, 0}), X23), s(3, 2), 1, 4, 2, 5, 3, 6);
    // out[k][i][j] = x[i][j][k] = 12i + 4j + k
    float[] want = new float[24];
    int n = 0;
    for (int k = 0; k < 4; k++) for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) want[n++] = 12 * i + 4 * j + k;
    check(run("transpose", a("perm", new int[] {2, 0, 1}), t(s(2, 3, 4), iota(24))), s(4, 2, 3), want);
    assertArrayEquals(s(-1, 224, 224, 3), OpTester.infer("transpose", a("perm", new int[] {0, 2, 3, 1}), TensorType.f32(-1, 3, 224, 224)).shape());
    OpTester.inferError("transpose", a("perm", new int[] {0, 0}), new TensorType[] {TensorType.f32(2, 2)}, "attribute 'perm'", "permutation");
  }

  @Test
  void padModes() {
    Tensor x = t(s(3), 1, 2, 3);
    int[] p = {2, 2};
    check(run("pad", a("pads", p, "value", 9.0), x), s(7), 9, 9, 1, 2, 3, 9, 9);
    check(run("pad", a("pads", p, "mode", "reflect"), x), s(7), 3, 2, 1, 2, 3, 2, 1);
    check(run("pad", a("pads", p, "mode", "symmetric"), x), s(7), 2, 1, 1, 2, 3, 3, 2);
    check(run("pad", a("pads", p, "mode", "edge"), x), s(7), 1, 1, 1, 2, 3, 3, 3);
    check(run("pad", a("pads", new int[] {1, 0, 0, 1}), t(s(2, 2), 1, 2, 3, 4)), s(3, 3), 0, 0, 0, 1, 2, 0, 3, 4, 0);
    check(run("pad", a("pads", new int[] {0, 1, 1, 0}, "mode", "reflect"), t(s(2, 2), 1, 2, 3, 4)), s(3, 3), 2, 1, 2, 4, 3, 4, 2, 1, 2);
    OpTester.inferError("pad", a("pads", new int[] {3, 0}, "mode", "reflect"), new TensorType[] {TensorType.f32(3)}, "at most 2", "got 3");
    OpTester.inferError("pad", a("pads", new int[] {1}), new TensorType[] {TensorType.f32(3)}, "expected 2 values");
    OpTester.inferError("pad", a("pads", new int[] {1, 1}, "mode", "wrap"), new TensorType[] {TensorType.f32(3)}, "attribute 'mode'", "got \"wrap\"");
  }

  @Test
  void cast() {
    Tensor x = t(s(5), 1.7f, -1.7f, 300, Float.NaN, -300);
    assertArrayEquals(new int[] {1, -1, 300, 0, -300}, run("cast", a("to", "i32"), x).ints());
    assertArrayEquals(new int[] {1, 0, 255, 0, 0}, run("cast", a("to", "u8"), x).ints());
    assertArrayEquals(new int[] {1, -1, 127, 0, -128}, run("cast", a("to", "i8"), x).ints());
    Tensor i = Tensor.ofInts(s(3), ScalarType.I32, new int[] {258, -1, 0});
    assertArrayEquals(new int[] {2, 255, 0}, run("cast", a("to", "u8"), i).ints());
    assertArrayEquals(new int[] {1, 1, 0}, run("cast", a("to", "i1"), i).ints());
    Tensor f = run("cast", a("to", "f32"), i);
    assertEquals(ScalarType.F32, f.elementType());
    check(f, s(3), 258, -1, 0);
    OpTester.inferError("cast", a("to", "float"), new TensorType[] {TensorType.f32(3)}, "attribute 'to'", "f32", "got \"float\"");
  }
}

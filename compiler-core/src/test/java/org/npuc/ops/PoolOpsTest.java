package org.npuc.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.npuc.ops.OpTester.a;
import static org.npuc.ops.OpTester.check;
import static org.npuc.ops.OpTester.iota;
import static org.npuc.ops.OpTester.run;
import static org.npuc.ops.OpTester.s;
import static org.npuc.ops.OpTester.t;

import org.junit.jupiter.api.Test;
import org.npuc.ir.Tensor;
import org.npuc.ir.type.TensorType;

/** max_pool, avg_pool and the reductions against hand-computed outputs (x[r][c] = 4r + c). */
class PoolOpsTest {
  private static final Tensor X = t(s(1, 1, 4, 4), iota(16));
  private static final int[] K2 = {2, 2};

  @Test
  void plainWindows() {
    check(run("max_pool", a("kernel", K2, "strides", K2), X), s(1, 1, 2, 2), 5, 7, 13, 15);
    check(run("avg_pool", a("kernel", K2, "strides", K2), X), s(1, 1, 2, 2), 2.5f, 4.5f, 10.5f, 12.5f);
  }

  @Test
  void padsAndCountIncludePad() {
    var attrs = a("kernel", new int[] {3, 3}, "strides", K2, "pads", new int[] {1, 1, 1, 1});
    check(run("max_pool", attrs, X), s(1, 1, 2, 2), 5, 7, 13, 15);
    check(run("avg_pool", attrs, X), s(1, 1, 2, 2), 2.5f, 4, 8.5f, 10);
    attrs.set("count_include_pad", true);
    check(run("avg_pool", attrs, X), s(1, 1, 2, 2), 10f / 9, 24f / 9, 51f / 9, 10);
  }

  @Test
  void padsNeverWinAMax() {
    Tensor neg = t(s(1, 1, 2, 2), -5, -6, -7, -8);
    check(run("max_pool", a("kernel", K2, "pads", new int[] {1, 1, 0, 0}), neg), s(1, 1, 2, 2), -5, -5, -5, -5);
  }

  @Test
  void ceilModeAddsAPartialWindow() {
    var attrs = a("kernel", new int[] {3, 3}, "strides", K2, "pads", new int[] {1, 1, 1, 1}, "ceil_mode", true);
    check(run("avg_pool", attrs, X), s(1, 1, 3, 3), 2.5f, 4, 5, 8.5f, 10, 11, 12.5f, 14, 15);
    attrs.set("count_include_pad", true);
    // Divisors: overlap with the padded extent [-1, 5): rows 3,3,2 by cols 3,3,2.
    check(run("avg_pool", attrs, X), s(1, 1, 3, 3), 10f / 9, 24f / 9, 10f / 6, 51f / 9, 10, 33f / 6, 25f / 6, 42f / 6, 15f / 4);
    check(run("max_pool", a("kernel", K2, "strides", new int[] {3, 3}, "ceil_mode", true), X), s(1, 1, 2, 2), 5, 7, 13, 15);
    check(run("avg_pool", a("kernel", K2, "strides", new int[] {3, 3}, "ceil_mode", true, "count_include_pad", true), X),
        s(1, 1, 2, 2), 2.5f, 5, 12.5f, 15);
    check(run("max_pool", a("kernel", K2, "strides", new int[] {3, 3}), X), s(1, 1, 1, 1), 5);
  }

  @Test
  void ceilModeDropsAWindowStartingInThePadding() {
    // H=3, k=2, s=2, pads 1: ceil gives 3 windows, but the third would start at 3 >= H, so 2.
    Tensor x = t(s(1, 1, 3, 3), 1, 2, 3, 4, 5, 6, 7, 8, 9);
    var attrs = a("kernel", K2, "strides", K2, "pads", new int[] {1, 1, 1, 1}, "ceil_mode", true);
    check(run("max_pool", attrs, x), s(1, 1, 2, 2), 1, 3, 7, 9);
    assertArrayEquals(s(1, 1, 2, 2), OpTester.infer("max_pool", attrs, TensorType.f32(1, 1, 3, 3)).shape());
  }

  @Test
  void global() {
    Tensor x = t(s(1, 2, 2, 2), 1, 2, 3, 4, -1, -2, -3, -4);
    check(run("avg_pool", a("global", true), x), s(1, 2, 1, 1), 2.5f, -2.5f);
    check(run("max_pool", a("global", true), x), s(1, 2, 1, 1), 4, -1);
    assertArrayEquals(s(-1, 8, 1, 1), OpTester.infer("avg_pool", a("global", true), TensorType.f32(-1, 8, -1, -1)).shape());
  }

  @Test
  void poolErrors() {
    TensorType x = TensorType.f32(1, 1, 4, 4);
    OpTester.inferError("max_pool", a("strides", K2), new TensorType[] {x}, "missing attribute 'kernel'");
    OpTester.inferError("avg_pool", a("kernel", K2, "pads", new int[] {2, 0, 0, 0}), new TensorType[] {x}, "attribute 'pads'", "smaller than the kernel");
    OpTester.inferError("max_pool", a("kernel", new int[] {5, 5}), new TensorType[] {x}, "empty output");
    OpTester.inferError("max_pool", a("kernel", K2, "count_include_pad", true), new TensorType[] {x}, "count_include_pad");
  }

  @Test
  void reductions() {
    Tensor x = t(s(2, 3), 1, 2, 3, 4, 5, 6);
    check(run("reduce_sum", a("axes", new int[] {1}), x), s(2, 1), 6, 15);
    check(run("reduce_sum", a("axes", new int[] {-1}, "keepdims", false), x), s(2), 6, 15);
    check(run("reduce_mean", null, x), s(1, 1), 3.5f);
    check(run("reduce_mean", a("keepdims", false), x), s(), 3.5f);
    check(run("reduce_max", a("axes", new int[] {0}), x), s(1, 3), 4, 5, 6);
    check(run("reduce_mean", a("axes", new int[0]), x), s(2, 3), 1, 2, 3, 4, 5, 6);
    Tensor y = t(s(2, 2, 2), iota(8));
    check(run("reduce_sum", a("axes", new int[] {0, 2}), y), s(1, 2, 1), 10, 18);
    check(run("reduce_mean", a("axes", new int[] {2, 3}), X), s(1, 1, 1, 1), 7.5f);
    check(run("reduce_max", a("axes", new int[] {1}, "keepdims", false), t(s(2, 2), -3, -4, -2, -1)), s(2), -3, -1);
    assertArrayEquals(s(-1, 1), OpTester.infer("reduce_mean", a("axes", new int[] {1}), TensorType.f32(-1, 7)).shape());
    OpTester.inferError("reduce_sum", a("axes", new int[] {2}), new TensorType[] {TensorType.f32(2, 3)}, "attribute 'axes'", "got 2");
  }
}

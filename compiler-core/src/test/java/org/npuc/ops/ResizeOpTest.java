package org.npuc.ops;

import static org.npuc.ops.OpTester.a;
import static org.npuc.ops.OpTester.check;
import static org.npuc.ops.OpTester.run;
import static org.npuc.ops.OpTester.s;
import static org.npuc.ops.OpTester.t;

import org.junit.jupiter.api.Test;
import org.npuc.ir.Tensor;
import org.npuc.ir.type.TensorType;

/**
 * resize for every mode × coordinate (× nearest_mode) combination, on a row [0, 10] widened to 4.
 * Source coordinates of output columns 0..3 (scale in/out = 0.5): asymmetric 0, .5, 1, 1.5;
 * align_corners 0, 1/3, 2/3, 1; half_pixel and pytorch_half_pixel -.25, .25, .75, 1.25;
 * tf_half_pixel_for_nn .25, .75, 1.25, 1.75.
 */
class ResizeOpTest {
  private static final Tensor ROW = t(s(1, 1, 1, 2), 0, 10);
  private static final int[] OUT = s(1, 1, 1, 4);

  private static Tensor resize(String mode, String coord, String nearest) {
    var attrs = a("sizes", new int[] {1, 4}, "mode", mode, "coordinate", coord);
    if (nearest != null) attrs.set("nearest_mode", nearest);
    return run("resize", attrs, ROW);
  }

  @Test
  void bilinearEveryCoordinate() {
    check(resize("bilinear", "asymmetric", null), OUT, 0, 5, 10, 10);
    check(resize("bilinear", "align_corners", null), OUT, 0, 10f / 3, 20f / 3, 10);
    check(resize("bilinear", "half_pixel", null), OUT, 0, 2.5f, 7.5f, 10);
    check(resize("bilinear", "pytorch_half_pixel", null), OUT, 0, 2.5f, 7.5f, 10);
    check(resize("bilinear", "tf_half_pixel_for_nn", null), OUT, 2.5f, 7.5f, 10, 10);
  }

  @Test
  void nearestAsymmetric() {
    check(resize("nearest", "asymmetric", "floor"), OUT, 0, 0, 10, 10);
    check(resize("nearest", "asymmetric", "ceil"), OUT, 0, 10, 10, 10);
    check(resize("nearest", "asymmetric", "round_prefer_floor"), OUT, 0, 0, 10, 10);
    check(resize("nearest", "asymmetric", "round_prefer_ceil"), OUT, 0, 10, 10, 10);
    check(resize("nearest", "asymmetric", null), OUT, 0, 0, 10, 10); // floor is the default
  }

  @Test
  void nearestAlignCorners() {
    check(resize("nearest", "align_corners", "floor"), OUT, 0, 0, 0, 10);
    check(resize("nearest", "align_corners", "ceil"), OUT, 0, 10, 10, 10);
    check(resize("nearest", "align_corners", "round_prefer_floor"), OUT, 0, 0, 10, 10);
    check(resize("nearest", "align_corners", "round_prefer_ceil"), OUT, 0, 0, 10, 10);
  }

  @Test
  void nearestHalfPixelFamilies() {
    for (String coord : new String[] {"half_pixel", "pytorch_half_pixel"}) {
      check(resize("nearest", coord, "floor"), OUT, 0, 0, 0, 10);
      check(resize("nearest", coord, "ceil"), OUT, 0, 10, 10, 10);
      check(resize("nearest", coord, "round_prefer_floor"), OUT, 0, 0, 10, 10);
      check(resize("nearest", coord, "round_prefer_ceil"), OUT, 0, 0, 10, 10);
    }
    check(resize("nearest", "tf_half_pixel_for_nn", "floor"), OUT, 0, 0, 10, 10);
    check(resize("nearest", "tf_half_pixel_for_nn", "ceil"), OUT, 10, 10, 10, 10);
    check(resize("nearest", "tf_half_pixel_for_nn", "round_prefer_floor"), OUT, 0, 10, 10, 10);
    check(resize("nearest", "tf_half_pixel_for_nn", "round_prefer_ceil"), OUT, 0, 10, 10, 10);
  }

  @Test
  void roundingTiesAndSingleOutput() {
    // 4 -> 2 with half_pixel: source coordinates 0.5 and 2.5, exact ties.
    Tensor x = t(s(1, 1, 1, 4), 0, 1, 2, 3);
    var attrs = a("sizes", new int[] {1, 2}, "mode", "nearest", "coordinate", "half_pixel");
    check(run("resize", attrs.set("nearest_mode", "round_prefer_floor"), x), s(1, 1, 1, 2), 0, 2);
    check(run("resize", attrs.set("nearest_mode", "round_prefer_ceil"), x), s(1, 1, 1, 2), 1, 3);
    // Output size 1: half_pixel samples the middle, pytorch_half_pixel the first element.
    var one = a("sizes", new int[] {1, 1}, "mode", "bilinear");
    check(run("resize", one.set("coordinate", "half_pixel"), ROW), s(1, 1, 1, 1), 5);
    check(run("resize", one.set("coordinate", "pytorch_half_pixel"), ROW), s(1, 1, 1, 1), 0);
    check(run("resize", one.set("coordinate", "align_corners"), ROW), s(1, 1, 1, 1), 0);
  }

  @Test
  void bilinear2d() {
    Tensor x = t(s(1, 1, 2, 2), 0, 10, 20, 30);
    check(run("resize", a("sizes", new int[] {3, 3}, "mode", "bilinear", "coordinate", "align_corners"), x),
        s(1, 1, 3, 3), 0, 5, 10, 10, 15, 20, 20, 25, 30);
    // Nearest 2x upscale (TF ResizeNearestNeighbor default), two channels.
    Tensor y = t(s(1, 2, 1, 2), 1, 2, 3, 4);
    check(run("resize", a("sizes", new int[] {2, 4}), y), s(1, 2, 2, 4), 1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4);
    OpTester.inferError("resize", a("sizes", new int[] {2, 2}, "coordinate", "half"), new TensorType[] {TensorType.f32(1, 1, 2, 2)},
        "attribute 'coordinate'", "tf_half_pixel_for_nn", "got \"half\"");
  }
}

package org.npuc.quant.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.npuc.interp.Interpreter;
import org.npuc.ir.Graph;
import org.npuc.ir.Tensor;
import org.npuc.ir.text.IrParser;
import org.npuc.ir.type.UniformQuantType;

/** The integer prelu by hand. */
class PreluKernelTest {
  /**
   * x scale 1/2, slope 1/4 stored as 1 (scale 1/4), output scale 1/4, all zero points 0 except the
   * second case. Positive: 6·(1/2)/(1/4) = 12. Negative: -3·1 · (1/2·1/4)/(1/4) = -1.5: the multiplier
   * 1/2 is 2^30 with shift 0, so only gemmlowp's rounding doubling high multiply rounds, {@code
   * (ab + 1 - 2^30) / 2^31} truncated: -1.5 becomes -1 (its ties go up for negative products); -4
   * gives -2 exactly.
   */
  @Test
  void byHand() {
    String ir =
        "graph @p {\n"
            + "  %x = input() {name = \"x\"} : () -> tensor<3xuniform<i8:f32, 0.5:0>>\n"
            + "  %a = constant() {value = dense<[1]>} : () -> tensor<1xuniform<i8:f32, 0.25:0>>\n"
            + "  %y = prelu(%x, %a) {axis = 0} : (tensor<3xuniform<i8:f32, 0.5:0>>, tensor<1xuniform<i8:f32, 0.25:0>>) -> tensor<3xuniform<i8:f32, 0.25:0>>\n"
            + "  output(%y) {name = \"y\"} : (tensor<3xuniform<i8:f32, 0.25:0>>) -> ()\n"
            + "}\n";
    Graph g = IrParser.parse(ir, "p");
    Tensor x = Tensor.ofInts(new int[] {3}, UniformQuantType.of(org.npuc.ir.type.ScalarType.I8, 0.5, 0), new int[] {-3, 6, -4});
    assertArrayEquals(new int[] {-1, 12, -2}, new Interpreter(g).run(Map.of("x", x)).get("y").ints());
  }

  /** Zero points: x zp 10, slope stored 6 with zp 2 (= 4 steps of 1/8 = 0.5), output zp -5. */
  @Test
  void zeroPointsAndChannels() {
    String ir =
        "graph @p {\n"
            + "  %x = input() {name = \"x\"} : () -> tensor<1x2x2xuniform<i8:f32, 1.0:10>>\n"
            + "  %a = constant() {value = dense<[6, 2]>} : () -> tensor<2xuniform<i8:f32, 0.125:2>>\n"
            + "  %y = prelu(%x, %a) {axis = 1} : (tensor<1x2x2xuniform<i8:f32, 1.0:10>>, tensor<2xuniform<i8:f32, 0.125:2>>) -> tensor<1x2x2xuniform<i8:f32, 1.0:-5>>\n"
            + "  output(%y) {name = \"y\"} : (tensor<1x2x2xuniform<i8:f32, 1.0:-5>>) -> ()\n"
            + "}\n";
    Graph g = IrParser.parse(ir, "p");
    // Channel 0 (slope 0.5): x = 4 → -6 real → -3 → -8; x = 13 → 3 → -2. Channel 1 (slope 0): -6 → 0 → -5; 15 → 5 → 0.
    Tensor x = Tensor.ofInts(new int[] {1, 2, 2}, UniformQuantType.of(org.npuc.ir.type.ScalarType.I8, 1.0, 10), new int[] {4, 13, 4, 15});
    assertArrayEquals(new int[] {-8, -2, -5, 0}, new Interpreter(g).run(Map.of("x", x)).get("y").ints());
  }
}

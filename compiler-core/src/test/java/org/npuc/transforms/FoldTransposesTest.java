package org.npuc.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.npuc.transforms.PassChecks.opNames;
import static org.npuc.transforms.PassChecks.optimizeAndCompare;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.npuc.ir.Graph;
import org.npuc.ir.Value;

/** fold_transposes numerically and structurally. */
class FoldTransposesTest {
  private static final int[] TO_NHWC = {0, 2, 3, 1};
  private static final int[] TO_NCHW = {0, 3, 1, 2};

  private static Value t(NetBuilder n, Value x, int[] perm) {
    return n.op("transpose", List.of(x), "perm", perm);
  }

  @Test
  void inversePairsCancelAndChainsMerge() {
    NetBuilder n = new NetBuilder(41);
    Value x = n.input("x", 2, 3, 4, 5);
    n.output("cancel", n.op("relu", List.of(t(n, t(n, x, TO_NHWC), TO_NCHW))));
    n.output("merge", t(n, t(n, x, TO_NHWC), new int[] {1, 0, 2, 3}));
    n.output("identity", n.op("sigmoid", List.of(t(n, x, new int[] {0, 1, 2, 3}))));
    Graph g = optimizeAndCompare("fold_transposes", n.graph);
    assertEquals(List.of("input", "relu", "output", "transpose", "output", "sigmoid", "output"), opNames(g));
  }

  @Test
  void constantsFoldAndSizeOneMovesBecomeReshapes() {
    NetBuilder n = new NetBuilder(42);
    Value x = n.input("x", 2, 3, 4, 1);
    n.output("c", n.op("add", List.of(t(n, x, TO_NCHW), t(n, n.random(-1, 1, 1, 3, 4, 1), TO_NCHW))));
    Value v = n.input("v", 6, 1, 1);
    n.output("r", n.op("reshape", List.of(t(n, v, new int[] {1, 0, 2})), "shape", new int[] {6}));
    Graph g = optimizeAndCompare("fold_transposes", n.graph);
    assertEquals(List.of("input", "reshape", "add", "output", "input", "reshape", "output"), opNames(g));
  }

  @Test
  void transposesSinkThroughElementwiseOpsToCancel() {
    NetBuilder n = new NetBuilder(43);
    Value x = n.input("x", 1, 3, 4, 5);
    Value a = n.op("add", List.of(t(n, x, TO_NHWC), n.random(-1, 1, 3)));
    Value m = n.op("mul", List.of(n.op("relu6", List.of(a)), n.random(-1, 1, 4, 1, 3)));
    n.output("y", t(n, n.op("fake_quant", List.of(m), "min", new double[] {-1, -2, -3}, "max", new double[] {1, 2, 3}, "axis", 3), TO_NCHW));
    Graph g = optimizeAndCompare("fold_transposes", n.graph);
    assertEquals(List.of("input", "add", "relu6", "mul", "fake_quant", "output"), opNames(g));
  }

  @Test
  void flattenedNhwcFeatureMapFoldsIntoMatmulWeights() {
    for (boolean tb : new boolean[] {false, true}) {
      NetBuilder n = new NetBuilder(44);
      Value x = n.input("x", 2, 3, 4, 5);
      Value flat = n.op("reshape", List.of(t(n, x, TO_NHWC)), "shape", new int[] {2, 60});
      Value w = tb ? n.random(-1, 1, 7, 60) : n.random(-1, 1, 60, 7);
      n.output("y", n.op("matmul", List.of(flat, w), "transpose_b", tb));
      Graph g = optimizeAndCompare("fold_transposes", n.graph);
      assertEquals(List.of("input", "reshape", "matmul", "output"), opNames(g));
    }
  }

  @Test
  void nhwcPadBeforeTheLayoutTransposeReachesTheConv() {
    NetBuilder n = new NetBuilder(45);
    Value x = n.input("x", 1, 6, 6, 3);
    Value p = n.op("pad", List.of(x), "pads", new int[] {0, 1, 1, 0, 0, 1, 1, 0});
    n.output("y", n.conv(t(n, p, TO_NCHW), 2, 3, new int[4], 1, true));
    Graph g = optimizeAndCompare("fold_transposes,fuse_pad", n.graph);
    assertEquals(List.of("input", "transpose", "conv2d", "output"), opNames(g));
  }
}

package org.npuc.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.npuc.transforms.PassChecks.opNames;
import static org.npuc.transforms.PassChecks.optimizeAndCompare;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.npuc.ir.Graph;
import org.npuc.ir.Value;
import org.npuc.pass.PassContext;

/** fuse_preprocessing numerically and structurally, and its diagnostic when not exact. */
class FusePreprocessingTest {
  @Test
  void caffeMeanAndScaleIntoUnpaddedConv() {
    NetBuilder n = new NetBuilder(51);
    Value x = n.input("data", 1, 3, 8, 8);
    Value y = n.op("mul", List.of(n.op("sub", List.of(x, n.random(100, 130, 3, 1, 1))), n.constant(new float[] {0.0078125f})));
    n.output("y", n.conv(y, 4, 3, new int[4], 1, true));
    Graph g = optimizeAndCompare("fuse_preprocessing", n.graph);
    assertEquals(List.of("input", "conv2d", "output"), opNames(g));
  }

  @Test
  void nhwcInputWithTransposeAndGroupedConv() {
    NetBuilder n = new NetBuilder(52);
    Value x = n.input("img", 1, 6, 6, 4);
    Value y = n.op("div", List.of(n.op("add", List.of(n.random(-1, 1, 4), x)), n.random(0.5f, 2, 4)));
    Value nchw = n.op("transpose", List.of(y), "perm", new int[] {0, 3, 1, 2});
    n.output("y", n.conv(nchw, 4, 3, new int[4], 2, true));
    Graph g = optimizeAndCompare("fuse_preprocessing", n.graph);
    assertEquals(List.of("input", "transpose", "conv2d", "output"), opNames(g));
  }

  @Test
  void scaleOnlyFoldsEvenWithPaddingButMeanDoesNot() {
    NetBuilder n = new NetBuilder(53);
    Value x = n.input("a", 1, 3, 5, 5);
    n.output("scaled", n.conv(n.op("mul", List.of(x, n.random(0.5f, 2, 3, 1, 1))), 2, 3, new int[] {1, 1, 1, 1}, 1, false));
    Value z = n.input("b", 1, 3, 5, 5);
    n.output("mean", n.conv(n.op("sub", List.of(z, n.random(-1, 1, 3, 1, 1))), 2, 3, new int[] {1, 1, 1, 1}, 1, false));
    PassContext ctx = PassContext.global();
    Graph g = optimizeAndCompare("fuse_preprocessing", n.graph, ctx);
    assertEquals(List.of("input", "conv2d", "output", "input", "sub", "conv2d", "output"), opNames(g));
    assertTrue(ctx.remarks().toString().contains("pads its input with zeros"), ctx.remarks().toString());
  }
}

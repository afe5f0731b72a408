package org.npuc.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.npuc.transforms.PassChecks.opNames;
import static org.npuc.transforms.PassChecks.optimizeAndCompare;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.npuc.ir.Graph;
import org.npuc.ir.Operation;
import org.npuc.ir.Value;
import org.npuc.pass.PassContext;

/** fuse_pad numerically and structurally, with the cases where it must not fire. */
class FusePadTest {
  private static Value pad(NetBuilder n, Value x, int[] pads, Object... attrs) {
    Object[] all = new Object[attrs.length + 2];
    all[0] = "pads";
    all[1] = pads;
    System.arraycopy(attrs, 0, all, 2, attrs.length);
    return n.op("pad", List.of(x), all);
  }

  private static final int[] HW = {0, 0, 1, 2, 0, 0, 2, 1};

  @Test
  void zeroPadIntoConvAndPools() {
    NetBuilder n = new NetBuilder(31);
    Value x = n.input("x", 1, 2, 6, 7);
    n.output("conv", n.conv(pad(n, x, HW), 3, 3, new int[] {1, 0, 0, 1}, 1, true));
    Value r = n.op("relu", List.of(x));
    n.output("max", n.op("max_pool", List.of(pad(n, r, HW)), "kernel", new int[] {3, 3}, "strides", new int[] {2, 2}));
    n.output("maxinf", n.op("max_pool", List.of(pad(n, x, HW, "value", Double.NEGATIVE_INFINITY)), "kernel", new int[] {3, 3}));
    n.output("avg", n.op("avg_pool", List.of(pad(n, x, HW)), "kernel", new int[] {3, 3}, "strides", new int[] {2, 2}));
    Graph g = optimizeAndCompare("fuse_pad", n.graph);
    assertEquals(List.of("input", "conv2d", "output", "relu", "max_pool", "output", "max_pool", "output", "avg_pool", "output"), opNames(g));
    Operation conv = g.ops().stream().filter(o -> o.is("conv2d")).findFirst().orElseThrow();
    assertArrayEquals(new int[] {2, 2, 2, 2}, conv.attributes().getInts("pads"));
    Operation avg = g.ops().stream().filter(o -> o.is("avg_pool")).findFirst().orElseThrow();
    assertTrue(avg.attributes().getBool("count_include_pad", false));
  }

  @Test
  void refusals() {
    NetBuilder n = new NetBuilder(32);
    Value x = n.input("x", 1, 2, 6, 6);
    n.output("reflect", n.conv(pad(n, x, HW, "mode", "reflect"), 3, 3, new int[4], 1, true));
    n.output("value", n.conv(pad(n, x, HW, "value", 1.0), 3, 3, new int[4], 1, true));
    n.output("channel", n.conv(pad(n, x, new int[] {0, 1, 0, 0, 0, 0, 0, 0}), 3, 3, new int[4], 1, true));
    n.output("max_signed", n.op("max_pool", List.of(pad(n, x, HW)), "kernel", new int[] {3, 3}));
    n.output("avg_own_pads", n.op("avg_pool", List.of(pad(n, x, HW)), "kernel", new int[] {3, 3}, "pads", new int[] {1, 1, 1, 1}));
    n.output("kernel_reached", n.op("avg_pool", List.of(pad(n, x, HW)), "kernel", new int[] {2, 2}));
    PassContext ctx = PassContext.global();
    Graph g = optimizeAndCompare("fuse_pad", n.graph, ctx);
    assertEquals(6, g.ops().stream().filter(o -> o.is("pad")).count(), opNames(g).toString());
    String r = ctx.remarks().toString();
    for (String why : List.of("mode \"reflect\"", "pads with zeros, the pad with 1.0", "batch or channel", "could win the max", "leaves them out", "reach the kernel")) {
      assertTrue(r.contains(why), why + " in " + r);
    }
  }
}

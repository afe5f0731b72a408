package org.npuc.backend.bm1684;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Tiles fit the local memory, cover the output exactly once, and shrink with the memory. */
class ConvTilerTest {
  private static final DirectConv.Geometry CONV =
      new DirectConv.Geometry(32, 56, 56, 64, 3, 3, 1, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1, 1, 1});

  private static void assertCoversOnce(DirectConv.Geometry g, ConvTiler.Plan plan, long capacity) {
    int[] hits = new int[g.o() * g.oh()];
    for (ConvTiler.Tile t : plan.tiles()) {
      assertTrue(t.bytes() <= capacity, "tile " + t + " exceeds " + capacity);
      for (int oc = t.oc0(); oc < t.oc1(); oc++) for (int oy = t.oy0(); oy < t.oy1(); oy++) hits[oc * g.oh() + oy]++;
    }
    for (int h : hits) assertEquals(1, h);
  }

  @Test
  void oneTileWhenEverythingFits() {
    ConvTiler.Plan plan = ConvTiler.plan(CONV, 64L << 20, 64, false, ConvTiler.Precision.INT8);
    assertEquals(1, plan.count());
    assertCoversOnce(CONV, plan, 64L << 20);
  }

  @Test
  void smallerMemoryGivesMoreTilesThatStillFit() {
    int previous = 0;
    for (long kib : new long[] {512, 128, 32, 8}) {
      long cap = kib * 1024;
      ConvTiler.Plan plan = ConvTiler.plan(CONV, cap, 64, false, ConvTiler.Precision.INT8);
      assertCoversOnce(CONV, plan, cap);
      assertTrue(plan.count() > previous, kib + " KiB gave " + plan.count() + " tiles, not more than " + previous);
      previous = plan.count();
    }
  }

  @Test
  void winogradTilesHaveEvenRows() {
    ConvTiler.Plan plan = ConvTiler.plan(CONV, 32 * 1024, 64, true, ConvTiler.Precision.INT8);
    assertCoversOnce(CONV, plan, 32 * 1024);
    for (ConvTiler.Tile t : plan.tiles()) assertEquals(0, t.oy0() % 2);
  }

  @Test
  void depthwiseTilesReadOnlyTheirGroups() {
    DirectConv.Geometry dw = new DirectConv.Geometry(64, 28, 28, 64, 3, 3, 64, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1, 1, 1});
    assertEquals(8, dw.inputChannels(8, 16)[1] - dw.inputChannels(8, 16)[0]);
    ConvTiler.Plan plan = ConvTiler.plan(dw, 16 * 1024, 64, false, ConvTiler.Precision.INT8);
    assertCoversOnce(dw, plan, 16 * 1024);
  }

  @Test
  void tooSmallIsReported() {
    ConvTiler.DoesNotFit e = assertThrows(ConvTiler.DoesNotFit.class, () -> ConvTiler.plan(CONV, 512, 64, false, ConvTiler.Precision.INT8));
    assertTrue(e.getMessage().contains("512"), e.getMessage());
  }

  @Test
  void winogradCostsFewerCycles() {
    CostModel cost = new CostModel(1024, 256, 64, 550);
    ConvTiler.Plan direct = ConvTiler.plan(CONV, 256 * 1024, 64, false, ConvTiler.Precision.INT8);
    ConvTiler.Plan wino = ConvTiler.plan(CONV, 256 * 1024, 64, true, ConvTiler.Precision.INT8);
    long d = cost.convCycles(CONV, direct, false, true);
    long w = cost.convCycles(CONV, wino, true, true);
    assertTrue(w < d, "winograd " + w + " vs direct " + d);
    long macsDirect = 0;
    long macsWino = 0;
    for (ConvTiler.Tile t : direct.tiles()) macsDirect += CostModel.multiplies(CONV, t, false);
    for (ConvTiler.Tile t : wino.tiles()) macsWino += CostModel.multiplies(CONV, t, true);
    assertEquals(2.25, (double) macsDirect / macsWino, 1e-9); // 56x56 output: whole 2x2 tiles
  }
}

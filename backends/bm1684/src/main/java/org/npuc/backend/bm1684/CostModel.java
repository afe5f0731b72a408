package org.npuc.backend.bm1684;

/**
 * Estimated cycles of a tiled convolution from the spec's cost numbers: per tile, the multiplies
 * divided by the MACs per cycle of its precision plus the bytes moved divided by the DMA bytes
 * per cycle (no overlap assumed, so the estimate is an upper bound for a double-buffered chip).
 * Winograd F(2x2,3x3) needs 16 multiplies per 2x2 output tile and channel pair instead of 36, so
 * its compute term is 2.25 times smaller; its transforms are additions and are not counted, but
 * its transformed weights (16 int16 per channel pair instead of 9 int8) cost more DMA, so on
 * small layers direct convolution can be cheaper and the lowering keeps it there.
 */
public record CostModel(int int8MacsPerCycle, int floatMacsPerCycle, int dmaBytesPerCycle, double clockMhz) {

  public CostModel {
    if (int8MacsPerCycle <= 0 || floatMacsPerCycle <= 0 || dmaBytesPerCycle <= 0 || !(clockMhz > 0)) {
      throw new IllegalArgumentException("cost-model numbers must be positive");
    }
  }

  /** Multiplies of one tile: direct counts every tap, winograd counts 16 per 2x2 output tile. */
  public static long multiplies(DirectConv.Geometry g, ConvTiler.Tile t, boolean winograd) {
    long channels = t.oc1() - t.oc0();
    long rows = t.oy1() - t.oy0();
    if (winograd) {
      long tiles = ((rows + 1) / 2) * ((g.ow() + 1) / 2);
      return channels * g.inPerGroup() * tiles * WinogradF23.TILE_MULTIPLIES;
    }
    return channels * rows * g.ow() * g.inPerGroup() * g.kh() * g.kw();
  }

  /** Cycles of one tile: compute plus DMA (input slice and weights in, outputs out). */
  public long tileCycles(DirectConv.Geometry g, ConvTiler.Tile t, boolean winograd, boolean int8) {
    long macs = multiplies(g, t, winograd);
    long compute = ceilDiv(macs, int8 ? int8MacsPerCycle : floatMacsPerCycle);
    long dma = ceilDiv(ConvTiler.dmaBytes(g, t, winograd, int8 ? ConvTiler.Precision.INT8 : ConvTiler.Precision.FLOAT), dmaBytesPerCycle);
    return compute + dma;
  }

  /** Cycles of a whole plan. */
  public long convCycles(DirectConv.Geometry g, ConvTiler.Plan plan, boolean winograd, boolean int8) {
    long sum = 0;
    for (ConvTiler.Tile t : plan.tiles()) sum += tileCycles(g, t, winograd, int8);
    return sum;
  }

  /** Cycles of an untiled elementwise-like op over {@code elements} values of {@code bytes} each. */
  public long streamCycles(long elements, long bytesMoved, boolean int8) {
    return ceilDiv(elements, int8 ? int8MacsPerCycle : floatMacsPerCycle) + ceilDiv(bytesMoved, dmaBytesPerCycle);
  }

  /** Microseconds for {@code cycles} at the spec's clock. */
  public double micros(long cycles) {
    return cycles / clockMhz;
  }

  static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }
}

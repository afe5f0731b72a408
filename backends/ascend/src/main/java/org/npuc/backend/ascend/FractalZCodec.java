package org.npuc.backend.ascend;

import org.npuc.ir.Tensor;
import org.npuc.target.lower.Layouts;

/**
 * The {@code FRACTAL_Z:C0} weight layout for the binary and the simulator's memory, registered
 * with {@link Layouts}: a rank-4 weight {@code [O, C, kh, kw]} is stored as {@link
 * AscendLayouts#toFractalZ}; a rank-2 weight {@code [N, K]} as {@code [N, K, 1, 1]}, or, with the
 * parameter suffix {@code T} ({@code FRACTAL_Z:16T}), a {@code [K, N]} weight as its transpose.
 */
final class FractalZCodec implements Layouts.Codec {
  static final String NAME = "FRACTAL_Z";

  private static volatile boolean registered;

  static void register() {
    if (registered) return;
    synchronized (FractalZCodec.class) {
      if (!registered) {
        Layouts.register(NAME, new FractalZCodec());
        registered = true;
      }
    }
  }

  /** The layout name for a weight of {@code rank} stored for {@code int8} or fp16 cube arithmetic. */
  static String layout(boolean int8, boolean transposed) {
    return NAME + ":" + AscendLayouts.c0For(int8) + (transposed ? "T" : "");
  }

  private static int c0(String param) {
    String p = param.endsWith("T") ? param.substring(0, param.length() - 1) : param;
    try {
      int c0 = Integer.parseInt(p);
      if (c0 > 0) return c0;
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("layout FRACTAL_Z needs a block size, e.g. FRACTAL_Z:16 or FRACTAL_Z:32T, got '" + param + "'");
  }

  /** The weight as [O, C, kh, kw] (O and C swapped for a transposed rank-2 weight). */
  private static int[] oihw(int[] s, String param) {
    if (s.length == 4) return s;
    if (s.length == 2) return param.endsWith("T") ? new int[] {s[1], s[0], 1, 1} : new int[] {s[0], s[1], 1, 1};
    throw new IllegalArgumentException("layout FRACTAL_Z holds rank-2 or rank-4 weights, got rank " + s.length);
  }

  @Override
  public long physicalElements(int[] shape, String param) {
    int[] s = AscendLayouts.fractalZShape(oihw(shape, param), c0(param));
    return (long) s[0] * s[1] * s[2] * s[3] * s[4] * s[5];
  }

  @Override
  public int[] logicalToPhysical(int[] shape, String param) {
    int c0 = c0(param);
    int[] w = oihw(shape, param);
    int[] map = new int[Math.toIntExact(Tensor.count(shape))];
    boolean transposed = shape.length == 2 && param.endsWith("T");
    int i = 0;
    if (transposed) {
      // Logical [K, N] row-major: element (k, n) is weight (o = n, c = k).
      for (int k = 0; k < shape[0]; k++) for (int n = 0; n < shape[1]; n++) map[i++] = AscendLayouts.fractalZIndex(n, k, 0, 0, w, c0);
      return map;
    }
    for (int o = 0; o < w[0]; o++) {
      for (int c = 0; c < w[1]; c++) {
        for (int y = 0; y < w[2]; y++) {
          for (int x = 0; x < w[3]; x++) map[i++] = AscendLayouts.fractalZIndex(o, c, y, x, w, c0);
        }
      }
    }
    return map;
  }
}

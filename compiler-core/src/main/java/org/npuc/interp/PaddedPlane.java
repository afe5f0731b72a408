package org.npuc.interp;

/**
 * The copy of one input plane into a padded plane that window kernels read without bounds
 * checks (Winograd's input tiles, max pooling's flat passes, strided depthwise rows): a row copy
 * per input row, cropped to the padded extent. The caller fills the padding first (0 for sums,
 * -∞ for max).
 */
final class PaddedPlane {
  private PaddedPlane() {}

  /**
   * Copies plane {@code x[src ..]} ({@code h×w}) into {@code dst} ({@code hp×wp}), input (iy, ix)
   * at padded (iy + pt, ix + pl); whatever falls outside the padded plane is left out.
   */
  static void copy(float[] x, int src, int h, int w, int pt, int pl, float[] dst, int hp, int wp) {
    int ixLo = Math.max(0, -pl);
    int ixHi = Math.min(w, wp - pl);
    if (ixHi <= ixLo) return;
    for (int iy = Math.max(0, -pt); iy < h && iy + pt < hp; iy++) {
      System.arraycopy(x, src + iy * w + ixLo, dst, (iy + pt) * wp + ixLo + pl, ixHi - ixLo);
    }
  }
}

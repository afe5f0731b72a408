package org.npuc.frontend.tensorflow;

/**
 * Window geometry of convolutions and pools as TensorFlow defines it: stride/dilation attributes by
 * data_format, and SAME / VALID / EXPLICIT padding (SAME puts the odd pixel at the end).
 */
final class Windows {
  private Windows() {}

  /** [h, w] from a 4-entry TF attribute in {@code format} order (NHWC or NCHW). */
  static int[] spatial(int[] attr4, String format, ImportContext ctx, String what) {
    if (attr4.length != 4)
      throw ctx.error("attribute '" + what + "' needs 4 entries, got " + attr4.length);
    boolean nchw = format.startsWith("NC");
    return nchw ? new int[] {attr4[2], attr4[3]} : new int[] {attr4[1], attr4[2]};
  }

  /** The other two entries (batch and channel) of a 4-entry attribute. */
  static int[] nonSpatial(int[] attr4, String format) {
    boolean nchw = format.startsWith("NC");
    return nchw ? new int[] {attr4[0], attr4[1]} : new int[] {attr4[0], attr4[3]};
  }

  /**
   * Pads [top, left, bottom, right] for input [h, w], kernel [kh, kw], strides, dilations. {@code
   * explicit} holds TF's explicit_paddings (8 entries in format order) for EXPLICIT.
   */
  static int[] pads(
      String padding,
      int[] in,
      int[] k,
      int[] s,
      int[] d,
      int[] explicit,
      String format,
      ImportContext ctx) {
    switch (padding) {
      case "VALID":
        return new int[] {0, 0, 0, 0};
      case "SAME":
        {
          int[] p = new int[4];
          for (int i = 0; i < 2; i++) {
            if (in[i] < 0)
              throw ctx.error("SAME padding needs a known input size; set it with --input-shape");
            int out = (in[i] + s[i] - 1) / s[i];
            int total = Math.max((out - 1) * s[i] + (k[i] - 1) * d[i] + 1 - in[i], 0);
            p[i] = total / 2;
            p[i + 2] = total - total / 2;
          }
          return p;
        }
      case "EXPLICIT":
        {
          if (explicit == null || explicit.length != 8)
            throw ctx.error("EXPLICIT padding needs 8 explicit_paddings");
          int h = format.startsWith("NC") ? 2 : 1;
          int w = h + 1;
          return new int[] {
            explicit[2 * h], explicit[2 * w], explicit[2 * h + 1], explicit[2 * w + 1]
          };
        }
      default:
        throw ctx.error("unknown padding '" + padding + "' (expected SAME, VALID or EXPLICIT)");
    }
  }

  /** Output size of a window op along one axis; -1 when the input size is unknown. */
  static int outSize(int in, int k, int s, int d, int padBegin, int padEnd) {
    if (in < 0) return -1;
    return Math.floorDiv(in + padBegin + padEnd - ((k - 1) * d + 1), s) + 1;
  }
}

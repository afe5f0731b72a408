package org.npuc.io;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.npuc.diag.UserError;

/**
 * An 8-bit RGB image with the preprocessing image classifiers are evaluated with: decoding through
 * ImageIO (JPEG, BMP, PNG), centre crops, and an area-averaging resize that follows OpenCV's
 * {@code INTER_AREA} when shrinking (each output pixel is the coverage-weighted mean of the source
 * pixels under it, rounded to nearest even). Used by {@code npuc classify} and calibration.
 *
 * <p>Known differences from an OpenCV pipeline: ImageIO's JPEG decoder (IDCT and chroma upsampling)
 * is not libjpeg's, so decoded pixels can differ by a few levels; enlarging uses bilinear
 * interpolation with half-pixel centres where OpenCV's INTER_AREA uses its own linear weights.
 */
public final class RgbImage {
  private final int width;
  private final int height;
  private final int[] rgb; // height × width × 3, row-major, values 0..255

  public RgbImage(int width, int height, int[] rgb) {
    if (rgb.length != width * height * 3) throw new IllegalArgumentException("expected " + width * height * 3 + " values, got " + rgb.length);
    this.width = width;
    this.height = height;
    this.rgb = rgb;
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** The pixels as height × width × 3 RGB values in 0..255 (shared, do not modify). */
  public int[] pixels() {
    return rgb;
  }

  /** Decodes an image file; anything ImageIO cannot read is a {@link UserError} naming the file. */
  public static RgbImage read(Path file) {
    BufferedImage img;
    try {
      if (!Files.isRegularFile(file)) throw new UserError("cannot read image " + file + ": no such file");
      img = ImageIO.read(file.toFile());
    } catch (IOException e) {
      throw new UserError("cannot decode image " + file + ": " + e.getMessage() + " (CMYK JPEGs are not supported; convert to RGB)", e);
    }
    if (img == null) throw new UserError("cannot decode image " + file + ": not a JPEG, PNG or BMP file ImageIO can read");
    int w = img.getWidth();
    int h = img.getHeight();
    int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
    int[] out = new int[w * h * 3];
    for (int i = 0; i < argb.length; i++) {
      out[3 * i] = (argb[i] >> 16) & 0xff;
      out[3 * i + 1] = (argb[i] >> 8) & 0xff;
      out[3 * i + 2] = argb[i] & 0xff;
    }
    return new RgbImage(w, h, out);
  }

  /** The region of {@code w × h} pixels starting at (x0, y0). */
  public RgbImage crop(int x0, int y0, int w, int h) {
    if (x0 < 0 || y0 < 0 || w <= 0 || h <= 0 || x0 + w > width || y0 + h > height) {
      throw new IllegalArgumentException("crop " + w + "x" + h + "+" + x0 + "+" + y0 + " outside " + width + "x" + height);
    }
    int[] out = new int[w * h * 3];
    for (int y = 0; y < h; y++) System.arraycopy(rgb, ((y0 + y) * width + x0) * 3, out, y * w * 3, w * 3);
    return new RgbImage(w, h, out);
  }

  /** The largest centred square (the extra pixel of an odd difference goes to the right/bottom). */
  public RgbImage centerSquare() {
    int s = Math.min(width, height);
    return crop((width - s) / 2, (height - s) / 2, s, s);
  }

  /** The centred {@code fraction} of each side, as TensorFlow's {@code central_crop}. */
  public RgbImage centralFraction(double fraction) {
    if (!(fraction > 0 && fraction <= 1)) throw new IllegalArgumentException("fraction must be in (0, 1], got " + fraction);
    int y0 = (int) ((height - height * fraction) / 2);
    int x0 = (int) ((width - width * fraction) / 2);
    return crop(x0, y0, width - 2 * x0, height - 2 * y0);
  }

  /** Resizes to {@code w × h}: area averaging when shrinking an axis, bilinear when enlarging it. */
  public RgbImage resizeArea(int w, int h) {
    double[][] wx = weights(width, w);
    double[][] wy = weights(height, h);
    int[][] ix = firstIndex(width, w);
    int[][] iy = firstIndex(height, h);
    double[] tmp = new double[height * w * 3];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < w; x++) {
        for (int c = 0; c < 3; c++) {
          double s = 0;
          for (int k = 0; k < wx[x].length; k++) s += wx[x][k] * rgb[(y * width + ix[x][k]) * 3 + c];
          tmp[(y * w + x) * 3 + c] = s;
        }
      }
    }
    int[] out = new int[w * h * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        for (int c = 0; c < 3; c++) {
          double s = 0;
          for (int k = 0; k < wy[y].length; k++) s += wy[y][k] * tmp[(iy[y][k] * w + x) * 3 + c];
          out[(y * w + x) * 3 + c] = (int) Math.max(0, Math.min(255, Math.rint(s)));
        }
      }
    }
    return new RgbImage(w, h, out);
  }

  /** Per output index, the source indices it reads. */
  private static int[][] firstIndex(int in, int out) {
    int[][] r = new int[out][];
    double scale = (double) in / out;
    for (int o = 0; o < out; o++) {
      if (scale >= 1) {
        double start = o * scale, end = (o + 1) * scale;
        int s = (int) Math.floor(start), e = Math.min(in, (int) Math.ceil(end - 1e-12));
        r[o] = new int[e - s];
        for (int k = 0; k < r[o].length; k++) r[o][k] = s + k;
      } else {
        double f = (o + 0.5) * scale - 0.5;
        int s = (int) Math.floor(f);
        r[o] = new int[] {Math.max(0, s), Math.min(in - 1, s + 1)};
      }
    }
    return r;
  }

  /** Per output index, the weight of each source index from {@link #firstIndex}. */
  private static double[][] weights(int in, int out) {
    double[][] r = new double[out][];
    double scale = (double) in / out;
    for (int o = 0; o < out; o++) {
      if (scale >= 1) {
        double start = o * scale, end = (o + 1) * scale;
        int s = (int) Math.floor(start), e = Math.min(in, (int) Math.ceil(end - 1e-12));
        r[o] = new double[e - s];
        for (int k = 0; k < r[o].length; k++) {
          double lo = Math.max(start, s + k), hi = Math.min(end, s + k + 1);
          r[o][k] = (hi - lo) / scale;
        }
      } else {
        double f = (o + 0.5) * scale - 0.5;
        double t = f - Math.floor(f);
        if (f < 0) t = 0;
        r[o] = new double[] {1 - t, t};
      }
    }
    return r;
  }
}

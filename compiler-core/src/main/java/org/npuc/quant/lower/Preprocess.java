package org.npuc.quant.lower;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.npuc.diag.UserError;
import org.npuc.io.RgbImage;
import org.npuc.ir.Tensor;

/**
 * How calibration images become input tensors: crop (none, center square, or a central
 * fraction), resize (area/bilinear, {@link RgbImage#resizeArea}), channel order, {@code (pixel -
 * mean[c]) · scale / std[c]}, layout and transposition (MTCNN's MATLAB-trained nets want H and W
 * swapped). Given on the command line as {@code key=value;key=value} or in a flat YAML file of
 * {@code key: value} lines with keys {@code size} (W,H), {@code crop} (none/center/0.875), {@code
 * mean}, {@code std}, {@code scale}, {@code order} (rgb/bgr), {@code layout} (nchw/nhwc), {@code
 * transpose_hw} (true/false), {@code tiles} (N: instead of the whole image, N×N overlapping square
 * windows of side {@code 2·min(W,H)/(N+1)} on a regular grid, each one sample; real crops for
 * detectors such as MTCNN's R-Net and O-Net).
 */
public record Preprocess(int width, int height, String crop, double[] mean, double[] std, double scale, boolean bgr, boolean nchw, boolean transposeHw, int tiles) {

  /** Parses {@code size=48,48;mean=127.5;scale=0.0078125;order=rgb;layout=nchw}. */
  public static Preprocess parse(String spec, String source) {
    Map<String, String> kv = new LinkedHashMap<>();
    for (String part : spec.split("[;\n]")) {
      String p = part.trim();
      if (p.isEmpty() || p.startsWith("#")) continue;
      int i = p.indexOf('=') >= 0 ? p.indexOf('=') : p.indexOf(':');
      if (i <= 0) throw new UserError(source + ": '" + p + "' is not key=value (keys: size, crop, mean, std, scale, order, layout, transpose_hw, tiles)");
      kv.put(p.substring(0, i).trim().toLowerCase(Locale.ROOT), p.substring(i + 1).trim().replaceAll("^[\\[\"']|[\\]\"']$", ""));
    }
    return of(kv, source);
  }

  /** Reads a flat YAML file of {@code key: value} lines. */
  public static Preprocess read(Path file) {
    try {
      return parse(Files.readString(file), file.toString());
    } catch (IOException e) {
      throw new UserError("cannot read preprocessing spec " + file + ": " + e.getMessage());
    }
  }

  private static Preprocess of(Map<String, String> kv, String source) {
    for (String k : kv.keySet()) {
      if (!java.util.List.of("size", "crop", "mean", "std", "scale", "order", "layout", "transpose_hw", "tiles").contains(k)) {
        throw new UserError(source + ": unknown preprocessing key '" + k + "' (keys: size, crop, mean, std, scale, order, layout, transpose_hw, tiles)");
      }
    }
    double[] size = numbers(kv.getOrDefault("size", "0,0"), "size", source);
    if (size.length != 2) throw new UserError(source + ": size must be W,H, got '" + kv.get("size") + "'");
    String order = kv.getOrDefault("order", "rgb").toLowerCase(Locale.ROOT);
    String layout = kv.getOrDefault("layout", "nchw").toLowerCase(Locale.ROOT);
    if (!order.equals("rgb") && !order.equals("bgr")) throw new UserError(source + ": order must be rgb or bgr, got '" + order + "'");
    if (!layout.equals("nchw") && !layout.equals("nhwc")) throw new UserError(source + ": layout must be nchw or nhwc, got '" + layout + "'");
    return new Preprocess(
        (int) size[0], (int) size[1], kv.getOrDefault("crop", "none"),
        numbers(kv.getOrDefault("mean", "0"), "mean", source), numbers(kv.getOrDefault("std", "1"), "std", source),
        numbers(kv.getOrDefault("scale", "1"), "scale", source)[0], order.equals("bgr"), layout.equals("nchw"),
        Boolean.parseBoolean(kv.getOrDefault("transpose_hw", "false")), (int) numbers(kv.getOrDefault("tiles", "0"), "tiles", source)[0]);
  }

  private static double[] numbers(String text, String key, String source) {
    String[] parts = text.split("\\s*,\\s*");
    double[] r = new double[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        r[i] = Double.parseDouble(parts[i]);
      } catch (NumberFormatException e) {
        throw new UserError(source + ": " + key + " must be numbers separated by commas, got '" + text + "'");
      }
    }
    return r;
  }

  /** The samples of one image: the whole image, or its {@code tiles} windows. */
  public java.util.List<Tensor> samples(RgbImage img, int defaultW, int defaultH) {
    if (tiles <= 0) return java.util.List.of(apply(img, defaultW, defaultH));
    java.util.List<Tensor> r = new java.util.ArrayList<>();
    int side = 2 * Math.min(img.width(), img.height()) / (tiles + 1);
    for (int ty = 0; ty < tiles; ty++) {
      for (int tx = 0; tx < tiles; tx++) {
        int x0 = tiles == 1 ? 0 : (int) ((long) tx * (img.width() - side) / (tiles - 1));
        int y0 = tiles == 1 ? 0 : (int) ((long) ty * (img.height() - side) / (tiles - 1));
        r.add(apply(img.crop(x0, y0, side, side), defaultW, defaultH));
      }
    }
    return r;
  }

  /** The image as one sample {@code [1, 3, H, W]} or {@code [1, H, W, 3]}. */
  public Tensor apply(RgbImage img, int defaultW, int defaultH) {
    switch (crop) {
      case "none" -> {}
      case "center" -> img = img.centerSquare();
      default -> {
        try {
          img = img.centralFraction(Double.parseDouble(crop));
        } catch (NumberFormatException e) {
          throw new UserError("preprocessing: crop must be none, center or a fraction, got '" + crop + "'");
        }
      }
    }
    int w = width > 0 ? width : defaultW;
    int h = height > 0 ? height : defaultH;
    // With transpose_hw the network's H axis is the image's width.
    img = transposeHw ? img.resizeArea(h, w) : img.resizeArea(w, h);
    int iw = img.width(), ih = img.height();
    int[] px = img.pixels();
    int oh = transposeHw ? iw : ih, ow = transposeHw ? ih : iw;
    float[] out = new float[oh * ow * 3];
    for (int y = 0; y < oh; y++) {
      for (int x = 0; x < ow; x++) {
        int sy = transposeHw ? x : y, sx = transposeHw ? y : x;
        for (int c = 0; c < 3; c++) {
          int src = bgr ? 2 - c : c;
          double v = (px[(sy * iw + sx) * 3 + src] - pick(mean, c)) * scale / pick(std, c);
          int dst = nchw ? (c * oh + y) * ow + x : (y * ow + x) * 3 + c;
          out[dst] = (float) v;
        }
      }
    }
    return Tensor.ofFloats(nchw ? new int[] {1, 3, oh, ow} : new int[] {1, oh, ow, 3}, out);
  }

  private static double pick(double[] v, int c) {
    return v.length == 1 ? v[0] : v[c];
  }
}

package org.npuc.frontend.tensorflow;

import com.google.protobuf.TextFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.npuc.diag.UserError;
import org.npuc.frontend.tensorflow.proto.QuantizationInfo;

/**
 * Ranges given outside the graph in TensorFlow's {@code QuantizationInfo} text format (the TFLite
 * converter's {@code --quant-stats} file). The frontend reads {@code MODEL.stats} next to a model
 * and records each per-tensor min/max on the named tensor as a {@code calibrated<f32, min, max>}
 * element type.
 */
public final class QuantStats {
  private QuantStats() {}

  /** One entry: a tensor name, or a regular expression over node names, and its range. */
  public record Range(String name, boolean regex, double min, double max) {}

  /** Parses a QuantizationInfo text file. */
  public static Map<String, Range> read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UserError(file + ": cannot read: " + e.getMessage());
    }
    QuantizationInfo.Builder b = QuantizationInfo.newBuilder();
    try {
      TextFormat.merge(text, b);
    } catch (TextFormat.ParseException e) {
      throw new UserError(file + ":" + e.getLine() + ":" + e.getColumn() + ": not a QuantizationInfo text proto: " + e.getMessage());
    }
    Map<String, Range> r = new LinkedHashMap<>();
    for (QuantizationInfo.QuantParams p : b.getEntriesList()) {
      boolean regex = p.hasNameRegex();
      String name = regex ? p.getNameRegex() : p.getName();
      if (name.isEmpty()) throw new UserError(file + ": an entry has no name");
      if (p.getParamsCount() != 1 || !p.getParams(0).hasMinMax()) {
        throw new UserError(file + ": entry '" + name + "': only one per-tensor min_max is supported (per-axis and affine parameters are not)");
      }
      QuantizationInfo.MinMax mm = p.getParams(0).getMinMax();
      if (!(mm.getMin() <= mm.getMax())) throw new UserError(file + ": entry '" + name + "': min " + mm.getMin() + " is above max " + mm.getMax());
      r.put(name, new Range(name, regex, mm.getMin(), mm.getMax()));
    }
    return r;
  }
}

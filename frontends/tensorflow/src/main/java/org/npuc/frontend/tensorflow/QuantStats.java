package org.npuc.frontend.tensorflow;

import com.google.protobuf.TextFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.npuc.diag.Suggestions;
import org.npuc.diag.UserError;
import org.npuc.frontend.tensorflow.proto.NodeDef;
import org.npuc.frontend.tensorflow.proto.QuantizationInfo;
import org.npuc.ir.Value;
import org.npuc.ir.type.CalibratedType;
import org.npuc.ir.type.ScalarType;

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
      throw new UserError(
          file
              + ":"
              + e.getLine()
              + ":"
              + e.getColumn()
              + ": not a QuantizationInfo text proto: "
              + e.getMessage());
    }
    Map<String, Range> r = new LinkedHashMap<>();
    for (QuantizationInfo.QuantParams p : b.getEntriesList()) {
      boolean regex = p.hasNameRegex();
      String name = regex ? p.getNameRegex() : p.getName();
      if (name.isEmpty()) throw new UserError(file + ": an entry has no name");
      if (p.getParamsCount() != 1 || !p.getParams(0).hasMinMax()) {
        throw new UserError(
            file
                + ": entry '"
                + name
                + "': only one per-tensor min_max is supported (per-axis and affine parameters are"
                + " not)");
      }
      QuantizationInfo.MinMax mm = p.getParams(0).getMinMax();
      if (!(mm.getMin() <= mm.getMax()))
        throw new UserError(
            file + ": entry '" + name + "': min " + mm.getMin() + " is above max " + mm.getMax());
      r.put(name, new Range(name, regex, mm.getMin(), mm.getMax()));
    }
    return r;
  }

  /**
   * Records each range on the IR values of the named tensor as {@code calibrated<f32, min, max>}; a
   * name that is no node of the graph is an error, one outside the imported part is skipped.
   */
  static void apply(
      Map<String, Range> ranges,
      String rangesFile,
      Map<String, NodeDef> nodes,
      Map<String, TfValue[]> outputs,
      String file) {
    for (Range r : ranges.values()) {
      List<TensorNames> targets = new ArrayList<>();
      if (r.regex()) {
        Pattern p = Pattern.compile(r.name());
        for (String n : nodes.keySet()) {
          if (p.matcher(n).matches()) targets.add(new TensorNames(n, 0));
        }
      } else {
        TensorNames t = TensorNames.parse(r.name());
        if (!nodes.containsKey(t.node())) {
          String near = Suggestions.nearest(t.node(), nodes.keySet());
          throw new UserError(
              rangesFile
                  + ": entry '"
                  + r.name()
                  + "' names no node of "
                  + file
                  + (near != null ? "; did you mean '" + near + "'?" : ""));
        }
        targets.add(t);
      }
      for (TensorNames t : targets) {
        TfValue[] outs = outputs.get(t.node());
        if (outs == null || t.index() >= outs.length || outs[t.index()] == null) continue;
        TfValue v = outs[t.index()];
        for (Value iv : new Value[] {v.plain, v.nchw}) {
          if (iv == null || iv.isConstant()) continue;
          iv.setType(
              iv.type().withElementType(new CalibratedType(ScalarType.F32, r.min(), r.max())));
        }
      }
    }
  }
}

package org.npuc.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.npuc.diag.UserError;
import org.npuc.spi.ImportOptions;
import picocli.CommandLine.Option;

/** The options that say how to read a model, shared by {@code import}, {@code run} and {@code opt}. */
public final class ModelOptions {
  @Option(names = "--weights", paramLabel = "FILE", description = "Separate weights file (Caffe .caffemodel).")
  Path weights;

  @Option(names = "--inputs", paramLabel = "NAME[:SHAPE]", split = ";",
      description = "Tensors to treat as the inputs (cuts the graph there), optionally with a shape: x:1,784.")
  List<String> inputs = new ArrayList<>();

  @Option(names = "--outputs", paramLabel = "NAME", split = ",", description = "Tensors to treat as the outputs.")
  List<String> outputs = new ArrayList<>();

  @Option(names = "--input-shape", paramLabel = "NAME=DIMS",
      description = "Declare an input's shape, e.g. data=1,1,28,28 (-1 for unknown). Repeatable.")
  List<String> inputShapes = new ArrayList<>();

  @Option(names = "--random-weights", description = "Fill missing weights with seeded random values (structure-only models).")
  boolean randomWeights;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "Seed for --random-weights (default: ${DEFAULT-VALUE}).")
  long seed;

  /** The import options for {@code model}; a malformed shape is a {@link UserError}. */
  public ImportOptions toImportOptions(Path model) {
    ImportOptions o = new ImportOptions(model).weights(weights).randomWeights(randomWeights).seed(seed);
    o.outputs().addAll(outputs);
    for (String spec : inputs) {
      int colon = spec.lastIndexOf(':');
      if (colon > 0 && spec.substring(colon + 1).contains(",")) {
        String name = spec.substring(0, colon);
        o.inputs().add(name);
        o.inputShapes().put(name, parseShape(spec.substring(colon + 1), "--inputs " + spec));
      } else {
        o.inputs().add(spec);
      }
    }
    o.inputShapes().putAll(parseInputShapes(inputShapes));
    return o;
  }

  /** Parses {@code NAME=1,1,28,28} entries. */
  public static Map<String, int[]> parseInputShapes(List<String> specs) {
    Map<String, int[]> r = new LinkedHashMap<>();
    for (String spec : specs) {
      int eq = spec.lastIndexOf('=');
      if (eq <= 0) throw new UserError("--input-shape " + spec + ": expected NAME=DIMS, e.g. data=1,1,28,28");
      r.put(spec.substring(0, eq), parseShape(spec.substring(eq + 1), "--input-shape " + spec));
    }
    return r;
  }

  static int[] parseShape(String text, String where) {
    String[] parts = text.trim().split("\\s*[,x]\\s*");
    int[] dims = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        dims[i] = parts[i].equals("?") ? -1 : Integer.parseInt(parts[i]);
      } catch (NumberFormatException e) {
        dims[i] = -2;
      }
      if (dims[i] < -1) throw new UserError(where + ": '" + text + "' is not a shape; expected dimensions like 1,1,28,28 (-1 for unknown)");
    }
    return dims;
  }
}

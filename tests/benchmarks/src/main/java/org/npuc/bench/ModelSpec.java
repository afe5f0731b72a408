package org.npuc.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.npuc.spi.ImportOptions;

/**
 * A model the benchmark compiles: its file, optional Caffe weights, and the import options the
 * CLI would be given, kept together so the warm (in-JVM) and cold (process) runs import the same way.
 */
record ModelSpec(String subject, Path file, Path weights, boolean randomWeights, List<String> inputs) {
  static ModelSpec of(String subject, Path file) {
    return new ModelSpec(subject, file, null, false, List.of());
  }

  static ModelSpec caffe(String subject, Path prototxt, Path caffemodel) {
    return new ModelSpec(subject, prototxt, caffemodel, false, List.of());
  }

  static ModelSpec random(String subject, Path prototxt) {
    return new ModelSpec(subject, prototxt, null, true, List.of());
  }

  static ModelSpec cut(String subject, Path file, String input) {
    return new ModelSpec(subject, file, null, false, List.of(input));
  }

  ImportOptions options() {
    ImportOptions o = new ImportOptions(file).weights(weights).randomWeights(randomWeights);
    o.inputs().addAll(inputs);
    return o;
  }

  /** The same options as {@code npuc} arguments after the model file. */
  List<String> cliArgs() {
    List<String> r = new ArrayList<>();
    if (weights != null) {
      r.add("--weights");
      r.add(weights.toString());
    }
    if (randomWeights) r.add("--random-weights");
    if (!inputs.isEmpty()) {
      r.add("--inputs");
      r.add(String.join(";", inputs));
    }
    return r;
  }
}

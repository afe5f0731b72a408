package org.npuc.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.npuc.spi.ImportOptions;

/**
 * A model the benchmark compiles: its file, optional Caffe weights, and the import options the
 * CLI would be given, kept together so the warm (in-JVM) and cold (process) runs import the same way.
 */
record ModelSpec(String subject, Path file, Path weights, boolean randomWeights, List<String> inputs, List<String> shapes) {
  static ModelSpec of(String subject, Path file) {
    return new ModelSpec(subject, file, null, false, List.of(), List.of());
  }

  static ModelSpec caffe(String subject, Path prototxt, Path caffemodel) {
    return new ModelSpec(subject, prototxt, caffemodel, false, List.of(), List.of());
  }

  static ModelSpec random(String subject, Path prototxt) {
    return new ModelSpec(subject, prototxt, null, true, List.of(), List.of());
  }

  static ModelSpec cut(String subject, Path file, String input) {
    return new ModelSpec(subject, file, null, false, List.of(input), List.of());
  }

  /** A model whose inputs need declared shapes, each {@code name=d0,d1,...}. */
  static ModelSpec shaped(String subject, Path file, List<String> shapes) {
    return new ModelSpec(subject, file, null, false, List.of(), shapes);
  }

  ImportOptions options() {
    ImportOptions o = new ImportOptions(file).weights(weights).randomWeights(randomWeights);
    o.inputs().addAll(inputs);
    for (String s : shapes) {
      String[] dims = s.substring(s.indexOf('=') + 1).split(",");
      int[] d = new int[dims.length];
      for (int i = 0; i < d.length; i++) d[i] = Integer.parseInt(dims[i].trim());
      o.inputShapes().put(s.substring(0, s.indexOf('=')), d);
    }
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
    for (String s : shapes) {
      r.add("--input-shape");
      r.add(s);
    }
    return r;
  }
}

package org.npuc.frontend.caffe;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.npuc.ir.Graph;
import org.npuc.ir.Tensor;

/** A hand-written prototxt for one layer mapping: inputs, layers with weights inline, run it. */
final class TestNet {
  private final StringBuilder text = new StringBuilder("name: \"t\"\n");
  private final Map<String, Tensor> inputs = new LinkedHashMap<>();

  TestNet input(String name, Tensor value) {
    text.append("layer { name: \"").append(name).append("\" type: \"Input\" top: \"").append(name).append("\" input_param { shape {");
    for (int d : value.shape()) text.append(" dim: ").append(d);
    text.append(" } } }\n");
    inputs.put(name, value);
    return this;
  }

  TestNet layer(String text) {
    this.text.append(text).append('\n');
    return this;
  }

  String text() {
    return text.toString();
  }

  /** A learned blob written into the prototxt itself (Caffe allows weights there). */
  static String blob(Tensor t) {
    StringBuilder sb = new StringBuilder("blobs { shape {");
    for (int d : t.shape()) sb.append(" dim: ").append(d);
    sb.append(" }");
    for (float f : t.floats()) sb.append(" data: ").append(Float.toString(f).replace("E", "e"));
    return sb.append(" }").toString();
  }

  Graph graph(Path dir) throws IOException {
    return CaffeTesting.importNet(CaffeTesting.write(dir, "net.prototxt", text()), null, Map.of());
  }

  Map<String, Tensor> run(Path dir) throws IOException {
    return CaffeTesting.run(graph(dir), inputs);
  }
}

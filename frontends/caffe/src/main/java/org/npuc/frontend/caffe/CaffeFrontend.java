package org.npuc.frontend.caffe;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.npuc.ir.Graph;
import org.npuc.spi.Frontend;
import org.npuc.spi.ImportOptions;

/**
 * The Caffe frontend: a deploy (or train/test) prototxt plus its caffemodel, given with
 * {@code --weights}, become a float NCHW graph. Recognized by content: a text NetParameter.
 */
public final class CaffeFrontend implements Frontend {
  private static final Pattern LAYER = Pattern.compile("(?m)^\\s*(layers?\\s*\\{|input_dim\\s*:|input_shape\\s*\\{|input\\s*:\\s*\")");
  private static final Pattern TF_NODE = Pattern.compile("(?m)^\\s*node\\s*\\{");

  @Override
  public String name() {
    return "caffe";
  }

  @Override
  public List<String> extensions() {
    return List.of(".prototxt");
  }

  @Override
  public boolean accepts(Path file, byte[] head) {
    if (head == null || !CaffeFiles.looksLikeText(head)) return false;
    String text = new String(head, StandardCharsets.UTF_8);
    return LAYER.matcher(text).find() && !TF_NODE.matcher(text).find();
  }

  @Override
  public Graph importModel(ImportOptions options) {
    return new CaffeImporter(options).run();
  }
}

package org.npuc.frontend.tensorflow;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.TextFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.npuc.diag.UserError;
import org.npuc.frontend.tensorflow.proto.GraphDef;
import org.npuc.frontend.tensorflow.proto.NodeDef;
import org.npuc.ir.Graph;
import org.npuc.ir.Tensor;
import org.npuc.spi.Frontend;
import org.npuc.spi.ImportOptions;

/**
 * The TensorFlow frontend: binary GraphDef (.pb), text GraphDef (.pbtxt) and TF.js graph models
 * (model.json + weight shards), recognized by content. Imports into the NCHW IR with the model's
 * NHWC inputs and outputs kept and explicit transposes at the boundary.
 */
public final class TensorFlowFrontend implements Frontend {
  /** Larger files are refused up front rather than read into memory. */
  static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 64;

  private static final Pattern TEXT_START =
      Pattern.compile("\\A\\s*(#[^\\n]*\\n\\s*)*(node|versions|library|version)\\s*[{:]");

  enum Format {
    BINARY,
    TEXT,
    TFJS
  }

  /**
   * protobuf logs a warning for every skipped unknown text field (e.g. a function library npuc does
   * not read); those fields are skipped on purpose, so the warning is noise for users.
   */
  private static final java.util.logging.Logger TEXT_FORMAT_LOG =
      java.util.logging.Logger.getLogger(TextFormat.class.getName());

  static {
    TEXT_FORMAT_LOG.setLevel(java.util.logging.Level.SEVERE);
  }

  @Override
  public String name() {
    return "tensorflow";
  }

  @Override
  public List<String> extensions() {
    return List.of(".pb", ".pbtxt", ".json");
  }

  @Override
  public boolean accepts(Path file, byte[] head) {
    try {
      return detect(head, true) != null;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** The format of a file from its first bytes; null when it looks like none of ours. */
  static Format detect(byte[] head, boolean strict) {
    int i = 0;
    if (head.length >= 3
        && (head[0] & 0xff) == 0xef
        && (head[1] & 0xff) == 0xbb
        && (head[2] & 0xff) == 0xbf) i = 3;
    while (i < head.length && Character.isWhitespace(head[i])) i++;
    if (i < head.length && head[i] == '{') {
      String s = new String(head, StandardCharsets.UTF_8);
      return !strict
              || s.contains("\"modelTopology\"")
              || s.contains("\"weightsManifest\"")
              || s.contains("graph-model")
          ? Format.TFJS
          : null;
    }
    if (looksLikeBinaryGraphDef(head)) return Format.BINARY;
    String text = new String(head, 0, Math.min(head.length, 4096), StandardCharsets.ISO_8859_1);
    if (TEXT_START.matcher(text).find()) return Format.TEXT;
    return null;
  }

  /**
   * Field 1 (node) whose NodeDef starts with field 1 (name, printable) followed by field 2 (op).
   */
  static boolean looksLikeBinaryGraphDef(byte[] h) {
    if (h.length < 6 || h[0] != 0x0a) return false;
    int[] pos = {1};
    long len = varint(h, pos);
    if (len <= 0 || pos[0] >= h.length || h[pos[0]] != 0x0a) return false;
    pos[0]++;
    long nameLen = varint(h, pos);
    if (nameLen <= 0 || nameLen > 4096) return false;
    int end = pos[0] + (int) nameLen;
    for (int k = pos[0]; k < Math.min(end, h.length); k++)
      if (h[k] < 0x20 || h[k] > 0x7e) return false;
    return end >= h.length || h[end] == 0x12;
  }

  private static long varint(byte[] h, int[] pos) {
    long r = 0;
    for (int shift = 0; shift < 35 && pos[0] < h.length; shift += 7) {
      int b = h[pos[0]++] & 0xff;
      r |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) return r;
    }
    return -1;
  }

  @Override
  public Graph importModel(ImportOptions options) {
    Path file = options.model();
    byte[] bytes = readFile(file);
    String name = file.toString();
    Format f = detect(bytes, false);
    if (f == null) f = Format.BINARY;
    GraphDef gd;
    Map<String, Tensor> weights = Map.of();
    if (f == Format.TFJS) {
      TfjsModel m = TfjsModel.read(file, bytes);
      gd = m.graph();
      weights = m.weights();
    } else {
      gd = f == Format.TEXT ? parseText(bytes, name) : parseBinary(bytes, name);
    }
    if (gd.getNodeCount() == 0 && f == Format.BINARY && bytes.length > 0 && bytes[0] == 0x08) {
      throw new UserError(
          name
              + ": this looks like a SavedModel (saved_model.pb), not a GraphDef; freeze it into a"
              + " GraphDef first (e.g. tf.compat.v1.graph_util.convert_variables_to_constants or"
              + " convert_variables_to_constants_v2)");
    }
    validate(gd, name);
    GraphImporter importer = new GraphImporter(gd, weights, options, name);
    importer.weightsFromManifest(f == Format.TFJS);
    Path stats = file.resolveSibling(file.getFileName() + ".stats");
    if (Files.isRegularFile(stats)) importer.ranges(QuantStats.read(stats), stats.toString());
    String graphName = file.getFileName().toString();
    if (f == Format.TFJS
        && graphName.equals("model.json")
        && file.toAbsolutePath().getParent() != null) {
      graphName = file.toAbsolutePath().getParent().getFileName().toString();
    }
    int dot = graphName.lastIndexOf('.');
    return importer.run(dot > 0 ? graphName.substring(0, dot) : graphName);
  }

  static byte[] readFile(Path file) {
    try {
      if (!Files.isRegularFile(file)) throw new UserError(file + ": no such file");
      long size = Files.size(file);
      if (size > MAX_FILE_BYTES)
        throw new UserError(file + ": " + size + " bytes is larger than npuc can read (2 GiB)");
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UserError(file + ": cannot read: " + e.getMessage());
    }
  }

  static GraphDef parseBinary(byte[] bytes, String name) {
    try {
      CodedInputStream in = CodedInputStream.newInstance(bytes);
      in.setSizeLimit(Integer.MAX_VALUE);
      GraphDef gd = GraphDef.parseFrom(in);
      in.checkLastTagWas(0);
      return gd;
    } catch (IOException e) {
      throw new UserError(
          name
              + ": not a TensorFlow GraphDef, or the file is truncated or corrupt ("
              + e.getMessage()
              + ")");
    }
  }

  static GraphDef parseText(byte[] bytes, String name) {
    GraphDef.Builder b = GraphDef.newBuilder();
    try {
      TextFormat.Parser p = TextFormat.Parser.newBuilder().setAllowUnknownFields(true).build();
      p.merge(new String(bytes, StandardCharsets.UTF_8), b);
    } catch (TextFormat.ParseException e) {
      throw new UserError(
          name
              + ":"
              + e.getLine()
              + ":"
              + e.getColumn()
              + ": not a valid text GraphDef: "
              + e.getMessage());
    }
    return b.build();
  }

  /** A file that parsed as protobuf but is not a GraphDef has nodes without names or ops. */
  private static void validate(GraphDef gd, String name) {
    if (gd.getNodeCount() == 0)
      throw new UserError(
          name + ": no nodes found; this is not a TensorFlow GraphDef (or it is empty)");
    for (NodeDef n : gd.getNodeList()) {
      if (n.getName().isEmpty() || n.getOp().isEmpty()) {
        throw new UserError(
            name
                + ": a node without "
                + (n.getName().isEmpty() ? "a name" : "an op (node '" + n.getName() + "')")
                + "; this is not a TensorFlow GraphDef, or it is corrupt");
      }
    }
  }
}

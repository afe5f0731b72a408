package org.npuc.frontend.tensorflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.npuc.diag.UserError;
import org.npuc.frontend.tensorflow.proto.GraphDef;
import org.npuc.ir.Half;
import org.npuc.ir.Tensor;
import org.npuc.ir.type.ScalarType;

/**
 * A TF.js graph model: {@code model.json} whose {@code modelTopology} is a GraphDef in JSON, and
 * weight shards listed in {@code weightsManifest}. Each group's shards are concatenated in order
 * and its weights read one after another; weights stored as uint8/uint16 are dequantized as TF.js
 * does ({@code q * scale + min}, rounded for int32 weights) and float16 storage is decoded exactly.
 */
record TfjsModel(GraphDef graph, Map<String, Tensor> weights) {

  static TfjsModel read(Path file, byte[] bytes) {
    String name = file.toString();
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(bytes);
    } catch (IOException e) {
      throw new UserError(name + ": not valid JSON (" + firstLine(e.getMessage()) + ")");
    }
    if (root == null || !root.isObject())
      throw new UserError(name + ": expected a JSON object (a TF.js model.json)");
    JsonNode topo = root.get("modelTopology");
    if (topo == null || topo.isNull()) {
      throw new UserError(
          name
              + ": no 'modelTopology' key; this is not a TF.js graph model (a layers model or a"
              + " bare weights manifest is not supported)");
    }
    if (topo.has("model_config") || topo.has("class_name")) {
      throw new UserError(
          name
              + ": this is a TF.js layers model (Keras topology); convert it to a graph model with"
              + " tensorflowjs_converter --output_format=tfjs_graph_model");
    }
    GraphDef.Builder gb = GraphDef.newBuilder();
    try {
      ProtoJson.merge(topo, gb, "modelTopology");
    } catch (IllegalArgumentException e) {
      throw new UserError(name + ": bad GraphDef in modelTopology: " + e.getMessage());
    }
    Map<String, Tensor> weights = new LinkedHashMap<>();
    JsonNode manifest = root.get("weightsManifest");
    if (manifest != null && !manifest.isNull()) {
      if (!manifest.isArray()) throw new UserError(name + ": 'weightsManifest' must be an array");
      Path dir = file.toAbsolutePath().getParent();
      for (int g = 0; g < manifest.size(); g++) readGroup(name, dir, manifest.get(g), g, weights);
    }
    return new TfjsModel(gb.build(), weights);
  }

  private static void readGroup(
      String name, Path dir, JsonNode group, int g, Map<String, Tensor> out) {
    JsonNode paths = group.get("paths");
    JsonNode specs = group.get("weights");
    String where = name + ": weightsManifest[" + g + "]";
    if (paths == null || !paths.isArray() || specs == null || !specs.isArray())
      throw new UserError(where + " needs 'paths' and 'weights' arrays");
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    for (JsonNode p : paths) {
      Path shard = dir.resolve(p.asText());
      if (!Files.isRegularFile(shard))
        throw new UserError(
            where
                + ": weight shard '"
                + p.asText()
                + "' not found next to the model (looked for "
                + shard
                + ")");
      try {
        buf.write(Files.readAllBytes(shard));
      } catch (IOException e) {
        throw new UserError(where + ": cannot read weight shard " + shard + ": " + e.getMessage());
      }
    }
    ByteBuffer data = ByteBuffer.wrap(buf.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
    for (JsonNode spec : specs) {
      String wname = spec.path("name").asText();
      String what = where + " weight '" + wname + "'";
      String dtype = spec.path("dtype").asText("float32");
      JsonNode shapeNode = spec.get("shape");
      if (shapeNode == null || !shapeNode.isArray()) throw new UserError(what + " has no shape");
      int[] shape = new int[shapeNode.size()];
      long count = 1;
      for (int i = 0; i < shape.length; i++) {
        shape[i] = shapeNode.get(i).asInt(-1);
        if (shape[i] < 0) throw new UserError(what + " has a bad shape " + shapeNode);
        count *= shape[i];
        if (count > TensorProtos.MAX_ELEMENTS) throw new UserError(what + " is too large");
      }
      int n = (int) count;
      JsonNode q = spec.get("quantization");
      String storage = q != null ? q.path("dtype").asText() : dtype;
      int width =
          switch (storage) {
            case "float32", "int32" -> 4;
            case "uint16", "float16" -> 2;
            case "uint8", "bool" -> 1;
            default ->
                throw new UserError(
                    what
                        + " has unsupported "
                        + (q != null ? "quantization " : "")
                        + "dtype '"
                        + storage
                        + "'");
          };
      if (data.remaining() < (long) n * width) {
        throw new UserError(
            what
                + " needs "
                + ((long) n * width)
                + " bytes but the shards end after "
                + data.remaining()
                + " more; are weight shards missing or truncated?");
      }
      out.put(wname, decode(data, dtype, q, storage, shape, n, what));
    }
    if (data.hasRemaining())
      throw new UserError(
          where
              + ": "
              + data.remaining()
              + " bytes of the shards are not described by the manifest");
  }

  private static Tensor decode(
      ByteBuffer data, String dtype, JsonNode q, String storage, int[] shape, int n, String what) {
    if (q == null) {
      switch (dtype) {
        case "float32":
          {
            float[] f = new float[n];
            for (int i = 0; i < n; i++) f[i] = data.getFloat();
            return Tensor.ofFloats(shape, f);
          }
        case "int32":
          {
            int[] v = new int[n];
            for (int i = 0; i < n; i++) v[i] = data.getInt();
            return Tensor.ofInts(shape, ScalarType.I32, v);
          }
        default:
          {
            int[] v = new int[n];
            for (int i = 0; i < n; i++) v[i] = data.get() & 0xff;
            return Tensor.ofInts(shape, ScalarType.BOOL, v);
          }
      }
    }
    if (storage.equals("float16")) {
      if (!dtype.equals("float32"))
        throw new UserError(
            what + ": float16 storage is only defined for float32 weights, got " + dtype);
      float[] f = new float[n];
      for (int i = 0; i < n; i++) f[i] = Half.toFloat(data.getShort() & 0xffff);
      return Tensor.ofFloats(shape, f);
    }
    if (!storage.equals("uint8") && !storage.equals("uint16"))
      throw new UserError(what + ": unsupported quantization dtype '" + storage + "'");
    if (!q.has("min") || !q.has("scale"))
      throw new UserError(what + ": " + storage + " quantization needs 'min' and 'scale'");
    double min = q.get("min").asDouble();
    double scale = q.get("scale").asDouble();
    boolean u8 = storage.equals("uint8");
    if (dtype.equals("float32")) {
      float[] f = new float[n];
      // TF.js computes in double and stores into a Float32Array.
      for (int i = 0; i < n; i++)
        f[i] = (float) ((u8 ? data.get() & 0xff : data.getShort() & 0xffff) * scale + min);
      return Tensor.ofFloats(shape, f);
    }
    if (dtype.equals("int32")) {
      int[] v = new int[n];
      for (int i = 0; i < n; i++)
        v[i] =
            (int)
                Math.floor(
                    (u8 ? data.get() & 0xff : data.getShort() & 0xffff) * scale
                        + min
                        + 0.5); // JS Math.round
      return Tensor.ofInts(shape, ScalarType.I32, v);
    }
    throw new UserError(
        what + ": " + storage + " quantization is not defined for " + dtype + " weights");
  }

  private static String firstLine(String s) {
    if (s == null) return "";
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}

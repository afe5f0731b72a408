package org.npuc.frontend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.npuc.interp.Interpreter;
import org.npuc.io.Npy;
import org.npuc.ir.Graph;
import org.npuc.ir.Tensor;
import org.npuc.spi.ImportOptions;
import org.npuc.testing.Models;

/**
 * A real TF.js model with uint8 / uint16 weight storage: the emotion model's float32 weights are
 * re-encoded here (affine, per tensor) and the imported model must still give TF.js's outputs up to
 * the quantization noise, with the same predicted class for every stored input.
 */
class TfjsQuantizedModelTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"uint8", "uint16"})
  void quantizedEmotionModelRuns(String storage) throws Exception {
    Path src = Models.require("tfjs/emotion/model.json");
    ObjectMapper om = new ObjectMapper();
    ObjectNode root = (ObjectNode) om.readTree(src.toFile());
    ByteBuffer in =
        ByteBuffer.wrap(Files.readAllBytes(src.resolveSibling("emotion.bin")))
            .order(ByteOrder.LITTLE_ENDIAN);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int levels = storage.equals("uint8") ? 255 : 65535;
    JsonNode group = root.get("weightsManifest").get(0);
    for (JsonNode spec : group.get("weights")) {
      int n = 1;
      for (JsonNode d : spec.get("shape")) n *= d.asInt();
      if (!spec.get("dtype").asText().equals("float32")) {
        byte[] raw = new byte[4 * n];
        in.get(raw);
        out.write(raw);
        continue;
      }
      float[] w = new float[n];
      for (int i = 0; i < n; i++) w[i] = in.getFloat();
      float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
      for (float v : w) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      double scale = max > min ? (max - min) / (double) levels : 1.0;
      ByteBuffer q =
          ByteBuffer.allocate(n * (levels == 255 ? 1 : 2)).order(ByteOrder.LITTLE_ENDIAN);
      for (float v : w) {
        long k = Math.round((v - min) / scale);
        if (levels == 255) q.put((byte) k);
        else q.putShort((short) k);
      }
      out.write(q.array());
      ObjectNode qn = ((ObjectNode) spec).putObject("quantization");
      qn.put("dtype", storage)
          .put("min", (double) min)
          .put("scale", scale)
          .put("original_dtype", "float32");
    }
    Files.write(dir.resolve("emotion.bin"), out.toByteArray());
    Path json = dir.resolve("model.json");
    om.writeValue(json.toFile(), root);

    Graph g = TfTesting.load(new ImportOptions(json));
    Tensor input = Npy.read(Models.require("tfjs/emotion/input.npy"));
    Tensor expected = Npy.read(Models.require("tfjs/emotion/expected_0.npy"));
    int n = input.dim(0), per = input.size() / n, classes = expected.size() / n;
    int[] one = input.shape();
    one[0] = 1;
    double diff = 0;
    for (int i = 0; i < n; i++) {
      float[] x = Arrays.copyOfRange(input.floats(), i * per, (i + 1) * per);
      float[] y =
          new Interpreter(g)
              .run(Map.of("input_1", Tensor.ofFloats(one, x)))
              .get("Identity")
              .floats();
      int best = 0, bestExpected = 0;
      for (int c = 0; c < classes; c++) {
        diff = Math.max(diff, Math.abs(y[c] - expected.floats()[i * classes + c]));
        if (y[c] > y[best]) best = c;
        if (expected.floats()[i * classes + c] > expected.floats()[i * classes + bestExpected])
          bestExpected = c;
      }
      assertEquals(bestExpected, best, "predicted class of input " + i);
    }
    System.out.printf(
        "tfjs/emotion with %s weights: max |npuc - tfjs float| = %.3g%n", storage, diff);
    // Bounds for per-tensor quantization noise (exact decoding is checked in TfjsWeightsTest).
    assertTrue(diff < (storage.equals("uint8") ? 0.1 : 0.001), "difference " + diff);
  }
}

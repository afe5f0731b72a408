package org.npuc.frontend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.npuc.frontend.tensorflow.NhwcRef.assertClose;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.npuc.interp.Interpreter;
import org.npuc.ir.Graph;
import org.npuc.ir.Half;
import org.npuc.ir.Operation;
import org.npuc.ir.Tensor;
import org.npuc.spi.ImportOptions;

/**
 * TF.js weight storage: uint8 / uint16 affine quantization (float32 and int32 weights), float16
 * storage, shards split across files, and the JSON GraphDef (base64 strings, int64 as strings).
 */
class TfjsWeightsTest {
  @TempDir Path dir;

  private static final String MODEL =
      """
{"format": "graph-model", "modelTopology": {"node": [
  {"name": "x", "op": "Placeholder", "attr": {"dtype": {"type": "DT_FLOAT"}, "shape": {"shape": {"dim": [{"size": "1"}, {"size": "4"}]}}}},
  {"name": "w", "op": "Const", "attr": {"dtype": {"type": "DT_FLOAT"}, "value": {"tensor": {"dtype": "DT_FLOAT", "tensorShape": {"dim": [{"size": "4"}, {"size": "3"}]}}}}},
  {"name": "b", "op": "Const", "attr": {"dtype": {"type": "DT_FLOAT"}, "value": {"tensor": {"dtype": "DT_FLOAT", "tensorShape": {"dim": [{"size": "3"}]}}}}},
  {"name": "s", "op": "Const", "attr": {"dtype": {"type": "DT_FLOAT"}, "value": {"tensor": {"dtype": "DT_FLOAT", "tensorShape": {"dim": [{"size": "3"}]}}}}},
  {"name": "shape", "op": "Const", "attr": {"dtype": {"type": "DT_INT32"}, "value": {"tensor": {"dtype": "DT_INT32", "tensorShape": {"dim": [{"size": "2"}]}}}}},
  {"name": "mm", "op": "MatMul", "input": ["x", "w"], "attr": {"T": {"type": "DT_FLOAT"}, "transpose_a": {"b": false}, "transpose_b": {"b": false}}},
  {"name": "ba", "op": "BiasAdd", "input": ["mm", "b"], "attr": {"T": {"type": "DT_FLOAT"}, "data_format": {"s": "TkhXQw=="}}},
  {"name": "mul", "op": "Mul", "input": ["ba", "s"], "attr": {"T": {"type": "DT_FLOAT"}}},
  {"name": "out", "op": "Reshape", "input": ["mul", "shape"], "attr": {"T": {"type": "DT_FLOAT"}}}
], "versions": {"producer": 1}},
"weightsManifest": [{"paths": ["group1-shard1of2.bin", "group1-shard2of2.bin"], "weights": [
  {"name": "w", "shape": [4, 3], "dtype": "float32", "quantization": {"dtype": "uint8", "min": -0.7, "scale": 0.011, "original_dtype": "float32"}},
  {"name": "b", "shape": [3], "dtype": "float32", "quantization": {"dtype": "uint16", "min": -1.5, "scale": 0.0001, "original_dtype": "float32"}},
  {"name": "s", "shape": [3], "dtype": "float32", "quantization": {"dtype": "float16", "original_dtype": "float32"}},
  {"name": "shape", "shape": [2], "dtype": "int32", "quantization": {"dtype": "uint8", "min": 0.6, "scale": 1.2, "original_dtype": "int32"}}
]}]}
""";

  @Test
  void quantizedAndHalfWeightsDecodeAsTfjsDoes() throws IOException {
    int[] qw = {0, 17, 255, 128, 3, 99, 200, 64, 1, 250, 7, 77};
    int[] qb = {0, 65535, 15000};
    int[] hs = {0x3c00, 0xc200, 0x0001}; // 1.0, -3.0, smallest subnormal
    int[] qs = {0, 2}; // int32 weights are rounded: round(0.6) = 1, round(3.0) = 3
    ByteBuffer buf = ByteBuffer.allocate(12 + 6 + 6 + 2).order(ByteOrder.LITTLE_ENDIAN);
    for (int q : qw) buf.put((byte) q);
    for (int q : qb) buf.putShort((short) q);
    for (int h : hs) buf.putShort((short) h);
    for (int q : qs) buf.put((byte) q);
    byte[] all = buf.array();
    // Split the data across two shards at an odd offset: TF.js concatenates them.
    Files.write(dir.resolve("group1-shard1of2.bin"), java.util.Arrays.copyOfRange(all, 0, 13));
    Files.write(
        dir.resolve("group1-shard2of2.bin"), java.util.Arrays.copyOfRange(all, 13, all.length));
    Path json = dir.resolve("model.json");
    Files.writeString(json, MODEL);
    Graph g = TfTesting.load(new ImportOptions(json));

    float[] w = new float[12], b = new float[3], s = new float[3];
    for (int i = 0; i < 12; i++) w[i] = (float) (qw[i] * 0.011 + -0.7);
    for (int i = 0; i < 3; i++) b[i] = (float) (qb[i] * 0.0001 + -1.5);
    s[0] = 1f;
    s[1] = -3f;
    s[2] = (float) Math.pow(2, -24);
    assertEquals(s[2], Half.toFloat(1));
    int[] shape = {(int) Math.floor(0 * 1.2 + 0.6 + 0.5), (int) Math.floor(2 * 1.2 + 0.6 + 0.5)};
    assertArrayEquals(new int[] {1, 3}, shape);

    // The FC weights arrive transposed to [N, K]; compare them with the TF.js values.
    for (Operation op : g) {
      if (op.is("matmul")) {
        Tensor wt = op.operand(1).constantValue();
        assertArrayEquals(new int[] {3, 4}, wt.shape());
        for (int k = 0; k < 4; k++)
          for (int n = 0; n < 3; n++) assertEquals(w[k * 3 + n], wt.floats()[n * 4 + k], 0f);
      }
    }
    float[] x = {0.3f, -1.2f, 2f, 0.5f};
    Tensor y = new Interpreter(g).run(Map.of("x", Tensor.ofFloats(new int[] {1, 4}, x))).get("out");
    assertArrayEquals(shape, y.shape());
    float[] e = new float[3];
    for (int n = 0; n < 3; n++) {
      float acc = 0;
      for (int k = 0; k < 4; k++) acc += x[k] * w[k * 3 + n];
      e[n] = (acc + b[n]) * s[n];
    }
    assertClose(e, y, 1e-6);
  }

  @Test
  void manifestMismatchIsDiagnosed() throws IOException {
    Files.write(dir.resolve("group1-shard1of2.bin"), new byte[13]);
    Files.write(dir.resolve("group1-shard2of2.bin"), new byte[20]);
    Path json = dir.resolve("model.json");
    Files.writeString(json, MODEL);
    org.npuc.diag.UserError e =
        org.junit.jupiter.api.Assertions.assertThrows(
            org.npuc.diag.UserError.class, () -> TfTesting.load(new ImportOptions(json)));
    org.junit.jupiter.api.Assertions.assertTrue(
        e.getMessage().contains("not described by the manifest"), e.getMessage());
  }
}

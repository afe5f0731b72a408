package org.npuc.frontend.tflite;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.npuc.diag.UserError;
import org.npuc.spi.ImportOptions;
import org.npuc.testing.Models;

/** Broken files and unsupported models end in one clear UserError, never a crash or a hang. */
class MalformedModelTest {
  private static UserError importError(byte[] bytes) {
    return assertThrows(UserError.class, () -> TfliteFrontend.importBytes(ByteBuffer.wrap(bytes), "bad.tflite", "bad"));
  }

  private static TfliteFileBuilder tiny() {
    TfliteFileBuilder m = new TfliteFileBuilder();
    int x = m.tensor("x", new int[] {1, 4}, TfliteModel.FLOAT32);
    int y = m.tensor("y", new int[] {1, 4}, TfliteModel.FLOAT32);
    m.op(BuiltinOps.RELU, new int[] {x}, new int[] {y}, 0, null);
    m.inputs = new int[] {x};
    m.outputs = new int[] {y};
    return m;
  }

  @Test
  void everyUnsupportedOperatorIsListedWithCounts() {
    TfliteFileBuilder m = new TfliteFileBuilder();
    int x = m.tensor("x", new int[] {1, 4}, TfliteModel.FLOAT32);
    int a = m.tensor("a", new int[] {1, 4}, TfliteModel.FLOAT32);
    int b = m.tensor("b", new int[] {1, 4}, TfliteModel.FLOAT32);
    int c = m.tensor("c", new int[] {1, 4}, TfliteModel.FLOAT32);
    int d = m.tensor("d", new int[] {1, 4}, TfliteModel.FLOAT32);
    m.op(36, new int[] {x}, new int[] {a}, 0, null); // GATHER
    m.op(BuiltinOps.RELU, new int[] {a}, new int[] {b}, 0, null);
    m.op(36, new int[] {b}, new int[] {c}, 0, null);
    m.custom("MyFancyOp", new int[] {c}, new int[] {d});
    m.inputs = new int[] {x};
    m.outputs = new int[] {d};
    UserError e = importError(m.build());
    assertTrue(e.getMessage().contains("CUSTOM(MyFancyOp) ×1, GATHER ×2"), e.getMessage());
    assertTrue(e.getMessage().contains("bad.tflite"), e.getMessage());
  }

  @Test
  void tensorAndBufferIndicesAreChecked() {
    TfliteFileBuilder m = tiny();
    m.ops.set(0, new TfliteFileBuilder.Op(BuiltinOps.RELU, null, new int[] {7}, new int[] {1}, 0, null, -1));
    assertTrue(importError(m.build()).getMessage().contains("operator 0 inputs: tensor index 7 is out of range"));

    TfliteFileBuilder m2 = tiny();
    m2.raw(new TfliteFileBuilder.T("w", new int[] {2}, TfliteModel.FLOAT32, null, null, null, 0, 99));
    assertTrue(importError(m2.build()).getMessage().contains("buffer index 99 is out of range"));

    TfliteFileBuilder m3 = tiny();
    m3.ops.set(0, new TfliteFileBuilder.Op(BuiltinOps.RELU, null, new int[] {0}, new int[] {1}, 0, null, 5));
    assertTrue(importError(m3.build()).getMessage().contains("opcode_index 5 is out of range"));
  }

  @Test
  void constantDataMustFitTheShape() {
    TfliteFileBuilder m = tiny();
    m.raw(new TfliteFileBuilder.T("w", new int[] {3}, TfliteModel.FLOAT32, new byte[8], null, null, 0, -1));
    UserError e = importError(m.build());
    assertTrue(e.getMessage().contains("its buffer holds 8 bytes, shape [3] needs 12"), e.getMessage());
  }

  @Test
  void builtinCodeFieldsMustAgree() {
    TfliteFileBuilder m = tiny();
    m.deprecatedCodeOverride = 3; // CONV_2D in the old field, RELU in the new one
    UserError e = importError(m.build());
    assertTrue(e.getMessage().contains("builtin_code 19 disagrees with deprecated_builtin_code 3"), e.getMessage());
  }

  @Test
  void perChannelScalesMustMatchTheirDimension() {
    TfliteFileBuilder m = tiny();
    m.raw(new TfliteFileBuilder.T("q", new int[] {4, 2}, TfliteModel.INT8, null, new float[] {0.1f, 0.2f, 0.3f}, new long[] {0, 0, 0}, 0, -1));
    assertTrue(importError(m.build()).getMessage().contains("3 per-channel scales do not match dimension 0"));
  }

  @Test
  void notATfliteFile() {
    UserError e = importError("this is not a flatbuffer at all".getBytes());
    assertTrue(e.getMessage().contains("not a TFLite model"), e.getMessage());
    assertTrue(importError(new byte[3]).getMessage().contains("too short"));
  }

  @Test
  void truncatedRealModelsAreUserErrors() throws Exception {
    byte[] full = Files.readAllBytes(Models.require("tflite/kws_ref_model.tflite"));
    for (int len : new int[] {8, 64, 1000, full.length / 3, full.length / 2, full.length - 100}) {
      byte[] cut = java.util.Arrays.copyOf(full, len);
      UserError e = importError(cut);
      assertTrue(e.getMessage().startsWith("bad.tflite: "), e.getMessage());
    }
  }

  @Test
  void randomlyDamagedFilesNeverCrash() throws Exception {
    byte[] full = Files.readAllBytes(Models.require("tflite/kws_ref_model.tflite"));
    Random r = new Random(42);
    for (int trial = 0; trial < 200; trial++) {
      byte[] b = full.clone();
      for (int k = 0; k < 4; k++) b[8 + r.nextInt(b.length - 8)] = (byte) r.nextInt(256);
      try {
        TfliteFrontend.importBytes(ByteBuffer.wrap(b), "bad.tflite", "bad");
      } catch (UserError expected) {
        // a diagnostic; anything else (an unchecked exception) fails the test
      }
    }
  }

  @Test
  void importOptionsTheFrontendCannotHonourAreRefused(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("m.tflite");
    Files.write(f, tiny().build());
    ImportOptions o = new ImportOptions(f);
    o.inputShapes().put("x", new int[] {2, 4});
    assertThrows(UserError.class, () -> new TfliteFrontend().importModel(o));
    assertTrue(new TfliteFrontend().accepts(f, Files.readAllBytes(f)));
  }
}

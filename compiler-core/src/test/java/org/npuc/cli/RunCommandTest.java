package org.npuc.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.npuc.interp.Interpreter;
import org.npuc.io.Npy;
import org.npuc.ir.Graph;
import org.npuc.ir.Tensor;
import org.npuc.ir.text.IrParser;
import org.npuc.ir.type.ScalarType;

/** {@code npuc run}: batching, names, dtypes, output files and the summary lines. */
class RunCommandTest {
  private static final String EXAMPLE = "../examples/mnist_cnn.npuir";

  @TempDir Path tmp;

  private Path images(int n, long seed) {
    Random r = new Random(seed);
    float[] d = new float[n * 28 * 28];
    for (int i = 0; i < d.length; i++) d[i] = r.nextFloat();
    Path p = tmp.resolve("x" + n + ".npy");
    Npy.write(p, Tensor.ofFloats(new int[] {n, 1, 28, 28}, d));
    return p;
  }

  @Test
  void batchOfSamplesRunsOncePerSampleAndStacks() {
    Path x = images(3, 5);
    Path out = tmp.resolve("prob.npy");
    CliTestSupport.Result r = CliTestSupport.run("run", EXAMPLE, "--input", x.toString(), "--output", out.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("prob: shape [3, 10] f32 min "), r.out());
    assertTrue(r.out().trim().endsWith("-> " + out), r.out());
    Tensor got = Npy.read(out);
    assertArrayEquals(new int[] {3, 10}, got.shape());
    // each row is what a single run on that sample gives
    Graph g = IrParser.parse(Path.of(EXAMPLE));
    Tensor all = Npy.read(x);
    for (int s = 0; s < 3; s++) {
      float[] one = new float[784];
      System.arraycopy(all.floats(), s * 784, one, 0, 784);
      float[] want = new Interpreter(g).run(Map.of("image", Tensor.ofFloats(new int[] {1, 1, 28, 28}, one))).get("prob").floats();
      for (int k = 0; k < 10; k++) assertEquals(want[k], got.floats()[s * 10 + k], 0f);
    }
  }

  @Test
  void namedInputsOutputDirAndPipeline() throws Exception {
    Path x = images(1, 6);
    Path dir = tmp.resolve("outs");
    CliTestSupport.Result r = CliTestSupport.run("run", EXAMPLE, "--input", "image=" + x, "--output-dir", dir.toString(), "--pipeline", "optimize");
    assertEquals(0, r.code(), r.err());
    assertTrue(Files.exists(dir.resolve("prob.npy")));
    assertArrayEquals(new int[] {1, 10}, Npy.read(dir.resolve("prob.npy")).shape());
  }

  @Test
  void inputShapeChangesTheDeclaredBatch() {
    Path x = images(2, 7);
    CliTestSupport.Result r = CliTestSupport.run("run", EXAMPLE, "--input", x.toString(), "--input-shape", "image=2,1,28,28");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("prob: shape [2, 10] f32"), r.out());
  }

  @Test
  void wrongShapeDtypeOrNameAreUserErrors() throws Exception {
    Path flat = tmp.resolve("flat.npy");
    Npy.write(flat, Tensor.ofFloats(new int[] {1, 784}, new float[784]));
    CliTestSupport.Result r = CliTestSupport.run("run", EXAMPLE, "--input", flat.toString());
    assertEquals(Main.EXIT_USER_ERROR, r.code());
    assertTrue(r.err().contains("input 'image' expects shape tensor<1x1x28x28xf32> (the first axis is the batch), but " + flat + " has shape [1, 784]"), r.err());

    Path bytes = tmp.resolve("u8.npy");
    Npy.write(bytes, Tensor.ofInts(new int[] {1, 1, 28, 28}, ScalarType.U8, new int[784]));
    r = CliTestSupport.run("run", EXAMPLE, "--input", bytes.toString());
    assertEquals(Main.EXIT_USER_ERROR, r.code());
    assertTrue(r.err().contains("input 'image' is f32 (stored as f32), but " + bytes + " holds u8; give a .npy of dtype float32"), r.err());

    r = CliTestSupport.run("run", EXAMPLE, "--input", "img=" + bytes);
    assertEquals(Main.EXIT_USER_ERROR, r.code());
    assertTrue(r.err().contains("the model has no input 'img'; inputs: image"), r.err());

    r = CliTestSupport.run("run", EXAMPLE, "--input", images(1, 1).toString(), "--input-shape", "image=1,784");
    assertEquals(Main.EXIT_USER_ERROR, r.code());
    assertTrue(r.err().contains("has rank 2, but input 'image'"), r.err());
  }

  @Test
  void failedRunLeavesNoOutputFile() {
    Path out = tmp.resolve("never.npy");
    CliTestSupport.Result r = CliTestSupport.run("run", EXAMPLE, "--input", images(1, 2).toString(), "--output", out.toString(), "--pipeline", "cze");
    assertEquals(Main.EXIT_USER_ERROR, r.code());
    assertFalse(Files.exists(out));
  }

  @Test
  void outputFileNamesAreSanitized() {
    assertEquals("prob", RunCommand.fileName("prob"));
    assertEquals("MobilenetV1_Predictions_Reshape_1", RunCommand.fileName("MobilenetV1/Predictions/Reshape_1"));
    assertEquals("Identity_0", RunCommand.fileName("Identity:0"));
    assertEquals("a.b-c_d", RunCommand.fileName("a.b-c_d"));
    assertEquals("_..", RunCommand.fileName(".."));
  }
}

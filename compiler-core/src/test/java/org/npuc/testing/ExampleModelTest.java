package org.npuc.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.npuc.interp.Interpreter;
import org.npuc.ir.Graph;
import org.npuc.ir.GraphEquivalence;
import org.npuc.ir.Tensor;
import org.npuc.ir.Verifier;
import org.npuc.ir.text.IrParser;
import org.npuc.pass.PassContext;
import org.npuc.pass.PassManager;

/** The bundled example is what {@link ExampleCnn} generates, and optimizing it keeps its numbers. */
class ExampleModelTest {
  static final Path EXAMPLE = Path.of("../examples/mnist_cnn.npuir");

  @Test
  void checkedInExampleIsTheGeneratedOne() {
    assertTrue(Files.exists(EXAMPLE), "missing " + EXAMPLE.toAbsolutePath());
    Graph parsed = IrParser.parse(EXAMPLE);
    assertNull(GraphEquivalence.firstDifference(ExampleCnn.build(), parsed),
        "examples/mnist_cnn.npuir differs from ExampleCnn.build(); regenerate it with ExampleCnn.main");
    Verifier.verify(parsed);
  }

  @Test
  void optimizeKeepsTheFunctionAndShrinksTheGraph() {
    Graph before = IrParser.parse(EXAMPLE);
    Graph after = IrParser.parse(EXAMPLE);
    new PassManager(org.npuc.pass.Pipeline.parse("optimize", org.npuc.pass.PassRegistry.global()), PassContext.global()).run(after);
    assertEquals(28, before.size());
    assertEquals(16, after.size());
    for (org.npuc.ir.Operation op : after) {
      assertFalse(List.of("identity", "pad", "batch_norm", "relu6", "mul").contains(op.name()), "left after optimize: " + op);
    }
    Random r = new Random(1);
    float[] img = new float[28 * 28];
    for (int i = 0; i < img.length; i++) img[i] = r.nextFloat();
    Map<String, Tensor> in = Map.of("image", Tensor.ofFloats(new int[] {1, 1, 28, 28}, img));
    float[] want = new Interpreter(before).run(in).get("prob").floats();
    float[] got = new Interpreter(after).run(in).get("prob").floats();
    float sum = 0;
    for (int i = 0; i < want.length; i++) {
      assertEquals(want[i], got[i], 1e-6f);
      sum += got[i];
    }
    assertEquals(1f, sum, 1e-5f); // a softmax
  }
}

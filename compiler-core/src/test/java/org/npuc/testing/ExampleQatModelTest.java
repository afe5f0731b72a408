package org.npuc.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.npuc.interp.Interpreter;
import org.npuc.ir.Graph;
import org.npuc.ir.GraphEquivalence;
import org.npuc.ir.Operation;
import org.npuc.ir.Tensor;
import org.npuc.ir.Verifier;
import org.npuc.ir.text.IrParser;
import org.npuc.pass.PassContext;
import org.npuc.pass.PassManager;
import org.npuc.pass.PassRegistry;
import org.npuc.pass.Pipeline;
import org.npuc.transforms.ImportQatRangesPass;

/**
 * The bundled QAT example is what {@link ExampleQatCnn} generates, carries a range for every
 * tensor that needs one (so it compiles without calibration data), and its int8 lowering computes
 * what the fake-quantized float graph computes, up to int8 rounding.
 */
class ExampleQatModelTest {
  private static final Path EXAMPLE = Path.of("..", "examples", "qat_cnn.npuir");

  @Test
  void checkedInExampleIsTheGeneratedOne() {
    Graph parsed = IrParser.parse(EXAMPLE);
    assertNull(GraphEquivalence.firstDifference(ExampleQatCnn.build(), parsed),
        "examples/qat_cnn.npuir differs from ExampleQatCnn.build(); regenerate it with ExampleQatCnn.main");
    Verifier.verify(parsed);
  }

  @Test
  void lowersToInt8WithoutCalibrationAndKeepsTheFunction() {
    Graph qat = IrParser.parse(EXAMPLE);
    Graph low = IrParser.parse(EXAMPLE);
    run(low, "optimize,import_qat_ranges");
    assertEquals(List.of(), ImportQatRangesPass.requiredRanges(low), "every tensor that needs a range has one from a fake_quant");
    run(low, "quantize");
    int int8Layers = 0;
    for (Operation op : low) {
      if (op.is("fake_quant")) throw new AssertionError("fake_quant left after import_qat_ranges: " + op);
      if (op.is("conv2d") || op.is("matmul")) {
        assertTrue(op.result().type().elementType().isQuantized(), "not lowered to int8: " + op);
        int8Layers++;
      }
    }
    assertEquals(4, int8Layers);
    Random r = new Random(7);
    for (int s = 0; s < 8; s++) {
      float[] img = new float[28 * 28];
      for (int i = 0; i < img.length; i++) img[i] = r.nextFloat() < 0.8 ? 0f : r.nextFloat();
      Map<String, Tensor> in = Map.of("image", Tensor.ofFloats(new int[] {1, 1, 28, 28}, img));
      float[] want = new Interpreter(qat).run(in).get("prob").floats();
      Tensor got = new Interpreter(low).run(in).get("prob");
      float[] g = got.floats();
      double dot = 0, nw = 0, ng = 0;
      for (int i = 0; i < want.length; i++) {
        dot += want[i] * g[i];
        nw += want[i] * want[i];
        ng += g[i] * g[i];
        // A few steps of the softmax output grid (1/256) at most.
        assertEquals(want[i], g[i], 4.0 / 256, "sample " + s + " class " + i);
      }
      assertTrue(dot / Math.sqrt(nw * ng) > 0.99, "cosine " + dot / Math.sqrt(nw * ng));
    }
  }

  private static void run(Graph g, String pipeline) {
    new PassManager(Pipeline.parse(pipeline, PassRegistry.global()), PassContext.global()).run(g);
  }
}

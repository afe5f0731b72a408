package org.npuc.frontend.tflite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.npuc.interp.Interpreter;
import org.npuc.ir.Graph;
import org.npuc.ir.Operation;
import org.npuc.ir.Tensor;
import org.npuc.ir.text.IrParser;
import org.npuc.ir.text.IrPrinter;
import org.npuc.ir.type.ElementType;
import org.npuc.ir.type.QuantizedType;
import org.npuc.pass.PassContext;
import org.npuc.pass.PassManager;
import org.npuc.spi.ImportOptions;
import org.npuc.testing.Models;
import org.npuc.testing.OptimizeCheck;

/**
 * shared/models has no float TFLite model, so this checks the other promise of {@code optimize}
 * on the quantized ones: the integer graph computes exactly the same outputs afterwards (the
 * fusions refuse quantized integers; layout and dead-code clean-up only move data).
 */
class OptimizeTfliteModelsTest {

  @ParameterizedTest
  @ValueSource(strings = {"mobilenet_v1_0.25_128_quant", "mobilenet_v2_1.0_224_quant", "tf2_mobilenet_v2_1.0_224_ptq", "resnet8_cifar10_int8",
      "vww_96_int8", "kws_ref_model"})
  void quantizedModelsAreBitExactAfterOptimize(String name) {
    Graph g = new TfliteFrontend().importModel(new ImportOptions(Models.require("tflite/" + name + ".tflite")));
    Graph after = IrParser.parse(IrPrinter.full().print(g), g.name());
    PassManager.parse("optimize", PassContext.global()).run(after);
    Map<String, Tensor> in = randomInputs(g, 1);
    Map<String, Tensor> want = new Interpreter(g).run(in);
    Map<String, Tensor> got = new Interpreter(after).run(in);
    assertEquals(want.keySet(), got.keySet());
    for (String k : want.keySet()) {
      assertEquals(want.get(k).type().toText(), got.get(k).type().toText(), k);
      if (want.get(k).isFloat()) assertArrayEquals(want.get(k).floats(), got.get(k).floats(), 0f, k);
      else assertArrayEquals(want.get(k).ints(), got.get(k).ints(), k);
    }
    System.out.println("tflite/" + name + ": " + OptimizeCheck.counts(g).values().stream().mapToInt(Integer::intValue).sum() + " ops -> "
        + OptimizeCheck.counts(after).values().stream().mapToInt(Integer::intValue).sum() + " ops, outputs bit-identical");
  }

  /** Random stored integers over each input's storage range (or floats in [-1, 1) for a float input). */
  private static Map<String, Tensor> randomInputs(Graph g, long seed) {
    Random r = new Random(seed);
    Map<String, Tensor> m = new LinkedHashMap<>();
    for (Operation op : g.inputs()) {
      int[] s = op.result().type().shape();
      for (int i = 0; i < s.length; i++) if (s[i] < 0) s[i] = 1;
      int n = (int) Tensor.count(s);
      ElementType e = op.result().type().elementType();
      String name = op.attributes().getString("name");
      if (e instanceof QuantizedType q && !e.storageType().isFloat()) {
        int[] d = new int[n];
        long lo = q.storageMin();
        long hi = q.storageMax();
        for (int i = 0; i < n; i++) d[i] = (int) (lo + r.nextInt((int) (hi - lo + 1)));
        m.put(name, Tensor.ofInts(s, e, d));
      } else {
        float[] d = new float[n];
        for (int i = 0; i < n; i++) d[i] = 2 * r.nextFloat() - 1;
        m.put(name, Tensor.ofFloats(s, d));
      }
    }
    return m;
  }
}

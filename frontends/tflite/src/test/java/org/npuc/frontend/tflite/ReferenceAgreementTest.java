package org.npuc.frontend.tflite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.npuc.driver.ModelRunner;
import org.npuc.io.Npy;
import org.npuc.ir.Graph;
import org.npuc.ir.Tensor;
import org.npuc.quant.Agreement;
import org.npuc.spi.ImportOptions;
import org.npuc.testing.Models;

/**
 * The four quantized TFLite models against the two stored reference outputs (Arm NN CpuRef and
 * TFLite-WASM/XNNPACK) on their 10 stored inputs, with issue #5's agreement rule. Each model's
 * inputs run once.
 */
class ReferenceAgreementTest {

  @ParameterizedTest
  @ValueSource(strings = {"mobilenet_v1_0.25_128_quant", "mobilenet_v2_1.0_224_quant", "tf2_mobilenet_v2_1.0_224_ptq", "resnet8_cifar10_int8"})
  void agreesWithBothReferences(String name) {
    Path model = Models.require("tflite/" + name + ".tflite");
    Path dir = Models.require("tflite/expected");
    Graph g = new TfliteFrontend().importModel(new ImportOptions(model));
    Tensor inputs = Npy.read(dir.resolve(name + ".input.npy"));
    Tensor a = Npy.read(dir.resolve(name + ".expected.npy"));
    Tensor b = Npy.read(dir.resolve(name + ".alt.npy"));
    String in = g.inputs().get(0).attributes().getString("name");
    Tensor out = new ModelRunner(g).run(Map.of(in, inputs), Map.of()).values().iterator().next();
    Agreement.Result r = Agreement.compare(out, a, b);
    System.out.println(name + ":\n" + r.format());
    assertTrue(r.identicalToEither() >= r.refsAgree(), r.format());
    assertTrue(r.maxDistanceToNearer() <= r.maxRefDistance(), r.format());
    assertEquals(r.rowsRefsTop1Agree(), r.rowsTop1Match(), r.format());
  }
}

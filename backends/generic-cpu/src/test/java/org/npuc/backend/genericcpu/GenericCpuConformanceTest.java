package org.npuc.backend.genericcpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.npuc.driver.ModelLoader;
import org.npuc.driver.ModelRunner;
import org.npuc.io.Npy;
import org.npuc.ir.Graph;
import org.npuc.ir.Tensor;
import org.npuc.spi.Backend;
import org.npuc.spi.OpClaim;
import org.npuc.spi.Precision;
import org.npuc.spi.Simulation;
import org.npuc.spi.TargetSpec;
import org.npuc.target.TargetCompiler;
import org.npuc.testing.BackendConformance;
import org.npuc.testing.Models;
import org.npuc.testing.TestSpecs;

/** generic-cpu against the conformance suite, plus the int8 TFLite models bit for bit against the interpreter. */
class GenericCpuConformanceTest extends BackendConformance {
  private final GenericCpuBackend backend = new GenericCpuBackend();

  @Override
  protected Backend backend() {
    return backend;
  }

  @Override
  protected TargetSpec spec() {
    return TestSpecs.repo("generic-cpu", backend);
  }

  @Test
  void claimsEverythingInt8WhereQuantized() {
    TargetCompiler.Result r = compile(org.npuc.testing.ConformanceModels.quantizedCnn(3, 8, 8, 1));
    for (OpClaim c : r.claims().all()) {
      assertTrue(c.isClaimed(), c.op() + " refused");
      if (!c.op().is("quantize") && !c.op().is("dequantize")) assertEquals(Precision.INT8, c.precision(), c.op().toString());
    }
  }

  @Test
  void tfliteMobilenetV1BitExactWithInterpreter() {
    Path model = Models.require("tflite/mobilenet_v1_0.25_128_quant.tflite");
    Tensor x = Npy.read(Models.require("tflite/expected/mobilenet_v1_0.25_128_quant.input.npy"));
    Graph g = ModelLoader.load(model);
    Map<String, Tensor> in = Map.of(g.inputs().get(0).attributes().getString("name"), x);
    Map<String, Tensor> want = new ModelRunner(g).run(in, Map.of());
    TargetCompiler.Result r = compile(g);
    Simulation sim = backend.simulate(r.image(), in);
    for (Map.Entry<String, Tensor> e : want.entrySet()) {
      assertArrayEquals(e.getValue().ints(), sim.outputs().get(e.getKey()).ints(), "output " + e.getKey());
    }
    double ratio = (double) r.program().arenaBytes() / r.program().liveLowerBound();
    assertTrue(ratio <= 1.05, "arena " + r.program().arenaBytes() + " vs lower bound " + r.program().liveLowerBound());
  }

  @Test
  void arenaWithinFivePercentOfTheLivenessBoundOnRealModels() {
    for (String m : java.util.List.of("tflite/resnet8_cifar10_int8.tflite", "tflite/mobilenet_v2_1.0_224_quant.tflite", "tflite/vww_96_int8.tflite")) {
      Graph g = ModelLoader.load(Models.require(m));
      TargetCompiler.Result r = compile(g);
      long arena = r.program().arenaBytes();
      long bound = r.program().liveLowerBound();
      assertTrue(arena <= bound * 1.05, m + ": arena " + arena + " vs liveness lower bound " + bound);
      checkMemoryPlan(r.program());
    }
  }
}

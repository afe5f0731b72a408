package org.npuc.example.npu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.npuc.ir.Graph;
import org.npuc.spi.Backend;
import org.npuc.spi.OpClaim;
import org.npuc.spi.Precision;
import org.npuc.spi.TargetSpec;
import org.npuc.target.TargetCompiler;
import org.npuc.testing.BackendConformance;
import org.npuc.testing.ConformanceModels;
import org.npuc.testing.ExampleCnn;
import org.npuc.testing.TestSpecs;

/** The example plugin passes the conformance suite, and refuses what its spec does not list, with reasons. */
class ExampleNpuConformanceTest extends BackendConformance {
  private final ExampleNpuBackend backend = new ExampleNpuBackend();

  @Override
  protected Backend backend() {
    return backend;
  }

  @Override
  protected TargetSpec spec() {
    return TestSpecs.resource("target-specs/example-npu.yaml", backend);
  }

  @Test
  void int8LayersRunOnTheNpuAndTheRestFallsBackWithAReason() {
    TargetCompiler.Result r = compile(ConformanceModels.quantizedCnn(3, 8, 8, 9));
    for (OpClaim c : r.claims().all()) {
      switch (c.op().name()) {
        case "conv2d", "matmul", "max_pool", "add", "reshape" -> {
          assertTrue(c.isClaimed(), c.op() + ": " + c.reason());
          assertEquals("npu", c.engine());
          assertEquals(Precision.INT8, c.precision());
        }
        default -> {
          assertFalse(c.isClaimed(), c.op().toString());
          assertTrue(c.reason().contains("not in the ops of target example-npu"), c.reason());
        }
      }
    }
  }

  @Test
  void limitsFromTheSpecRefuseWithTheLimit() {
    Graph g = ExampleCnn.build();
    TargetCompiler.Result r = compile(g);
    assertTrue(r.summary().contains("fallbacks"), r.summary());
  }
}

package org.npuc.backend.ascend;

import org.npuc.spi.Backend;
import org.npuc.spi.TargetSpec;
import org.npuc.testing.BackendConformance;
import org.npuc.testing.TestSpecs;

/** ascend against the shared conformance suite (generated float and int8 CNNs, LeNet, MTCNN). */
class AscendConformanceTest extends BackendConformance {
  private final AscendBackend backend = new AscendBackend();

  @Override
  protected Backend backend() {
    return backend;
  }

  @Override
  protected TargetSpec spec() {
    return TestSpecs.repo("ascend", backend);
  }
}

package org.npuc.backend.bm1684;

import org.npuc.spi.Backend;
import org.npuc.spi.TargetSpec;
import org.npuc.testing.BackendConformance;
import org.npuc.testing.TestSpecs;

/** bm1684 against the shared conformance suite (generated float and int8 CNNs, LeNet, MTCNN). */
class Bm1684ConformanceTest extends BackendConformance {
  private final Bm1684Backend backend = new Bm1684Backend();

  @Override
  protected Backend backend() {
    return backend;
  }

  @Override
  protected TargetSpec spec() {
    return TestSpecs.repo("bm1684", backend);
  }
}

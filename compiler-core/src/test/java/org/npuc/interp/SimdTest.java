package org.npuc.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The kernel tests run twice (compiler-core's pom): with the Vector API module, as the launcher
 * starts npuc, and without it ({@code npuc.test.kernels=plain}). This checks that each run really
 * takes the paths it is meant to test.
 */
class SimdTest {
  @Test
  void vectorApiIsUsedExactlyWhenItsModuleIsThere() {
    boolean plainRun = "plain".equals(System.getProperty("npuc.test.kernels"));
    boolean module = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    assertEquals(!plainRun, module, "the plain-Java test run must start without jdk.incubator.vector, the other with it");
    assertEquals(module, Simd.enabled());
    assertTrue(Simd.describe().startsWith(module ? "float kernels: Vector API, " : "float kernels: plain Java"), Simd.describe());
  }
}

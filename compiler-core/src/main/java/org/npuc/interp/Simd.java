package org.npuc.interp;

/**
 * Whether the float kernels may use the JDK's Vector API ({@code jdk.incubator.vector}). HotSpot
 * C2 in JDK 17 vectorizes only simple zero-based loops, never a register-blocked micro-kernel, so
 * the fast GEMM needs explicit vectors; the API is still incubating in 17, so it is present only
 * when the JVM was started with {@code --add-modules jdk.incubator.vector} (the {@code npuc}
 * launcher and the test runs do this). Without it, or with {@code -Dnpuc.vector=false}, every
 * kernel takes its plain-Java path. Classes that touch the API are only loaded after this says yes.
 */
public final class Simd {
  private static final boolean ENABLED = detect();

  private Simd() {}

  /** True when the Vector API module is resolved and not switched off. */
  public static boolean enabled() {
    return ENABLED;
  }

  /** One line for {@code npuc --version}: which float kernels run. */
  public static String describe() {
    return ENABLED ? "float kernels: Vector API, " + VectorWidth.bits() + "-bit" : "float kernels: plain Java (Vector API not enabled)";
  }

  private static boolean detect() {
    if ("false".equalsIgnoreCase(System.getProperty("npuc.vector", "true"))) return false;
    return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
  }
}

package org.npuc.interp;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Integer kernels by op name. The interpreter runs an op through this table when any operand or
 * result has a quantized element type ({@code uniform} or {@code uniform_per_axis}), and through
 * the op's float kernel otherwise. Catalogs add kernels with {@link #register}.
 */
public final class QuantizedKernels {
  private static final Map<String, QuantizedKernel> KERNELS = new ConcurrentHashMap<>();

  static {
    // The built-in integer kernels (TFLite semantics); plugins may register more or replace them.
    org.npuc.quant.kernels.QuantKernelCatalog.registerAll();
  }

  private QuantizedKernels() {}

  public static void register(String opName, QuantizedKernel kernel) {
    KERNELS.put(opName, kernel);
  }

  /** The integer kernel for {@code opName}, or null. */
  public static QuantizedKernel lookup(String opName) {
    return KERNELS.get(opName);
  }

  /** Sorted names of ops that have an integer kernel. */
  public static List<String> names() {
    return List.copyOf(new TreeSet<>(KERNELS.keySet()));
  }
}

package org.npuc.ops;

import org.npuc.ir.OpDefinition;
import org.npuc.ir.OpRegistry;

/** The catalog of core op definitions (see docs/ops.md), registered into a registry. */
public final class CoreOps {
  private CoreOps() {}

  public static void registerAll(OpRegistry registry) {
    registry.register(BoundaryOps.INPUT);
    registry.register(BoundaryOps.OUTPUT);
    registry.register(BoundaryOps.CONSTANT);
    for (OpDefinition d : UnaryOps.all()) registry.register(d);
    for (OpDefinition d : BinaryElementwiseOps.all()) registry.register(d);
  }
}

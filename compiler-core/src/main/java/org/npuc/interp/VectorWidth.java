package org.npuc.interp;

import jdk.incubator.vector.FloatVector;

/** The preferred float vector width of this machine; a separate class so that only {@link Simd} callers that checked {@link Simd#enabled} load it. */
final class VectorWidth {
  private VectorWidth() {}

  static int bits() {
    return FloatVector.SPECIES_PREFERRED.vectorBitSize();
  }

  static int lanes() {
    return FloatVector.SPECIES_PREFERRED.length();
  }
}

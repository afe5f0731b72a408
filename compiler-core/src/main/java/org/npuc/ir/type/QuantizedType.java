package org.npuc.ir.type;

/**
 * A quantized element type. {@link UniformQuantType} and {@link UniformPerAxisType} describe
 * integer storage; {@link CalibratedType} only records a measured float range.
 */
public sealed interface QuantizedType extends ElementType
    permits UniformQuantType, UniformPerAxisType, CalibratedType {

  /** Smallest stored integer the type uses (e.g. -127 for a narrow-range int8 weight). */
  long storageMin();

  /** Largest stored integer the type uses. */
  long storageMax();

  /**
   * Text for the storage part: {@code i8}, or {@code i8<-127:127>} when the range is narrower than
   * the storage type's full range.
   */
  default String storageText() {
    ScalarType s = storageType();
    if (storageMin() == s.minValue() && storageMax() == s.maxValue()) return s.toText();
    return s.toText() + "<" + storageMin() + ":" + storageMax() + ">";
  }
}

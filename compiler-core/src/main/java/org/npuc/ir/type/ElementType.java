package org.npuc.ir.type;

/**
 * The element type of a tensor: a plain scalar type, or a quantized type that says how stored
 * integers map to real numbers (quantization lives in the type, as in MLIR's quant dialect).
 */
public sealed interface ElementType permits ScalarType, QuantizedType {

  /** The scalar type values are stored in ({@code i8} for {@code uniform<i8:f32, ...>}). */
  ScalarType storageType();

  /** The scalar type the values stand for ({@code f32} for every quantized type). */
  ScalarType expressedType();

  /** True for every {@link QuantizedType} except {@link CalibratedType}, which is still float. */
  default boolean isQuantized() {
    return false;
  }

  /** The text form, e.g. {@code f32} or {@code uniform<i8:f32, 0.5:-3>}. */
  String toText();
}

package org.npuc.ir.type;

/** Plain scalar element types. Integer types are stored in Java {@code int}s, floats in {@code float}s. */
public enum ScalarType implements ElementType {
  F32("f32", 32, true, true),
  F16("f16", 16, true, true),
  F64("f64", 64, true, true),
  BOOL("i1", 1, false, false),
  I8("i8", 8, false, true),
  U8("u8", 8, false, false),
  I16("i16", 16, false, true),
  U16("u16", 16, false, false),
  I32("i32", 32, false, true),
  I64("i64", 64, false, true);

  private final String text;
  private final int bits;
  private final boolean floating;
  private final boolean signed;

  ScalarType(String text, int bits, boolean floating, boolean signed) {
    this.text = text;
    this.bits = bits;
    this.floating = floating;
    this.signed = signed;
  }

  public int bits() {
    return bits;
  }

  public boolean isFloat() {
    return floating;
  }

  public boolean isInteger() {
    return !floating;
  }

  public boolean isSigned() {
    return signed;
  }

  /** Smallest storable integer (integer types only; i64 is clamped to the range of a Java int). */
  public long minValue() {
    if (this == BOOL) return 0;
    if (this == I64 || this == I32) return Integer.MIN_VALUE;
    return signed ? -(1L << (bits - 1)) : 0;
  }

  /** Largest storable integer (integer types only; i64 is clamped to the range of a Java int). */
  public long maxValue() {
    if (this == BOOL) return 1;
    if (this == I64 || this == I32) return Integer.MAX_VALUE;
    return signed ? (1L << (bits - 1)) - 1 : (1L << bits) - 1;
  }

  @Override
  public ScalarType storageType() {
    return this;
  }

  @Override
  public ScalarType expressedType() {
    return this;
  }

  @Override
  public String toText() {
    return text;
  }

  /** Parses {@code f32}, {@code i8}, ...; returns null when the text names no scalar type. */
  public static ScalarType fromText(String text) {
    for (ScalarType t : values()) {
      if (t.text.equals(text)) return t;
    }
    return null;
  }

  @Override
  public String toString() {
    return text;
  }
}

package org.npuc.frontend.tensorflow;

import org.npuc.frontend.tensorflow.proto.DataType;
import org.npuc.ir.type.ScalarType;

/**
 * Maps TensorFlow {@code DataType}s to IR scalar types; reference types map like their value types.
 */
final class DataTypes {
  private DataTypes() {}

  /**
   * The IR type for {@code dt}, or null when npuc has no such element type (strings, complex,
   * resources).
   */
  static ScalarType toScalar(DataType dt) {
    int n = dt.getNumber();
    if (n > 100) n -= 100; // DT_*_REF
    switch (n) {
      case 1:
        return ScalarType.F32;
      case 2:
        return ScalarType.F64;
      case 19:
        return ScalarType.F16;
      case 14:
        return ScalarType.F32; // bfloat16 values are widened to f32 exactly
      case 3:
        return ScalarType.I32;
      case 9:
        return ScalarType.I64;
      case 6:
      case 11:
        return ScalarType.I8;
      case 4:
      case 12:
        return ScalarType.U8;
      case 5:
      case 15:
        return ScalarType.I16;
      case 17:
      case 16:
        return ScalarType.U16;
      case 13:
        return ScalarType.I32;
      case 10:
        return ScalarType.BOOL;
      default:
        return null;
    }
  }

  /** The TF spelling without {@code DT_}, lower case ({@code float}, {@code int32}). */
  static String describe(DataType dt) {
    String s = dt.name();
    return s.startsWith("DT_") ? s.substring(3).toLowerCase() : s.toLowerCase();
  }
}

package org.npuc.frontend.tensorflow;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.npuc.frontend.tensorflow.proto.DataType;
import org.npuc.frontend.tensorflow.proto.TensorProto;
import org.npuc.frontend.tensorflow.proto.TensorShapeProto;
import org.npuc.ir.Half;
import org.npuc.ir.Tensor;
import org.npuc.ir.type.ScalarType;

/**
 * Decodes TensorFlow {@code TensorProto}s into IR tensors: raw little-endian {@code tensor_content}
 * or the typed value lists, where a shorter list is padded with its last element as TensorFlow
 * does.
 */
final class TensorProtos {
  /** Above this many elements (1 GiB of f32) a constant is refused rather than allocated. */
  static final long MAX_ELEMENTS = 1L << 28;

  private TensorProtos() {}

  /** The dims of a shape proto; -1 for unknown; null when the rank is unknown. */
  static int[] dims(TensorShapeProto shape) {
    if (shape.getUnknownRank()) return null;
    int[] d = new int[shape.getDimCount()];
    for (int i = 0; i < d.length; i++) {
      long v = shape.getDim(i).getSize();
      if (v < -1 || v > Integer.MAX_VALUE)
        throw new IllegalArgumentException("dimension " + v + " is out of range");
      d[i] = (int) v;
    }
    return d;
  }

  /** True when the proto carries element values (raw content or any typed list). */
  static boolean hasData(TensorProto t) {
    return !t.getTensorContent().isEmpty()
        || t.getFloatValCount() > 0
        || t.getDoubleValCount() > 0
        || t.getIntValCount() > 0
        || t.getInt64ValCount() > 0
        || t.getBoolValCount() > 0
        || t.getHalfValCount() > 0
        || t.getStringValCount() > 0
        || t.getUint32ValCount() > 0
        || t.getUint64ValCount() > 0;
  }

  /** Decodes {@code t}; throws IllegalArgumentException with a reason when it is malformed. */
  static Tensor decode(TensorProto t) {
    DataType dt = t.getDtype();
    ScalarType st = DataTypes.toScalar(dt);
    if (st == null)
      throw new IllegalArgumentException(
          "tensors of type " + DataTypes.describe(dt) + " are not supported");
    int[] shape = dims(t.getTensorShape());
    if (shape == null) throw new IllegalArgumentException("constant has an unknown rank");
    long count = 1;
    for (int d : shape) {
      if (d < 0) throw new IllegalArgumentException("constant has an unknown dimension");
      count *= d;
      if (count > MAX_ELEMENTS)
        throw new IllegalArgumentException("constant is too large (" + count + "+ elements)");
    }
    int n = (int) count;
    ByteString content = t.getTensorContent();
    int base = dt.getNumber() > 100 ? dt.getNumber() - 100 : dt.getNumber();
    if (!content.isEmpty()) return fromBytes(content, base, st, shape, n);
    if (st.isFloat()) {
      float[] f = new float[n];
      switch (base) {
        case 1 -> fill(f, t.getFloatValCount(), i -> t.getFloatVal(i));
        case 2 -> fill(f, t.getDoubleValCount(), i -> (float) t.getDoubleVal(i));
        case 19 -> fill(f, t.getHalfValCount(), i -> Half.toFloat(t.getHalfVal(i)));
        case 14 -> fill(f, t.getHalfValCount(), i -> Float.intBitsToFloat(t.getHalfVal(i) << 16));
        default -> throw new IllegalArgumentException("unexpected float type " + dt);
      }
      return Tensor.ofFloats(shape, st, f);
    }
    int[] v = new int[n];
    switch (base) {
      case 9 -> fillInt(v, t.getInt64ValCount(), i -> toInt(t.getInt64Val(i)));
      case 10 -> fillInt(v, t.getBoolValCount(), i -> t.getBoolVal(i) ? 1 : 0);
      default -> fillInt(v, t.getIntValCount(), t::getIntVal);
    }
    return Tensor.ofInts(shape, st, v);
  }

  private static Tensor fromBytes(ByteString content, int base, ScalarType st, int[] shape, int n) {
    int width =
        switch (base) {
          case 1, 3, 13 -> 4;
          case 2, 9 -> 8;
          case 19, 14, 5, 15, 17, 16 -> 2;
          default -> 1;
        };
    if ((long) n * width != content.size()) {
      throw new IllegalArgumentException(
          "tensor_content holds "
              + content.size()
              + " bytes, expected "
              + ((long) n * width)
              + " for "
              + n
              + " elements");
    }
    ByteBuffer b = content.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    if (st.isFloat()) {
      float[] f = new float[n];
      for (int i = 0; i < n; i++) {
        f[i] =
            switch (base) {
              case 1 -> b.getFloat();
              case 2 -> (float) b.getDouble();
              case 19 -> Half.toFloat(b.getShort() & 0xffff);
              default -> Float.intBitsToFloat((b.getShort() & 0xffff) << 16);
            };
      }
      return Tensor.ofFloats(shape, st, f);
    }
    int[] v = new int[n];
    for (int i = 0; i < n; i++) {
      v[i] =
          switch (base) {
            case 3, 13 -> b.getInt();
            case 9 -> toInt(b.getLong());
            case 5, 15 -> b.getShort();
            case 17, 16 -> b.getShort() & 0xffff;
            case 6, 11 -> b.get();
            default -> b.get() & 0xff; // uint8, quint8, bool
          };
    }
    return Tensor.ofInts(shape, st, v);
  }

  private static int toInt(long v) {
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("int64 value " + v + " does not fit in 32 bits");
    }
    return (int) v;
  }

  private interface FloatAt {
    float get(int i);
  }

  private interface IntAt {
    int get(int i);
  }

  private static void fill(float[] out, int have, FloatAt at) {
    if (have > out.length)
      throw new IllegalArgumentException("has " + have + " values for " + out.length + " elements");
    for (int i = 0; i < out.length; i++) out[i] = have == 0 ? 0f : at.get(Math.min(i, have - 1));
  }

  private static void fillInt(int[] out, int have, IntAt at) {
    if (have > out.length)
      throw new IllegalArgumentException("has " + have + " values for " + out.length + " elements");
    for (int i = 0; i < out.length; i++) out[i] = have == 0 ? 0 : at.get(Math.min(i, have - 1));
  }
}

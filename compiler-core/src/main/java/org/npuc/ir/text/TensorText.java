package org.npuc.ir.text;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import org.npuc.ir.Half;
import org.npuc.ir.Tensor;
import org.npuc.ir.type.ScalarType;
import org.npuc.ir.type.TensorType;

/**
 * Tensor literals in the IR text: {@code dense<[[1.0, 2.0], [3.0, 4.0]]>} for small tensors, {@code
 * dense<0.0>} for splats, {@code dense<b64"...">} (little-endian element bytes) for the rest. Every
 * form reads back bit for bit; base64 is streamed so 10M-element constants print in linear time and
 * constant memory.
 */
final class TensorText {
  private TensorText() {}

  /** Tensors of at most this many elements print inline as numbers. */
  static final int INLINE_MAX = 16;

  /** Up to this many inline elements get the (slower) shortest decimal form. */
  private static final int SHORTEST_MAX = 4096;

  private static final int CANONICAL_NAN = Float.floatToRawIntBits(Float.NaN);

  /** Bytes per element in the base64 form: the storage type's width. */
  static int byteWidth(ScalarType storage) {
    return switch (storage) {
      case BOOL, I8, U8 -> 1;
      case F16, I16, U16 -> 2;
      case F32, I32 -> 4;
      case F64, I64 -> 8;
    };
  }

  /** True when every element is the same bits (a splat prints as one number). */
  static boolean isSplat(Tensor t) {
    int n = t.size();
    if (n < 2) return false;
    if (t.isFloat()) {
      float[] f = t.floats();
      int b = Float.floatToRawIntBits(f[0]);
      if (Float.isNaN(f[0]) && b != CANONICAL_NAN) return false;
      for (int i = 1; i < n; i++) if (Float.floatToRawIntBits(f[i]) != b) return false;
    } else {
      int[] v = t.ints();
      for (int i = 1; i < n; i++) if (v[i] != v[0]) return false;
    }
    return true;
  }

  /** Writes {@code dense<...>}, choosing the inline, splat or base64 form. */
  static void write(Tensor t, Appendable out) throws IOException {
    out.append("dense<");
    int n = t.size();
    if (isSplat(t)) {
      out.append(element(t, 0, true));
    } else if (n <= INLINE_MAX && !hasOddNan(t)) {
      writeNested(t, out);
    } else if (canBase64(t)) {
      writeBase64(t, out);
    } else {
      // Values the storage width cannot hold (an f16 tensor with f32-only values, an int outside
      // its type's range): only the numbers keep them.
      writeNested(t, out);
    }
    out.append('>');
  }

  /** A NaN other than the canonical one: its payload survives only in base64. */
  private static boolean hasOddNan(Tensor t) {
    if (!t.isFloat()) return false;
    for (float f : t.floats())
      if (Float.isNaN(f) && Float.floatToRawIntBits(f) != CANONICAL_NAN) return true;
    return false;
  }

  static boolean canBase64(Tensor t) {
    ScalarType s = t.elementType().storageType();
    if (t.isFloat()) {
      if (s != ScalarType.F16) return true;
      for (float f : t.floats()) {
        if (Float.floatToRawIntBits(halfToFloat(floatToHalf(f))) != Float.floatToRawIntBits(f))
          return false;
      }
      return true;
    }
    long min = s.minValue();
    long max = s.maxValue();
    for (int v : t.ints()) if (v < min || v > max) return false;
    return true;
  }

  private static void writeNested(Tensor t, Appendable out) throws IOException {
    int[] shape = t.shape();
    if (shape.length == 0) {
      out.append(element(t, 0, true));
      return;
    }
    boolean shortest = t.size() <= SHORTEST_MAX;
    int[] strides = Tensor.strides(shape);
    writeLevel(t, shape, strides, 0, 0, shortest, out);
  }

  private static void writeLevel(
      Tensor t, int[] shape, int[] strides, int dim, int base, boolean shortest, Appendable out)
      throws IOException {
    out.append('[');
    for (int i = 0; i < shape[dim]; i++) {
      if (i > 0) out.append(", ");
      int at = base + i * strides[dim];
      if (dim == shape.length - 1) {
        out.append(element(t, at, shortest));
      } else {
        writeLevel(t, shape, strides, dim + 1, at, shortest, out);
      }
    }
    out.append(']');
  }

  private static String element(Tensor t, int i, boolean shortest) {
    if (!t.isFloat()) return Integer.toString(t.ints()[i]);
    float f = t.floats()[i];
    if (shortest || Float.isNaN(f) || Float.isInfinite(f)) return TextFormat.formatFloat(f);
    return Float.toString(f); // round-trips too, only not always the shortest
  }

  private static void writeBase64(Tensor t, Appendable out) throws IOException {
    ScalarType s = t.elementType().storageType();
    int n = t.size();
    // Chunks are a multiple of 3 bytes so that only the last one carries padding.
    int perChunk = 3 * 1024;
    ByteBuffer buf = ByteBuffer.allocate(perChunk * 8).order(ByteOrder.LITTLE_ENDIAN);
    Base64.Encoder enc = Base64.getEncoder();
    byte[] encoded = new byte[4 * perChunk * 8 / 3 + 4];
    char[] chars = new char[encoded.length];
    out.append("b64\"");
    for (int start = 0; start < n; start += perChunk) {
      int end = Math.min(n, start + perChunk);
      buf.clear();
      for (int i = start; i < end; i++) putElement(t, s, i, buf);
      byte[] raw = new byte[buf.position()];
      buf.flip();
      buf.get(raw);
      int len = enc.encode(raw, encoded);
      for (int k = 0; k < len; k++) chars[k] = (char) encoded[k];
      out.append(new String(chars, 0, len));
    }
    out.append('"');
  }

  private static void putElement(Tensor t, ScalarType s, int i, ByteBuffer buf) {
    switch (s) {
      case F32 -> buf.putInt(Float.floatToRawIntBits(t.floats()[i]));
      case F16 -> buf.putShort((short) floatToHalf(t.floats()[i]));
      case F64 -> buf.putLong(Double.doubleToRawLongBits(t.floats()[i]));
      case BOOL, I8, U8 -> buf.put((byte) t.ints()[i]);
      case I16, U16 -> buf.putShort((short) t.ints()[i]);
      case I32 -> buf.putInt(t.ints()[i]);
      case I64 -> buf.putLong(t.ints()[i]);
    }
  }

  /**
   * The tensor of {@code type} whose elements are the little-endian bytes {@code raw}; null when
   * the byte count is wrong. An i64 element outside the int range (the in-memory storage) throws
   * {@link ArithmeticException} whose message is the element index.
   */
  static Tensor fromBytes(byte[] raw, TensorType type, int count) {
    ScalarType s = type.elementType().storageType();
    if ((long) count * byteWidth(s) != raw.length) return null;
    ByteBuffer buf = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
    int[] shape = type.shape();
    if (s.isFloat()) {
      float[] f = new float[count];
      switch (s) {
        case F32 -> buf.asFloatBuffer().get(f);
        case F16 -> {
          for (int i = 0; i < count; i++) f[i] = halfToFloat(buf.getShort() & 0xffff);
        }
        default -> {
          for (int i = 0; i < count; i++) f[i] = (float) buf.getDouble();
        }
      }
      return tensor(shape, type, f, null);
    }
    int[] v = new int[count];
    switch (s) {
      case BOOL, I8 -> {
        for (int i = 0; i < count; i++) v[i] = buf.get();
      }
      case U8 -> {
        for (int i = 0; i < count; i++) v[i] = buf.get() & 0xff;
      }
      case I16 -> {
        for (int i = 0; i < count; i++) v[i] = buf.getShort();
      }
      case U16 -> {
        for (int i = 0; i < count; i++) v[i] = buf.getShort() & 0xffff;
      }
      case I32 -> buf.asIntBuffer().get(v);
      default -> {
        for (int i = 0; i < count; i++) {
          long l = buf.getLong();
          if (l != (int) l) throw new ArithmeticException(Integer.toString(i));
          v[i] = (int) l;
        }
      }
    }
    return tensor(shape, type, null, v);
  }

  /** {@link Half#fromFloat}, except that a NaN keeps its sign and its top 10 payload bits. */
  static int floatToHalf(float f) {
    if (!Float.isNaN(f)) return Half.fromFloat(f);
    int bits = Float.floatToRawIntBits(f);
    int payload = (bits >>> 13) & 0x3ff;
    return ((bits >>> 16) & 0x8000) | 0x7c00 | (payload == 0 ? 0x200 : payload);
  }

  /** {@link Half#toFloat}, except that a NaN keeps its sign and payload. */
  static float halfToFloat(int h) {
    if ((h & 0x7c00) != 0x7c00 || (h & 0x3ff) == 0) return Half.toFloat(h);
    return Float.intBitsToFloat(((h & 0x8000) << 16) | 0x7f800000 | ((h & 0x3ff) << 13));
  }

  static Tensor tensor(int[] shape, TensorType type, float[] floats, int[] ints) {
    if (floats != null) {
      Tensor t = Tensor.ofFloats(shape, floats);
      return type.elementType() == ScalarType.F32 ? t : t.withElementType(type.elementType());
    }
    return Tensor.ofInts(shape, type.elementType(), ints);
  }
}

package org.npuc.target.binary;

import java.util.Map;
import org.npuc.ir.Attributes;
import org.npuc.ir.Tensor;
import org.npuc.ir.type.CalibratedType;
import org.npuc.ir.type.ElementType;
import org.npuc.ir.type.ScalarType;
import org.npuc.ir.type.TensorType;
import org.npuc.ir.type.UniformPerAxisType;
import org.npuc.ir.type.UniformQuantType;
import org.npuc.target.lower.Layouts;

/** Encodes tensor types, attribute values and tensors in the binary (see docs/binary-format.md). */
final class ValueCodec {
  private ValueCodec() {}

  static void writeType(ByteSink s, TensorType t) {
    s.i32(t.rank());
    for (int d : t.shape()) s.i32(d);
    writeElement(s, t.elementType());
  }

  static void writeElement(ByteSink s, ElementType e) {
    if (e instanceof ScalarType st) {
      s.u8(0).str(st.toText());
    } else if (e instanceof UniformQuantType u) {
      s.u8(1).str(u.storageType().toText()).str(u.expressedType().toText()).f64(u.scale()).i64(u.zeroPoint());
      s.i64(u.storageMin()).i64(u.storageMax());
    } else if (e instanceof UniformPerAxisType p) {
      s.u8(2).str(p.storageType().toText()).str(p.expressedType().toText()).i32(p.axis()).i32(p.channels());
      for (double d : p.scales()) s.f64(d);
      for (long z : p.zeroPoints()) s.i64(z);
      s.i64(p.storageMin()).i64(p.storageMax());
    } else if (e instanceof CalibratedType c) {
      s.u8(3).str(c.expressedType().toText()).f64(c.min()).f64(c.max());
    } else {
      throw new IllegalArgumentException("element type " + e.toText());
    }
  }

  static TensorType readType(ByteSource in) {
    int rank = in.i32();
    if (rank < 0 || rank > 16) throw in.corrupt("tensor rank " + rank);
    int[] shape = new int[rank];
    for (int i = 0; i < rank; i++) {
      shape[i] = in.i32();
      if (shape[i] < -1) throw in.corrupt("dimension " + shape[i]);
    }
    return new TensorType(shape, readElement(in));
  }

  private static ScalarType scalar(ByteSource in) {
    String text = in.str();
    try {
      return ScalarType.fromText(text);
    } catch (RuntimeException e) {
      throw in.corrupt("unknown element type '" + text + "'");
    }
  }

  static ElementType readElement(ByteSource in) {
    int tag = in.u8();
    try {
      switch (tag) {
        case 0:
          return scalar(in);
        case 1: {
          ScalarType st = scalar(in);
          ScalarType ex = scalar(in);
          double scale = in.f64();
          long zp = in.i64();
          return new UniformQuantType(st, ex, scale, zp, in.i64(), in.i64());
        }
        case 2: {
          ScalarType st = scalar(in);
          ScalarType ex = scalar(in);
          int axis = in.i32();
          int n = in.count(16);
          double[] scales = new double[n];
          long[] zps = new long[n];
          for (int i = 0; i < n; i++) scales[i] = in.f64();
          for (int i = 0; i < n; i++) zps[i] = in.i64();
          return new UniformPerAxisType(st, ex, axis, scales, zps, in.i64(), in.i64());
        }
        case 3:
          return new CalibratedType(scalar(in), in.f64(), in.f64());
        default:
          throw in.corrupt("unknown element type tag " + tag);
      }
    } catch (IllegalArgumentException e) {
      throw in.corrupt("bad quantization parameters: " + e.getMessage());
    }
  }

  static void writeTensor(ByteSink s, Tensor t) {
    writeType(s, t.type());
    s.bytes(Layouts.encode(t, "row-major"));
  }

  static Tensor readTensor(ByteSource in) {
    TensorType type = readType(in);
    long bytes = Layouts.bytes(type, "row-major");
    if (bytes < 0 || bytes > in.remaining()) throw in.corrupt("tensor attribute of " + type.toText() + " does not fit");
    return Layouts.decode(in.bytes((int) bytes), 0, type, "row-major");
  }

  static void writeAttributes(ByteSink s, Attributes a) {
    s.i32(a.keys().size());
    for (Map.Entry<String, Object> e : a.asMap().entrySet()) {
      s.str(e.getKey());
      Object v = e.getValue();
      if (v instanceof Long l) {
        s.u8(1).i64(l);
      } else if (v instanceof Double d) {
        s.u8(2).f64(d);
      } else if (v instanceof Boolean b) {
        s.u8(3).u8(b ? 1 : 0);
      } else if (v instanceof String str) {
        s.u8(4).str(str);
      } else if (v instanceof long[] arr) {
        s.u8(5).i32(arr.length);
        for (long x : arr) s.i64(x);
      } else if (v instanceof double[] arr) {
        s.u8(6).i32(arr.length);
        for (double x : arr) s.f64(x);
      } else if (v instanceof String[] arr) {
        s.u8(7).i32(arr.length);
        for (String x : arr) s.str(x);
      } else if (v instanceof Tensor t) {
        s.u8(8);
        writeTensor(s, t);
      } else if (v instanceof TensorType t) {
        s.u8(9);
        writeType(s, t);
      } else {
        throw new IllegalArgumentException("attribute " + e.getKey() + " of type " + v.getClass());
      }
    }
  }

  static Attributes readAttributes(ByteSource in) {
    int n = in.count(6);
    Attributes a = new Attributes();
    for (int i = 0; i < n; i++) {
      String key = in.str();
      int tag = in.u8();
      Object v;
      switch (tag) {
        case 1 -> v = in.i64();
        case 2 -> v = in.f64();
        case 3 -> v = in.u8() != 0;
        case 4 -> v = in.str();
        case 5 -> {
          long[] arr = new long[in.count(8)];
          for (int k = 0; k < arr.length; k++) arr[k] = in.i64();
          v = arr;
        }
        case 6 -> {
          double[] arr = new double[in.count(8)];
          for (int k = 0; k < arr.length; k++) arr[k] = in.f64();
          v = arr;
        }
        case 7 -> {
          String[] arr = new String[in.count(4)];
          for (int k = 0; k < arr.length; k++) arr[k] = in.str();
          v = arr;
        }
        case 8 -> v = readTensor(in);
        case 9 -> v = readType(in);
        default -> throw in.corrupt("attribute '" + key + "' has unknown tag " + tag);
      }
      a.set(key, v);
    }
    return a;
  }
}

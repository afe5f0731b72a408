package org.npuc.frontend.tflite;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A bounds-checked view of one FlatBuffers table. Every read checks the vtable, the field offset
 * and the referenced vector or string against the buffer, so a corrupt or truncated file becomes a
 * {@link CorruptModelException} naming what was being read, never an out-of-bounds crash.
 */
final class FlatTable {
  private final ByteBuffer buf;
  private final int pos;
  private final int vtable;
  private final int vtableSize;
  private final int inlineSize;
  private final String what;

  private FlatTable(ByteBuffer buf, int pos, String what) {
    this.buf = buf;
    this.pos = pos;
    this.what = what;
    check(pos, 4, "table start");
    long vt = (long) pos - buf.getInt(pos);
    if (vt < 0 || vt + 4 > buf.limit()) throw corrupt("its vtable lies outside the file (at " + vt + ")");
    this.vtable = (int) vt;
    this.vtableSize = Short.toUnsignedInt(buf.getShort(vtable));
    this.inlineSize = Short.toUnsignedInt(buf.getShort(vtable + 2));
    if (vtableSize < 4 || (vtableSize & 1) != 0 || vtable + vtableSize > buf.limit()) {
      throw corrupt("its vtable has a bad size " + vtableSize);
    }
    if (inlineSize < 4 || (long) pos + inlineSize > buf.limit()) throw corrupt("its inline data runs past the end of the file");
  }

  /** The root table of a FlatBuffer file. */
  static FlatTable root(ByteBuffer buf, String what) {
    ByteBuffer b = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    if (b.limit() < 8) throw new CorruptModelException("the file is " + b.limit() + " bytes long, too short for a FlatBuffer");
    long rootPos = Integer.toUnsignedLong(b.getInt(0));
    if (rootPos + 4 > b.limit()) throw new CorruptModelException("the root table offset " + rootPos + " lies outside the file (truncated file?)");
    return new FlatTable(b, (int) rootPos, what);
  }

  String what() {
    return what;
  }

  private CorruptModelException corrupt(String msg) {
    return new CorruptModelException(what + ": " + msg);
  }

  private void check(long at, long size, String field) {
    if (at < 0 || size < 0 || at + size > buf.limit()) {
      throw corrupt(field + " at byte " + at + " (+" + size + ") lies outside the file of " + buf.limit() + " bytes (truncated or corrupt file)");
    }
  }

  /** The absolute position of field {@code id}, or 0 when the field is absent. */
  private int field(int id) {
    int slot = 4 + 2 * id;
    if (slot + 2 > vtableSize) return 0;
    int off = Short.toUnsignedInt(buf.getShort(vtable + slot));
    if (off == 0) return 0;
    if (off >= inlineSize) throw corrupt("field " + id + " has offset " + off + " beyond the table's " + inlineSize + " bytes");
    return pos + off;
  }

  boolean has(int id) {
    return field(id) != 0;
  }

  int getInt(int id, int dflt) {
    int p = field(id);
    if (p == 0) return dflt;
    check(p, 4, "field " + id);
    return buf.getInt(p);
  }

  long getUint(int id, long dflt) {
    int p = field(id);
    if (p == 0) return dflt;
    check(p, 4, "field " + id);
    return Integer.toUnsignedLong(buf.getInt(p));
  }

  long getLong(int id, long dflt) {
    int p = field(id);
    if (p == 0) return dflt;
    check(p, 8, "field " + id);
    return buf.getLong(p);
  }

  int getByte(int id, int dflt) {
    int p = field(id);
    if (p == 0) return dflt;
    check(p, 1, "field " + id);
    return buf.get(p);
  }

  int getUbyte(int id, int dflt) {
    return getByte(id, dflt) & 0xff;
  }

  boolean getBool(int id, boolean dflt) {
    int p = field(id);
    if (p == 0) return dflt;
    check(p, 1, "field " + id);
    return buf.get(p) != 0;
  }

  float getFloat(int id, float dflt) {
    int p = field(id);
    if (p == 0) return dflt;
    check(p, 4, "field " + id);
    return buf.getFloat(p);
  }

  /** Follows the uoffset stored at {@code p}; returns the absolute target. */
  private int indirect(int p, String field) {
    check(p, 4, field);
    long target = p + Integer.toUnsignedLong(buf.getInt(p));
    check(target, 4, field + " target");
    return (int) target;
  }

  FlatTable table(int id, String childWhat) {
    int p = field(id);
    if (p == 0) return null;
    return new FlatTable(buf, indirect(p, "field " + id), childWhat);
  }

  /** Start and length of vector field {@code id} with elements of {@code elemSize} bytes, or null. */
  private int[] vector(int id, int elemSize) {
    int p = field(id);
    if (p == 0) return null;
    int v = indirect(p, "vector field " + id);
    long len = Integer.toUnsignedLong(buf.getInt(v));
    check(v + 4L, len * elemSize, "vector field " + id + " of " + len + " elements");
    return new int[] {v + 4, (int) len};
  }

  int vectorLength(int id) {
    int[] v = vector(id, 4);
    return v == null ? 0 : v[1];
  }

  /** Element {@code i} of a vector of tables. */
  FlatTable tableAt(int id, int i, String childWhat) {
    int[] v = vector(id, 4);
    if (v == null || i < 0 || i >= v[1]) throw corrupt("no element " + i + " in vector field " + id);
    return new FlatTable(buf, indirect(v[0] + 4 * i, "element " + i + " of field " + id), childWhat);
  }

  int[] ints(int id) {
    int[] v = vector(id, 4);
    if (v == null) return null;
    int[] r = new int[v[1]];
    for (int i = 0; i < r.length; i++) r[i] = buf.getInt(v[0] + 4 * i);
    return r;
  }

  long[] longs(int id) {
    int[] v = vector(id, 8);
    if (v == null) return null;
    long[] r = new long[v[1]];
    for (int i = 0; i < r.length; i++) r[i] = buf.getLong(v[0] + 8 * i);
    return r;
  }

  float[] floats(int id) {
    int[] v = vector(id, 4);
    if (v == null) return null;
    float[] r = new float[v[1]];
    for (int i = 0; i < r.length; i++) r[i] = buf.getFloat(v[0] + 4 * i);
    return r;
  }

  /** A little-endian view of a byte vector, or null when absent. */
  ByteBuffer bytes(int id) {
    int[] v = vector(id, 1);
    if (v == null) return null;
    ByteBuffer b = buf.duplicate();
    b.position(v[0]).limit(v[0] + v[1]);
    return b.slice().order(ByteOrder.LITTLE_ENDIAN);
  }

  /** A little-endian view of {@code size} bytes at absolute file offset {@code offset}. */
  ByteBuffer bytesAt(long offset, long size, String field) {
    check(offset, size, field);
    ByteBuffer b = buf.duplicate();
    b.position((int) offset).limit((int) (offset + size));
    return b.slice().order(ByteOrder.LITTLE_ENDIAN);
  }

  String string(int id) {
    int[] v = vector(id, 1);
    if (v == null) return null;
    byte[] b = new byte[v[1]];
    buf.duplicate().position(v[0]).get(b);
    return new String(b, StandardCharsets.UTF_8);
  }
}

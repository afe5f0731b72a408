package org.npuc.target.binary;

import java.nio.charset.StandardCharsets;
import org.npuc.diag.UserError;

/** A bounds-checked little-endian reader over one section; every overrun is a {@link UserError}. */
final class ByteSource {
  private final byte[] data;
  private final int end;
  private final String where;
  private int pos;

  ByteSource(byte[] data, int start, int end, String where) {
    this.data = data;
    this.pos = start;
    this.end = end;
    this.where = where;
  }

  int position() {
    return pos;
  }

  int remaining() {
    return end - pos;
  }

  private void need(long n) {
    if (n < 0 || pos + n > end) throw corrupt("truncated (needs " + n + " more bytes at offset " + pos + ")");
  }

  UserError corrupt(String what) {
    return new UserError(where + " is corrupt: " + what);
  }

  int u8() {
    need(1);
    return data[pos++] & 0xff;
  }

  int u16() {
    return u8() | (u8() << 8);
  }

  int i32() {
    return u16() | (u16() << 16);
  }

  long i64() {
    return (i32() & 0xffffffffL) | ((long) i32() << 32);
  }

  double f64() {
    return Double.longBitsToDouble(i64());
  }

  /** A count that must be plausible: non-negative and at most what the section can still hold. */
  int count(int minBytesEach) {
    int n = i32();
    if (n < 0 || (long) n * Math.max(1, minBytesEach) > remaining()) throw corrupt("count " + n + " does not fit the section");
    return n;
  }

  String str() {
    int n = count(1);
    String s = new String(data, pos, n, StandardCharsets.UTF_8);
    pos += n;
    return s;
  }

  byte[] bytes(int n) {
    need(n);
    byte[] b = new byte[n];
    System.arraycopy(data, pos, b, 0, n);
    pos += n;
    return b;
  }
}

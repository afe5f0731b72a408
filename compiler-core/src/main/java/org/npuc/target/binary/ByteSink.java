package org.npuc.target.binary;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** A growable little-endian byte buffer for the binary writer. */
final class ByteSink {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  int size() {
    return out.size();
  }

  ByteSink u8(int v) {
    out.write(v & 0xff);
    return this;
  }

  ByteSink u16(int v) {
    return u8(v).u8(v >>> 8);
  }

  ByteSink i32(int v) {
    return u16(v).u16(v >>> 16);
  }

  ByteSink i64(long v) {
    return i32((int) v).i32((int) (v >>> 32));
  }

  ByteSink f64(double v) {
    return i64(Double.doubleToLongBits(v));
  }

  ByteSink str(String s) {
    byte[] b = (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
    i32(b.length);
    out.write(b, 0, b.length);
    return this;
  }

  ByteSink bytes(byte[] b) {
    out.write(b, 0, b.length);
    return this;
  }

  ByteSink padTo(long alignment) {
    while (alignment > 1 && out.size() % alignment != 0) out.write(0);
    return this;
  }

  byte[] toByteArray() {
    return out.toByteArray();
  }
}

package org.npuc.target.binary;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/** Constants of the npuc binary container (docs/binary-format.md). */
public final class BinaryFormat {
  /** The first 8 bytes: "NPUB", CR LF (catches text-mode copies), 0x1A, LF. */
  public static final byte[] MAGIC = {'N', 'P', 'U', 'B', 0x0D, 0x0A, 0x1A, 0x0A};

  public static final int MAJOR = 1;
  public static final int MINOR = 0;
  /** Sections start at multiples of this. */
  public static final int SECTION_ALIGN = 64;
  /** Fixed header: magic, major, minor, section count, file length. */
  public static final int HEADER_BYTES = 8 + 2 + 2 + 4 + 8;
  /** One directory entry: 4-byte tag, offset, length. */
  public static final int DIR_ENTRY_BYTES = 4 + 8 + 8;
  /** SHA-256 trailer. */
  public static final int TRAILER_BYTES = 32;

  /** Section tags in file order; all are required in format 1. */
  public static final List<String> SECTIONS = List.of("HEAD", "TENS", "WGHT", "CMDS", "MEMP", "META");

  private BinaryFormat() {}

  /** True when {@code head} starts with the magic. */
  public static boolean hasMagic(byte[] head) {
    if (head.length < MAGIC.length) return false;
    for (int i = 0; i < MAGIC.length; i++) if (head[i] != MAGIC[i]) return false;
    return true;
  }

  static int tag(String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    return (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24;
  }

  static byte[] sha256(byte[] data, int len) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(data, 0, len);
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The npuc version written into headers: the jar's implementation version, or {@code dev}. */
  public static String compilerVersion() {
    String v = BinaryFormat.class.getPackage().getImplementationVersion();
    return v != null ? v : "dev";
  }
}

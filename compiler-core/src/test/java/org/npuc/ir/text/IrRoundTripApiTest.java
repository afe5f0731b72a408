package org.npuc.ir.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.npuc.ir.Attributes;
import org.npuc.ir.Graph;
import org.npuc.ir.GraphEquivalence;
import org.npuc.ir.Half;
import org.npuc.ir.Location;
import org.npuc.ir.Tensor;
import org.npuc.ir.Value;
import org.npuc.ir.type.CalibratedType;
import org.npuc.ir.type.ElementType;
import org.npuc.ir.type.ScalarType;
import org.npuc.ir.type.TensorType;
import org.npuc.ir.type.UniformPerAxisType;
import org.npuc.ir.type.UniformQuantType;

/**
 * Graphs built through the API print and parse back to the same graph: awkward doubles, every
 * element type, constants in every encoding (inline, splat, base64), NaN payloads, locations.
 */
class IrRoundTripApiTest {

  /** Prints in full, parses, and compares the parsed graph with the original. */
  static Graph roundTrip(Graph g) {
    String text = IrPrinter.full().print(g);
    Graph back = IrParser.parse(text, "api.npuir", IrRoundTripTest.OPS);
    assertNull(GraphEquivalence.firstDifference(g, back), () -> "printed:\n" + text);
    assertEquals(text, IrPrinter.full().print(back));
    return back;
  }

  static Value constant(Graph g, String name, Tensor t) {
    return g.append(
            "constant", List.of(), Attributes.of("value", t), List.of(t.type()), Location.of(name))
        .result()
        .setName(name);
  }

  @Test
  void awkwardDoublesInAttributesAndTypes() {
    Graph g = new Graph("doubles");
    double[] awkward = {
      0.1, 1e-45, 1.0 / 3, Double.MIN_VALUE, Double.MAX_VALUE, -0.0, 1e300, 2.0 / 3e-300
    };
    g.attributes().set("awkward", awkward).set("third", 1.0 / 3);
    ElementType[] types = {
      UniformQuantType.of(ScalarType.I8, 0.1, -3),
      UniformQuantType.of(ScalarType.U8, 1e-45, 128),
      new UniformQuantType(ScalarType.I8, ScalarType.F32, 1.0 / 3, 0, -127, 127),
      new UniformQuantType(ScalarType.I16, ScalarType.F16, Double.MIN_VALUE, 7, -1000, 1000),
      new UniformPerAxisType(
          ScalarType.I8,
          ScalarType.F32,
          1,
          new double[] {0.1, 1e-45, 1.0 / 3},
          new long[] {0, -1, 1},
          -127,
          127),
      new CalibratedType(ScalarType.F32, -1.0 / 3, 0.1),
      new CalibratedType(ScalarType.F32, Double.NEGATIVE_INFINITY, 1e-45),
    };
    Random r = new Random(7);
    for (int i = 0; i < types.length; i++) {
      Value in =
          g.append(
                  "input",
                  List.of(),
                  Attributes.of("name", "in" + i),
                  List.of(TensorType.of(types[i], 2, 3)),
                  null)
              .result()
              .setName("in" + i);
      double d = Double.longBitsToDouble(r.nextLong() & 0x7fefffffffffffffL);
      g.append(
          "test.multi",
          List.of(in),
          Attributes.of("random", d, "awkward", awkward[i]),
          List.of(in.type()),
          null);
    }
    roundTrip(g);
  }

  @Test
  void constantsOfEveryElementTypeAndSize() {
    Graph g = new Graph("constants");
    Random r = new Random(11);
    for (int n : new int[] {0, 1, 5, 16, 17, 1000}) {
      float[] f = new float[n];
      for (int i = 0; i < n; i++) f[i] = Float.intBitsToFloat(r.nextInt()); // includes NaN payloads
      constant(g, "f32_" + n, Tensor.ofFloats(new int[] {n}, f));
      float[] h = new float[n];
      for (int i = 0; i < n; i++) h[i] = Half.toFloat(r.nextInt(0x10000));
      constant(g, "f16_" + n, Tensor.ofFloats(new int[] {n}, ScalarType.F16, h));
      float[] d = new float[n];
      for (int i = 0; i < n; i++) d[i] = (float) r.nextGaussian();
      constant(g, "f64_" + n, Tensor.ofFloats(new int[] {n}, ScalarType.F64, d));
      for (ScalarType s :
          new ScalarType[] {
            ScalarType.BOOL,
            ScalarType.I8,
            ScalarType.U8,
            ScalarType.I16,
            ScalarType.U16,
            ScalarType.I32,
            ScalarType.I64
          }) {
        int[] v = new int[n];
        for (int i = 0; i < n; i++)
          v[i] = (int) (s.minValue() + (long) (r.nextDouble() * (s.maxValue() - s.minValue() + 1)));
        if (n > 1) v[0] = (int) s.minValue();
        if (n > 2) v[1] = (int) s.maxValue();
        constant(g, s.toText() + "_" + n, Tensor.ofInts(new int[] {n}, s, v));
      }
    }
    int[] q = new int[60];
    for (int i = 0; i < q.length; i++) q[i] = r.nextInt(255) - 127;
    constant(
        g,
        "q_pa",
        Tensor.ofInts(
            new int[] {3, 20},
            new UniformPerAxisType(
                ScalarType.I8,
                ScalarType.F32,
                0,
                new double[] {0.1, 1e-45, 1.0 / 3},
                new long[] {0, 0, 0},
                -127,
                127),
            q));
    constant(
        g,
        "q_u8",
        Tensor.ofInts(new int[] {6, 10}, UniformQuantType.of(ScalarType.U8, 0.02, 128), u8(q))
            .reshape(60));
    float[] cal = new float[40];
    for (int i = 0; i < cal.length; i++) cal[i] = r.nextFloat();
    constant(
        g,
        "cal",
        Tensor.ofFloats(new int[] {2, 20}, cal)
            .withElementType(new CalibratedType(ScalarType.F32, 0, 1)));
    constant(g, "splat_zero", Tensor.zeros(TensorType.f32(64, 3, 3)));
    constant(g, "scalar", Tensor.scalar(0.1f));
    constant(
        g,
        "nan_payload_small",
        Tensor.ofFloats(
            new int[] {2},
            new float[] {Float.intBitsToFloat(0x7fc00001), Float.intBitsToFloat(0xffc00000)}));
    constant(g, "neg_zero_splat", Tensor.ofFloats(new int[] {20}, new float[20]).toFloat());
    float[] nz = new float[20];
    java.util.Arrays.fill(nz, -0.0f);
    constant(g, "neg_zero", Tensor.ofFloats(new int[] {20}, nz));
    // A constant whose result type differs from its tensor's type keeps both.
    Tensor t = Tensor.ofFloats(new int[] {2}, new float[] {1, 2});
    g.append(
        "constant",
        List.of(),
        Attributes.of("value", t),
        List.of(TensorType.of(new CalibratedType(ScalarType.F32, 1, 2), 2)),
        null);
    String text = IrPrinter.full().print(g);
    assertTrue(
        text.contains("%nan_payload_small = constant() {value = dense<b64\""),
        "odd NaNs keep their bits in base64");
    assertTrue(text.contains("%splat_zero = constant() {value = dense<0.0>}"), text);
    roundTrip(g);
  }

  private static int[] u8(int[] q) {
    int[] r = new int[q.length];
    for (int i = 0; i < q.length; i++) r[i] = q[i] + 127;
    return r;
  }

  @Test
  void f16ValuesThatAreNotHalvesPrintInline() {
    Graph g = new Graph("f16");
    float[] f = new float[40];
    for (int i = 0; i < f.length; i++) f[i] = 0.1f * i; // not representable in f16
    constant(g, "w", Tensor.ofFloats(new int[] {40}, ScalarType.F16, f));
    String text = IrPrinter.full().print(g);
    assertTrue(text.contains("dense<[0.0, 0.1, 0.2, 0.3"), text);
    roundTrip(g);
  }

  @Test
  void tensorAndTypeAttributesOnOtherOps() {
    Graph g = new Graph(null);
    Value x =
        g.append(
                "input",
                List.of(),
                Attributes.of("name", "x"),
                List.of(TensorType.f32(-1, 4)),
                Location.of("x", "model.pb"))
            .result()
            .setName("x");
    float[] big = new float[100];
    for (int i = 0; i < big.length; i++) big[i] = i * 0.01f;
    Attributes a =
        Attributes.of(
            "table",
            Tensor.ofFloats(new int[] {10, 10}, big),
            "small",
            Tensor.ofInts(new int[] {2}, ScalarType.I32, new int[] {1, -1}),
            "type",
            TensorType.of(UniformQuantType.of(ScalarType.I8, 0.5, 1), -1, 4),
            "names",
            new String[] {"a", "b\"c"},
            "none",
            new String[0],
            "axes",
            new long[0],
            "scales",
            new double[0],
            "flag",
            true);
    Value y =
        g.append(
                "test.multi",
                List.of(x, x),
                a,
                List.of(x.type(), x.type(), TensorType.f32()),
                Location.fused(Location.of("a", "f.pb"), Location.of("b")))
            .result(0);
    g.append(
        "output",
        List.of(y),
        Attributes.of("name", "y"),
        List.of(),
        new Location(List.of(), "only_file.pb"));
    roundTrip(g);
  }
}

package org.npuc.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.npuc.ir.type.ScalarType;
import org.npuc.ir.type.UniformQuantType;

class QuantParamsTest {

  @Test
  void symmetricInt8() {
    QuantParams p = QuantParams.symmetric(127.0, ScalarType.I8, false, false);
    assertEquals(new QuantParams(ScalarType.I8, 1.0, 0, -128, 127), p);
    QuantParams n = QuantParams.symmetric(63.5, ScalarType.I8, true, false);
    assertEquals(new QuantParams(ScalarType.I8, 0.5, 0, -127, 127), n);
    assertEquals(127, n.quantize(63.5));
    assertEquals(-127, n.quantize(-1000));
    assertEquals(-128, p.quantize(-1000));
    assertEquals(3, p.quantize(2.5)); // half away from zero
    assertEquals(-3, p.quantize(-2.5));
  }

  @Test
  void symmetricUint8IsInt8ShiftedBy128() {
    QuantParams p = QuantParams.symmetric(127.0, ScalarType.U8, false, false);
    assertEquals(new QuantParams(ScalarType.U8, 1.0, 128, 0, 255), p);
    assertEquals(-128.0, p.realMin());
    assertEquals(127.0, p.realMax());
    QuantParams n = QuantParams.symmetric(127.0, ScalarType.U8, true, false);
    assertEquals(new QuantParams(ScalarType.U8, 1.0, 128, 1, 255), n);
  }

  @Test
  void powerOfTwoScalesRoundUpSoTheRangeIsStillCovered() {
    // 1/127 = 0.00787 -> 2^-6 = 0.015625 (2^-7 = 0.0078125 would cover only 0.992)
    assertEquals(0.015625, QuantParams.symmetric(1.0, ScalarType.I8, false, true).scale());
    // an exact power of two stays: 127/64 / 127 = 2^-6
    assertEquals(0.015625, QuantParams.symmetric(127.0 / 64, ScalarType.I8, false, true).scale());
    QuantParams a = QuantParams.asymmetric(-1.0, 3.0, ScalarType.I8, false, true);
    // 4/255 = 0.0157 -> 2^-5; zp = round(-128 + 1/2^-5) = -96
    assertEquals(new QuantParams(ScalarType.I8, 0.03125, -96, -128, 127), a);
  }

  @Test
  void asymmetricMatchesTensorFlowQuantStatsExpectations() {
    // shared/models/tf/qat/EXPECTED.md (quant_stats): inputs -2..2 and -3..3, Add -1..1 become
    // u8 scales 0.015686 / 0.023529 / 0.007843, all zero point 128
    QuantParams a = QuantParams.asymmetric(-2, 2, ScalarType.U8, false, false);
    QuantParams b = QuantParams.asymmetric(-3, 3, ScalarType.U8, false, false);
    QuantParams c = QuantParams.asymmetric(-1, 1, ScalarType.U8, false, false);
    assertEquals(0.015686, a.scale(), 5e-7);
    assertEquals(0.023529, b.scale(), 5e-7);
    assertEquals(0.007843, c.scale(), 5e-7);
    assertEquals(128, a.zeroPoint());
    assertEquals(128, b.zeroPoint());
    assertEquals(128, c.zeroPoint());
  }

  @Test
  void asymmetricRangesAreWidenedToContainZero() {
    QuantParams p = QuantParams.asymmetric(2.0, 10.2, ScalarType.I8, false, false); // -> [0, 10.2]
    assertEquals(0.04, p.scale(), 1e-15);
    assertEquals(-128, p.zeroPoint());
    QuantParams q = QuantParams.asymmetric(-5.1, -1.0, ScalarType.U8, false, false); // -> [-5.1, 0]
    assertEquals(0.02, q.scale(), 1e-15);
    assertEquals(255, q.zeroPoint());
    // zero lands exactly on the grid
    QuantParams r = QuantParams.asymmetric(-0.7, 2.3, ScalarType.I8, false, false);
    assertEquals(0.0, r.dequantize(r.quantize(0.0)));
    // round(-128 + 0.7/(3/255)) = round(-68.5) = -69 (half away from zero)
    assertEquals(-69, r.zeroPoint());
  }

  @Test
  void emptyRangesGetScaleOne() {
    assertEquals(new QuantParams(ScalarType.I8, 1.0, 0, -128, 127), QuantParams.symmetric(0, ScalarType.I8, false, false));
    assertEquals(new QuantParams(ScalarType.U8, 1.0, 128, 0, 255), QuantParams.asymmetric(0, 0, ScalarType.U8, false, false));
  }

  @Test
  void toTypeAndSchemes() {
    UniformQuantType t = QuantParams.symmetric(63.5, ScalarType.I8, true, false).toType();
    assertEquals(new UniformQuantType(ScalarType.I8, ScalarType.F32, 0.5, 0, -127, 127), t);
    QuantScheme sym = new QuantScheme(ScalarType.I8, true, true, false);
    QuantScheme asym = QuantScheme.DEFAULT_ACTIVATIONS;
    assertEquals(0.5, sym.params(63.5, -1, 2).scale());
    assertEquals(3.0 / 255, asym.params(63.5, -1, 2).scale(), 1e-17);
    assertThrows(IllegalArgumentException.class, () -> new QuantScheme(ScalarType.F32, true, false, false));
    assertThrows(IllegalArgumentException.class, () -> QuantParams.symmetric(Double.NaN, ScalarType.I8, false, false));
  }
}

package org.npuc.ir.type;

import java.util.Objects;

/**
 * A float value whose range has been measured or declared (calibration, or a QAT range not yet
 * turned into integers). Text: {@code calibrated<f32, -1.0, 2.5>}.
 */
public final class CalibratedType implements QuantizedType {
  private final ScalarType expressed;
  private final double min;
  private final double max;

  public CalibratedType(ScalarType expressed, double min, double max) {
    if (!(min <= max)) throw new IllegalArgumentException("calibrated range must have min <= max: " + min + ", " + max);
    this.expressed = expressed;
    this.min = min;
    this.max = max;
  }

  public double min() {
    return min;
  }

  public double max() {
    return max;
  }

  @Override
  public ScalarType storageType() {
    return expressed;
  }

  @Override
  public ScalarType expressedType() {
    return expressed;
  }

  @Override
  public long storageMin() {
    return 0;
  }

  @Override
  public long storageMax() {
    return 0;
  }

  @Override
  public String toText() {
    return "calibrated<" + expressed.toText() + ", " + min + ", " + max + ">";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CalibratedType c
        && c.expressed == expressed
        && Double.compare(c.min, min) == 0
        && Double.compare(c.max, max) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(expressed, min, max);
  }

  @Override
  public String toString() {
    return toText();
  }
}

package org.npuc.ir.type;

import java.util.Objects;

/**
 * Per-tensor affine quantization: {@code real = scale * (stored - zeroPoint)}, with stored values
 * kept in {@code [storageMin, storageMax]}. Text: {@code uniform<i8:f32, 0.5:-3>} or, for a narrow
 * range, {@code uniform<i8<-127:127>:f32, 0.5:0>}.
 */
public final class UniformQuantType implements QuantizedType {
  private final ScalarType storage;
  private final ScalarType expressed;
  private final double scale;
  private final long zeroPoint;
  private final long storageMin;
  private final long storageMax;

  public UniformQuantType(
      ScalarType storage, ScalarType expressed, double scale, long zeroPoint, long storageMin, long storageMax) {
    if (!storage.isInteger()) throw new IllegalArgumentException("storage must be an integer type: " + storage);
    if (!(scale > 0) || Double.isInfinite(scale)) throw new IllegalArgumentException("scale must be positive: " + scale);
    if (storageMin > storageMax) throw new IllegalArgumentException("empty storage range");
    this.storage = storage;
    this.expressed = expressed;
    this.scale = scale;
    this.zeroPoint = zeroPoint;
    this.storageMin = storageMin;
    this.storageMax = storageMax;
  }

  /** Full storage range of {@code storage}, expressed in f32. */
  public static UniformQuantType of(ScalarType storage, double scale, long zeroPoint) {
    return new UniformQuantType(storage, ScalarType.F32, scale, zeroPoint, storage.minValue(), storage.maxValue());
  }

  @Override
  public ScalarType storageType() {
    return storage;
  }

  @Override
  public ScalarType expressedType() {
    return expressed;
  }

  public double scale() {
    return scale;
  }

  public long zeroPoint() {
    return zeroPoint;
  }

  @Override
  public long storageMin() {
    return storageMin;
  }

  @Override
  public long storageMax() {
    return storageMax;
  }

  @Override
  public boolean isQuantized() {
    return true;
  }

  @Override
  public String toText() {
    return "uniform<" + storageText() + ":" + expressed.toText() + ", " + scale + ":" + zeroPoint + ">";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UniformQuantType u
        && u.storage == storage
        && u.expressed == expressed
        && Double.compare(u.scale, scale) == 0
        && u.zeroPoint == zeroPoint
        && u.storageMin == storageMin
        && u.storageMax == storageMax;
  }

  @Override
  public int hashCode() {
    return Objects.hash(storage, expressed, scale, zeroPoint, storageMin, storageMax);
  }

  @Override
  public String toString() {
    return toText();
  }
}

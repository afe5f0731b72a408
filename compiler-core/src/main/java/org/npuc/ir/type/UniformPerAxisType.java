package org.npuc.ir.type;

import java.util.Arrays;
import java.util.Objects;

/**
 * Per-axis affine quantization (e.g. per output channel of a weight):
 * {@code real[.., i, ..] = scales[i] * (stored - zeroPoints[i])} along {@code axis}.
 * Text: {@code uniform_per_axis<i8<-127:127>:f32, 0, [0.5, 0.25], [0, 0]>}.
 */
public final class UniformPerAxisType implements QuantizedType {
  private final ScalarType storage;
  private final ScalarType expressed;
  private final int axis;
  private final double[] scales;
  private final long[] zeroPoints;
  private final long storageMin;
  private final long storageMax;

  public UniformPerAxisType(
      ScalarType storage,
      ScalarType expressed,
      int axis,
      double[] scales,
      long[] zeroPoints,
      long storageMin,
      long storageMax) {
    if (!storage.isInteger()) throw new IllegalArgumentException("storage must be an integer type: " + storage);
    if (scales.length != zeroPoints.length) throw new IllegalArgumentException("scales and zero points differ in length");
    for (double s : scales) {
      if (!(s > 0) || Double.isInfinite(s)) throw new IllegalArgumentException("scale must be positive: " + s);
    }
    if (storageMin > storageMax) throw new IllegalArgumentException("empty storage range");
    this.storage = storage;
    this.expressed = expressed;
    this.axis = axis;
    this.scales = scales.clone();
    this.zeroPoints = zeroPoints.clone();
    this.storageMin = storageMin;
    this.storageMax = storageMax;
  }

  @Override
  public ScalarType storageType() {
    return storage;
  }

  @Override
  public ScalarType expressedType() {
    return expressed;
  }

  public int axis() {
    return axis;
  }

  public int channels() {
    return scales.length;
  }

  public double scale(int channel) {
    return scales[channel];
  }

  public long zeroPoint(int channel) {
    return zeroPoints[channel];
  }

  public double[] scales() {
    return scales.clone();
  }

  public long[] zeroPoints() {
    return zeroPoints.clone();
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
    StringBuilder sb = new StringBuilder("uniform_per_axis<");
    sb.append(storageText()).append(':').append(expressed.toText()).append(", ").append(axis).append(", [");
    for (int i = 0; i < scales.length; i++) sb.append(i == 0 ? "" : ", ").append(scales[i]);
    sb.append("], [");
    for (int i = 0; i < zeroPoints.length; i++) sb.append(i == 0 ? "" : ", ").append(zeroPoints[i]);
    return sb.append("]>").toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UniformPerAxisType u
        && u.storage == storage
        && u.expressed == expressed
        && u.axis == axis
        && Arrays.equals(u.scales, scales)
        && Arrays.equals(u.zeroPoints, zeroPoints)
        && u.storageMin == storageMin
        && u.storageMax == storageMax;
  }

  @Override
  public int hashCode() {
    return Objects.hash(storage, expressed, axis, Arrays.hashCode(scales), Arrays.hashCode(zeroPoints), storageMin, storageMax);
  }

  @Override
  public String toString() {
    return toText();
  }
}

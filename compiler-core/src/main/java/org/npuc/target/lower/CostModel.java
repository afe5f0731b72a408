package org.npuc.target.lower;

import org.npuc.ir.type.TensorType;
import org.npuc.spi.Precision;
import org.npuc.spi.TargetSpec;

/**
 * Estimated cycles of one command from the spec's cost numbers: multiply-accumulates over the MACs
 * per cycle of its precision, plus the bytes it moves over the DMA bytes per cycle.
 */
public final class CostModel {
  private CostModel() {}

  /**
   * Multiply-accumulates of an op: conv2d and deconv2d {@code out × weights / O}, matmul
   * {@code out × K}, every other op one per output element.
   */
  public static long macs(String opcode, TensorType[] in, TensorType[] out) {
    long outElems = 0;
    for (TensorType t : out) outElems += Math.max(0, t.numElements());
    String base = opcode.contains(".") ? opcode.substring(0, opcode.indexOf('.')) : opcode;
    switch (base) {
      case "conv2d" -> {
        if (in.length > 1 && in[1].rank() == 4 && in[1].dim(0) > 0) return outElems * (in[1].numElements() / in[1].dim(0));
      }
      case "deconv2d" -> {
        if (in.length > 1 && in[1].rank() == 4 && in[0].rank() == 4 && in[0].dim(1) > 0) {
          return Math.max(0, in[0].numElements()) * (in[1].numElements() / in[0].dim(1));
        }
      }
      case "matmul" -> {
        if (in.length > 0 && in[0].rank() >= 1) return outElems * Math.max(1, in[0].dim(in[0].rank() - 1));
      }
      default -> {}
    }
    return outElems;
  }

  /** Bytes read and written by a command (inputs plus outputs, in their stored types). */
  public static long bytesMoved(TensorType[] in, TensorType[] out) {
    long n = 0;
    for (TensorType t : in) n += Math.max(0, t.numElements()) * Layouts.elementBytes(t.elementType().storageType());
    for (TensorType t : out) n += Math.max(0, t.numElements()) * Layouts.elementBytes(t.elementType().storageType());
    return n;
  }

  /** Cycles for {@code macs} at {@code precision} plus {@code bytes} of traffic. */
  public static long cycles(TargetSpec spec, Precision precision, long macs, long bytes) {
    TargetSpec.Cost c = spec.cost();
    double rate = precision == Precision.INT8 ? c.macsPerCycleInt8() : c.macsPerCycleFloat();
    double compute = macs / Math.max(1e-9, rate);
    double dma = bytes / Math.max(1e-9, c.dmaBytesPerCycle());
    return (long) Math.ceil(compute + dma);
  }
}

package org.npuc.spi;

import org.npuc.ir.type.TensorType;

/**
 * A tensor of a {@link TargetProgram}: a graph input or output, an intermediate activation (all three
 * live in the activation arena at {@code offset}) or a constant (in the weights blob at
 * {@code offset}, stored in {@code layout}).
 *
 * @param name the IR name (the model's tensor or layer name where known)
 * @param type logical shape and element type (NCHW, as in the IR)
 * @param kind where the tensor lives
 * @param layout how its bytes are arranged ({@code NCHW}, {@code NC1HWC0:16}, {@code OIHW}, ...)
 * @param offset byte offset in the arena or the weights blob (set by the memory planner / emitter)
 * @param bytes its size in bytes in that layout
 * @param data the constant's bytes in {@code layout}, little-endian; null for non-constants
 */
public record ProgramTensor(String name, TensorType type, Kind kind, String layout, long offset, long bytes, byte[] data) {
  /** Where a tensor lives. */
  public enum Kind {
    INPUT,
    OUTPUT,
    ACTIVATION,
    CONSTANT
  }

  public ProgramTensor withOffset(long newOffset) {
    return new ProgramTensor(name, type, kind, layout, newOffset, bytes, data);
  }

  public ProgramTensor withKind(Kind newKind) {
    return new ProgramTensor(name, type, newKind, layout, offset, bytes, data);
  }

  public boolean inArena() {
    return kind != Kind.CONSTANT;
  }
}

package org.npuc.spi;

import org.npuc.ir.Attributes;

/**
 * One instruction of a {@link TargetProgram}: an opcode (a core op name such as {@code conv2d}, or a
 * target opcode such as {@code conv2d.winograd}), the engine and precision it runs in, tensor ids in
 * and out, attributes (the op's attributes plus lowering decisions such as tiles), the estimated
 * cycles, and the layer it came from.
 */
public record Command(
    String opcode, String engine, Precision precision, int[] inputs, int[] outputs, Attributes attributes, long cycles, String location) {
  public Command {
    inputs = inputs.clone();
    outputs = outputs.clone();
  }

  public Command withAttributes(Attributes a) {
    return new Command(opcode, engine, precision, inputs, outputs, a, cycles, location);
  }

  public Command withOpcode(String op) {
    return new Command(op, engine, precision, inputs, outputs, attributes, cycles, location);
  }

  public Command withCycles(long c) {
    return new Command(opcode, engine, precision, inputs, outputs, attributes, c, location);
  }
}

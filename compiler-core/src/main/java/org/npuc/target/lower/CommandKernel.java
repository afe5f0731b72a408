package org.npuc.target.lower;

import org.npuc.ir.Operation;
import org.npuc.ir.Tensor;
import org.npuc.spi.Command;

/**
 * A simulator kernel for a target opcode (such as {@code conv2d.winograd}) that the reference
 * kernels do not know. {@code op} carries the command's attributes and tensor types.
 */
@FunctionalInterface
public interface CommandKernel {
  Tensor[] run(Command command, Operation op, Tensor[] inputs);
}

package org.npuc.interp;

import org.npuc.ir.Operation;
import org.npuc.ir.Tensor;

/**
 * An integer reference kernel: runs an op whose operands or results have quantized element types,
 * on stored integers, bit-exactly as the quantization scheme defines it.
 */
@FunctionalInterface
public interface QuantizedKernel {
  /** Computes the results (integer tensors carrying the results' quantized element types). */
  Tensor[] evaluate(Operation op, Tensor[] inputs);
}

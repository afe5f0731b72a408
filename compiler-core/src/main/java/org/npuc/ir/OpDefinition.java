package org.npuc.ir;

import java.util.List;
import org.npuc.ir.type.TensorType;

/**
 * What an op name means: its verifier, shape inference and reference kernel. Core ops are
 * registered by {@code org.npuc.ops.CoreOps}; plugins may register more in the {@link OpRegistry}
 * without touching core.
 */
public interface OpDefinition {

  /** The op name as written in the IR, e.g. {@code conv2d}. */
  String name();

  /** One line for {@code npuc ops} and documentation. */
  String summary();

  /**
   * The result types for these operand types and attributes (element type f32 for float
   * computations). Throws {@link IrException} with an "expected X, got Y" message when the
   * operands or attributes are not acceptable; this doubles as the structural verifier.
   */
  List<TensorType> inferTypes(List<TensorType> operandTypes, Attributes attrs);

  /**
   * Extra checks beyond {@link #inferTypes} (e.g. attribute values in range). The default checks
   * nothing more.
   */
  default void verify(Operation op) {}

  /**
   * The reference kernel: computes the results from operand values. Float element types always;
   * quantized element types where the op supports them (otherwise throws {@link IrException}
   * saying which type it cannot run).
   */
  Tensor[] evaluate(Operation op, Tensor[] inputs);

  /** False for ops with effects or identity outside their values ({@code input}, {@code output}). */
  default boolean isPure() {
    return true;
  }

  /** Whether {@code fold_constants} may evaluate this op when all operands are constants. */
  default boolean isFoldable() {
    return isPure();
  }

  /**
   * True when the op returns its single operand unchanged ({@code identity}), so that
   * {@code remove_nodes} may drop it and rewire its readers to the operand.
   */
  default boolean isPassThrough() {
    return false;
  }
}

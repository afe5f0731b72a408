package org.npuc.ir;

/**
 * A malformed operation: wrong operand count, incompatible shapes, a bad attribute. Carries the
 * operation (when known) so the message can name its source location.
 */
public class IrException extends RuntimeException {
  private final transient Operation op;

  public IrException(String message) {
    this(null, message);
  }

  public IrException(Operation op, String message) {
    super(message);
    this.op = op;
  }

  public Operation op() {
    return op;
  }

  /** The message prefixed with the op name and source location when known. */
  public String describe() {
    if (op == null) return getMessage();
    return op.name() + " at " + op.location().describe() + ": " + getMessage();
  }
}

package org.npuc.diag;

/**
 * A mistake in what the user gave npuc (a file, an option, a model, a spec), as opposed to a bug
 * in npuc. The CLI prints its message as a one-paragraph diagnostic, without a stack trace: the
 * message must name the file, node or key and say what would fix it.
 */
public class UserError extends RuntimeException {
  public UserError(String message) {
    super(message);
  }

  public UserError(String message, Throwable cause) {
    super(message, cause);
  }
}

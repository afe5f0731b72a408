package org.npuc.frontend.tflite;

/**
 * A structural defect found while reading a TFLite file (bad offset, index out of range, truncated
 * data). The reader turns it into a {@link org.npuc.diag.UserError} that names the file.
 */
final class CorruptModelException extends RuntimeException {
  CorruptModelException(String message) {
    super(message);
  }
}

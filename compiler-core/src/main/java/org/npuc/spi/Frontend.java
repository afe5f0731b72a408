package org.npuc.spi;

import java.nio.file.Path;
import java.util.List;
import org.npuc.ir.Graph;

/**
 * A model importer (TensorFlow, Caffe, TFLite, ...). Frontends are found with
 * {@link java.util.ServiceLoader} ({@code META-INF/services/org.npuc.spi.Frontend}) on the
 * application classpath; {@code npuc import} and {@code npuc run} pick the first one that
 * {@link #accepts} a file, judged by content, not only by extension.
 */
public interface Frontend {

  /** Short name used in messages and {@code --format}: {@code tensorflow}, {@code caffe}, ... */
  String name();

  /** File name endings this frontend usually reads, for help texts ({@code .pb}, {@code .prototxt}). */
  List<String> extensions();

  /**
   * True when this frontend recognizes the file. {@code head} holds its first bytes (up to 4 KiB);
   * the check must be cheap and must not throw.
   */
  boolean accepts(Path file, byte[] head);

  /**
   * Imports the model into a float IR graph in NCHW layout whose {@code input}/{@code output} ops
   * keep the model's names, layout and dtypes. A problem with the user's file is a
   * {@link org.npuc.diag.UserError} naming the file and node; every unsupported op is listed at once.
   */
  Graph importModel(ImportOptions options);
}

package org.npuc.pass;

import org.npuc.ir.Graph;

/**
 * A hook around every pass the {@link PassManager} runs: verification, timing, IR printing and
 * statistics are instruments, so passes hold no such code. "Before" hooks run in the order the
 * instruments were added, "after" hooks in reverse, so the first one added wraps all others.
 */
public interface PassInstrumentation {
  default void beforePipeline(Pipeline pipeline, Graph graph) {}

  default void beforePass(Pass pass, Graph graph) {}

  /** Called after a pass returned normally; {@code changed} is what it reported. */
  default void afterPass(Pass pass, Graph graph, boolean changed) {}

  /** Called when a pass threw; the exception is rethrown after all hooks ran. */
  default void afterPassFailed(Pass pass, Graph graph, RuntimeException error) {}

  default void afterPipeline(Pipeline pipeline, Graph graph) {}
}

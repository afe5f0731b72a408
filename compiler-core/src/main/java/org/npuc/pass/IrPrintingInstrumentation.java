package org.npuc.pass;

import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.npuc.ir.Graph;

/**
 * Prints the IR around passes: before and/or after the passes named (or {@code all}), or only
 * after passes that changed it. The printer and the sink are given, so the same instrument
 * serves the CLI (stderr) and tests.
 */
public final class IrPrintingInstrumentation implements PassInstrumentation {
  /** Selects every pass in {@link #IrPrintingInstrumentation}'s before/after sets. */
  public static final String ALL = "all";

  private final Function<Graph, String> printer;
  private final Consumer<String> sink;
  private final Set<String> before;
  private final Set<String> after;
  private final boolean afterChange;

  /**
   * @param before pass names (or {@code all}) to print the IR before
   * @param after pass names (or {@code all}) to print the IR after
   * @param afterChange print after every pass that reported a change
   */
  public IrPrintingInstrumentation(Function<Graph, String> printer, Consumer<String> sink, Set<String> before, Set<String> after, boolean afterChange) {
    this.printer = printer;
    this.sink = sink;
    this.before = Set.copyOf(before);
    this.after = Set.copyOf(after);
    this.afterChange = afterChange;
  }

  @Override
  public void beforePass(Pass pass, Graph graph) {
    if (selects(before, pass)) sink.accept("// ----- IR before " + pass.describe() + " -----\n" + printer.apply(graph));
  }

  @Override
  public void afterPass(Pass pass, Graph graph, boolean changed) {
    if (selects(after, pass) || (afterChange && changed)) {
      sink.accept("// ----- IR after " + pass.describe() + (changed ? "" : " (no change)") + " -----\n" + printer.apply(graph));
    }
  }

  @Override
  public void afterPassFailed(Pass pass, Graph graph, RuntimeException error) {
    if (selects(after, pass) || afterChange) {
      String text;
      try {
        text = printer.apply(graph);
      } catch (RuntimeException e) {
        text = "(the IR cannot be printed: " + e.getMessage() + ")\n";
      }
      sink.accept("// ----- IR after " + pass.describe() + " failed -----\n" + text);
    }
  }

  private static boolean selects(Set<String> names, Pass pass) {
    return names.contains(ALL) || names.contains(pass.name());
  }
}

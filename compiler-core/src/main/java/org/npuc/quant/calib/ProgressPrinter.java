package org.npuc.quant.calib;

import java.io.PrintStream;

/**
 * A {@link Calibrator.Progress} for people: on a terminal a bar redrawn in place, in a log plain
 * lines at every tenth of the work (every 100 samples when the total is unknown) and at the end.
 */
public final class ProgressPrinter implements Calibrator.Progress {
  private static final int WIDTH = 30;

  private final PrintStream out;
  private final boolean interactive;
  private final String label;
  private int lastTenth = -1;

  public ProgressPrinter(PrintStream out, boolean interactive, String label) {
    this.out = out;
    this.interactive = interactive;
    this.label = label;
  }

  /** Bar when the JVM has a console (a terminal), lines otherwise. */
  public static ProgressPrinter forConsole(PrintStream out, String label) {
    return new ProgressPrinter(out, System.console() != null, label);
  }

  @Override
  public void sampleDone(int done, int total) {
    if (interactive) {
      drawBar(done, total);
      return;
    }
    if (total > 0) {
      int tenth = (int) (10L * done / total);
      if (tenth != lastTenth || done == total) {
        lastTenth = tenth;
        out.println(label + ": " + done + "/" + total + " samples (" + (100L * done / total) + "%)");
      }
    } else if (done % 100 == 0) {
      out.println(label + ": " + done + " samples");
    }
    out.flush();
  }

  private void drawBar(int done, int total) {
    StringBuilder sb = new StringBuilder("\r").append(label).append(' ');
    if (total > 0) {
      int filled = (int) ((long) WIDTH * done / total);
      sb.append('[').append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append("] ");
      sb.append(done).append('/').append(total).append(' ').append(100L * done / total).append('%');
    } else {
      sb.append(done).append(" samples");
    }
    out.print(sb);
    if (total > 0 && done >= total) out.println();
    out.flush();
  }
}

package org.npuc.quant.calib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressPrinterTest {

  private static String run(boolean interactive, int total, int steps) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    ProgressPrinter p = new ProgressPrinter(out, interactive, "calibrating");
    for (int i = 1; i <= steps; i++) p.sampleDone(i, total);
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void logsGetOneLinePerTenth() {
    String s = run(false, 500, 500);
    String[] lines = s.split("\n");
    assertEquals(11, lines.length, s); // 1/500 (0%), then 10%, 20%, ..., 100%
    assertEquals("calibrating: 50/500 samples (10%)", lines[1]);
    assertEquals("calibrating: 500/500 samples (100%)", lines[10]);
    assertEquals("calibrating: 200 samples\n", run(false, -1, 250).substring(run(false, -1, 250).indexOf("calibrating: 200")));
  }

  @Test
  void terminalsGetABarRedrawnInPlace() {
    String s = run(true, 4, 4);
    assertTrue(s.contains("\rcalibrating [#######.......................] 1/4 25%"), s);
    assertTrue(s.endsWith("\rcalibrating [##############################] 4/4 100%\n"), s);
    assertEquals(1, s.split("\n", -1).length - 1);
  }
}

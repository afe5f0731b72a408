package org.npuc.quant.calib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.npuc.diag.UserError;

class CalibrationTableTest {

  @Test
  void writeThenReadGivesTheSameEntries(@TempDir Path dir) throws Exception {
    CalibrationStats stats = new CalibrationStats();
    stats.add("conv1", Samples.gaussian(1, 10_000, 0.1, 2));
    stats.add("pool 1", Samples.uniform(2, 10_000, 0, 1.0 / 3));
    stats.add("q\"x#", new float[] {-1e-7f, 3e-8f});
    CalibrationTable t = CalibrationTable.of(stats, ThresholdMethods.parse("percentile(p=99.9)"));
    assertTrue(t.toText().startsWith("# npuc calibration table\n# method: percentile(p=99.9)\n# op_name threshold min max\n"));
    Path f = dir.resolve("cali.txt");
    t.write(f);
    CalibrationTable back = CalibrationTable.read(f);
    assertEquals("percentile(p=99.9)", back.method());
    assertEquals(List.copyOf(t.entries()), List.copyOf(back.entries()));
    assertEquals(t.toText(), back.toText());
  }

  @Test
  void perTensorMethodsOverrideTheDefaultAndSayWhich() {
    CalibrationStats stats = new CalibrationStats();
    float[] x = Samples.gaussian(3, 100_000, 0, 1);
    x[0] = 50f;
    stats.add("data", x);
    stats.add("conv1", x);
    ThresholdMethod max = ThresholdMethods.parse("max");
    CalibrationTable t = CalibrationTable.of(stats, ThresholdMethods.parse("percentile"), java.util.Map.of("data", max));
    assertEquals(50.0, t.get("data").threshold());
    assertTrue(t.get("conv1").threshold() < 5);
    assertTrue(t.toText().contains("data 50.0 " + t.get("data").min() + " 50.0  # max\n"), t.toText());
    assertEquals(List.copyOf(t.entries()), List.copyOf(CalibrationTable.parse(t.toText(), "t").entries()));
  }

  @Test
  void toleratesCommentsBlankLinesAndReordering() {
    String text = """
        # edited by hand

        relu1   6.0   0.0  6.0   # clipped at relu6
          conv1 2.5 -2.5 1.75
        "with space" 1 -1 1
        """;
    CalibrationTable t = CalibrationTable.parse("\uFEFF" + text.replace("\n", "\r\n"), "t.txt");
    assertNull(t.method());
    assertEquals(3, t.size());
    assertEquals(new CalibrationTable.Entry("conv1", 2.5, -2.5, 1.75), t.get("conv1"));
    assertEquals(new CalibrationTable.Entry("relu1", 6.0, 0.0, 6.0), t.get("relu1"));
    assertEquals(1.0, t.get("with space").threshold());
    assertEquals(List.of("pool1"), t.missing(List.of("conv1", "relu1", "pool1")));
  }

  @Test
  void reportsEveryBadLineWithItsNumber() {
    String text = String.join("\n",
        "# method: kl",
        "conv1 2.5 -2.5",          // 2: 3 fields
        "conv2 abc -1 1",          // 3: not a number
        "conv3 -1 -1 1",           // 4: negative threshold
        "conv4 1 2 1",             // 5: min > max
        "conv5 1 -1 1",
        "conv5 2 -1 1",            // 7: duplicate
        "conv6 inf -1 1",          // 8: not finite
        "\"conv7 1 -1 1");         // 9: unterminated quote
    UserError e = assertThrows(UserError.class, () -> CalibrationTable.parse(text, "t.txt"));
    String m = e.getMessage();
    assertTrue(m.contains("(7 problems)"), m);
    assertTrue(m.contains("t.txt:2: expected 4 fields"), m);
    assertTrue(m.contains("t.txt:3: threshold 'abc' is not a finite number"), m);
    assertTrue(m.contains("t.txt:4: threshold -1 of 'conv3' is negative"), m);
    assertTrue(m.contains("t.txt:5: min 2 is greater than max 1"), m);
    assertTrue(m.contains("t.txt:7: 'conv5' already given on line 6"), m);
    assertTrue(m.contains("t.txt:8: threshold 'inf'"), m);
    assertTrue(m.contains("t.txt:9: unterminated quoted name"), m);
  }

  @Test
  void namesTheModelDoesNotHaveAreReportedWithSuggestions() {
    CalibrationTable t = CalibrationTable.parse("conv1 1 -1 1\ncnov2 1 -1 1\n", "t.txt");
    UserError e = assertThrows(UserError.class, () -> t.checkNamesKnown(List.of("conv1", "conv2"), "t.txt"));
    assertTrue(e.getMessage().contains("'cnov2' (did you mean 'conv2'?)"), e.getMessage());
    t.checkNamesKnown(List.of("conv1", "cnov2", "other"), "t.txt");
  }
}

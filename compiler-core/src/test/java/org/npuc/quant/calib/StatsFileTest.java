package org.npuc.quant.calib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.npuc.diag.UserError;

class StatsFileTest {

  private static CalibrationStats sample() {
    CalibrationStats s = new CalibrationStats();
    s.add("conv1", Samples.laplace(1, 100_000, 0.37));
    s.add("relu1", Samples.uniform(2, 50_000, 0, 6.1));
    s.add("odd \"name\" #1", new float[] {Float.NaN, 1e-30f, -0.0f, Float.POSITIVE_INFINITY});
    s.add("zeros", new float[100]);
    s.tensor("never-run");
    s.countSample();
    s.countSample();
    return s;
  }

  @Test
  void dumpThenLoadGivesEqualStatisticsAndIdenticalTables(@TempDir Path dir) throws Exception {
    CalibrationStats live = sample();
    Path f = dir.resolve("stats.json");
    StatsFile.write(live, f);
    CalibrationStats loaded = StatsFile.read(f);
    assertEquals(live, loaded);
    assertEquals(live.names().stream().toList(), loaded.names().stream().toList());
    for (ThresholdMethod m : ThresholdMethods.all()) {
      assertEquals(CalibrationTable.of(live, m).toText(), CalibrationTable.of(loaded, m).toText(), m.spec());
    }
    // and the file itself is stable
    assertEquals(StatsFile.toJson(live), StatsFile.toJson(loaded));
  }

  @Test
  void damagedFilesAreUserErrorsNamingTheKey() {
    String good = StatsFile.toJson(sample());
    assertMessage(() -> StatsFile.fromJson("{", "s.json"), "s.json: not valid JSON");
    assertMessage(() -> StatsFile.fromJson("{\"format\": \"x\"}", "s.json"), "not a statistics file");
    assertMessage(() -> StatsFile.fromJson(good.replace("\"version\" : 1", "\"version\" : 7"), "s.json"), "version 7");
    assertMessage(() -> StatsFile.fromJson(good.replaceFirst("\"exponent\" : -?\\d+", "\"exponent\" : 3"), "s.json"),
        "tensor 'conv1': exponent 3 does not match");
    assertMessage(() -> StatsFile.fromJson(good.replaceFirst("\"count\" : \\d+", "\"count\" : 5"), "s.json"),
        "tensor 'conv1': \"count\" is 5");
    assertMessage(() -> StatsFile.fromJson(good.replaceFirst("\"name\" : \"relu1\"", "\"name\" : \"conv1\""), "s.json"),
        "tensor 'conv1' appears twice");
  }

  private static void assertMessage(Runnable r, String part) {
    UserError e = assertThrows(UserError.class, r::run);
    assertTrue(e.getMessage().contains(part), e.getMessage());
  }
}

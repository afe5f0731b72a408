package org.npuc.quant.calib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.npuc.ir.Attributes;
import org.npuc.ir.Graph;
import org.npuc.ir.Location;
import org.npuc.ir.Operation;
import org.npuc.ir.Tensor;
import org.npuc.ir.Value;
import org.npuc.ir.type.ScalarType;
import org.npuc.ir.type.TensorType;

/**
 * The calibrator on a hand-built graph, with a hand-written runner standing in for the
 * interpreter: x -> add(x, w) -> relu -> split -> outputs, plus constant-only and integer values.
 */
class CalibratorTest {
  private final Graph g = new Graph("toy");
  private final Value x;
  private final Value w;
  private final Value negW;
  private final Value sum;
  private final Value relu;
  private final Operation split;
  private final Value relu2;
  private final Value shape;
  private final Value anon;

  CalibratorTest() {
    TensorType t4 = TensorType.f32(1, 4);
    TensorType t2 = TensorType.f32(1, 2);
    x = g.append("input", List.of(), Attributes.of("name", "x"), List.of(t4), Location.of("x")).result();
    w = g.append("constant", List.of(), Attributes.of("value", Tensor.ofFloats(new int[] {1, 4}, new float[] {1, -1, 2, -2})),
        List.of(t4), Location.of("w")).result();
    negW = g.append("neg", List.of(w), null, List.of(t4), Location.of("negw")).result();
    sum = g.append("add", List.of(x, negW), null, List.of(t4), Location.of("add1")).result();
    relu = g.append("relu", List.of(sum), null, List.of(t4), Location.fused(Location.of("relu1"), Location.of("bn1"))).result();
    split = g.append("split", List.of(relu), Attributes.of("axis", 1, "sizes", new int[] {2, 2}), List.of(t2, t2), Location.of("split"));
    relu2 = g.append("relu", List.of(split.result(0)), null, List.of(t2), Location.of("relu1")).result();
    shape = g.append("shape_of", List.of(x), null, List.of(TensorType.of(ScalarType.I32, 2)), Location.of("shape")).result();
    anon = g.append("abs", List.of(split.result(1)), null, List.of(t2), Location.UNKNOWN).result();
    g.append("output", List.of(relu2), Attributes.of("name", "y"), List.of(), Location.of("y"));
  }

  /** Computes every value of the toy graph for input x. */
  private Map<Value, Tensor> run(Map<String, Tensor> in) {
    float[] xv = in.get("x").floats();
    float[] wv = w.constantValue().floats();
    float[] nw = new float[4];
    float[] s = new float[4];
    float[] r = new float[4];
    for (int i = 0; i < 4; i++) {
      nw[i] = -wv[i];
      s[i] = xv[i] + nw[i];
      r[i] = Math.max(s[i], 0);
    }
    Map<Value, Tensor> m = new HashMap<>();
    m.put(x, in.get("x"));
    m.put(w, w.constantValue());
    m.put(negW, Tensor.ofFloats(new int[] {1, 4}, nw));
    m.put(sum, Tensor.ofFloats(new int[] {1, 4}, s));
    m.put(relu, Tensor.ofFloats(new int[] {1, 4}, r));
    m.put(split.result(0), Tensor.ofFloats(new int[] {1, 2}, new float[] {r[0], r[1]}));
    m.put(split.result(1), Tensor.ofFloats(new int[] {1, 2}, new float[] {r[2], r[3]}));
    m.put(relu2, Tensor.ofFloats(new int[] {1, 2}, new float[] {r[0], r[1]}));
    m.put(shape, Tensor.ofInts(new int[] {2}, ScalarType.I32, new int[] {1, 4}));
    m.put(anon, Tensor.ofFloats(new int[] {1, 2}, new float[] {Math.abs(r[2]), Math.abs(r[3])}));
    return m;
  }

  private static List<Map<String, Tensor>> samples(int n) {
    List<Map<String, Tensor>> r = new ArrayList<>();
    float[] all = Samples.gaussian(9, 4 * n, 0, 3);
    for (int i = 0; i < n; i++) {
      float[] v = new float[4];
      System.arraycopy(all, 4 * i, v, 0, 4);
      r.add(Map.of("x", Tensor.ofFloats(new int[] {1, 4}, v)));
    }
    return r;
  }

  @Test
  void targetsAreFloatActivationsNamedByLocationAndMadeUnique() {
    Calibrator c = new Calibrator(g, this::run);
    // relu and relu2 both come from source layer relu1: the later one is the layer's output
    assertEquals(List.of("x", "add1", "relu1_1", "split:0", "split:1", "relu1", "abs_9"), c.names());
    assertEquals(relu, c.targets().get(2).value());
    assertEquals(relu2, c.targets().get(5).value());
  }

  @Test
  void statisticsAreThoseOfEveryValueOverAllSamplesAndShardsMergeExactly() {
    List<Map<String, Tensor>> data = samples(40);
    List<String> progress = new ArrayList<>();
    Calibrator c = new Calibrator(g, this::run);
    CalibrationStats stats = c.collect(data.iterator(), data.size(), (done, total) -> progress.add(done + "/" + total));
    assertEquals(40, progress.size());
    assertEquals("40/40", progress.get(39));
    assertEquals(40, stats.samples());
    assertEquals(c.names(), List.copyOf(stats.names()));

    // independent check: the relu1_1 statistics are those of max(x + (-w), 0) over all samples
    TensorStats expected = new TensorStats();
    for (Map<String, Tensor> s : data) {
      float[] xv = s.get("x").floats();
      float[] r = new float[4];
      float[] wv = {1, -1, 2, -2};
      for (int i = 0; i < 4; i++) r[i] = Math.max(xv[i] - wv[i], 0);
      expected.add(r);
    }
    assertEquals(expected, stats.get("relu1_1"));
    assertEquals(0.0, stats.get("relu1_1").min());

    CalibrationStats a = c.collect(data.subList(0, 13).iterator(), 13, Calibrator.Progress.NONE);
    CalibrationStats b = c.collect(data.subList(13, 40).iterator(), 27, Calibrator.Progress.NONE);
    b.merge(a);
    assertEquals(stats, b);
  }

  @Test
  void tableHasOneLinePerTargetAndLoadedStatsGiveTheSameTable() {
    List<Map<String, Tensor>> data = samples(25);
    Calibrator c = new Calibrator(g, this::run);
    ThresholdMethod kl = ThresholdMethods.parse("kl");
    CalibrationStats stats = c.collect(data.iterator(), -1, Calibrator.Progress.NONE);
    CalibrationTable table = CalibrationTable.of(stats, kl);
    assertEquals(c.names().size(), table.size());
    assertEquals(table.toText(), c.calibrate(data.iterator(), -1, kl, Calibrator.Progress.NONE).toText());
    CalibrationStats loaded = StatsFile.fromJson(StatsFile.toJson(stats), "mem");
    assertEquals(table.toText(), CalibrationTable.of(loaded, kl).toText());
    assertTrue(Calibrator.notes(stats).isEmpty(), Calibrator.notes(stats).toString());
  }

  @Test
  void restrictedCalibrationAndNotes() {
    Calibrator c = new Calibrator(g, this::run).restrictedTo(List.of("relu1", "nonexistent"));
    assertEquals(List.of("relu1"), c.names());
    Map<String, Tensor> bad = Map.of("x", Tensor.ofFloats(new int[] {1, 4}, new float[] {Float.NaN, 1, 1, 1}));
    CalibrationStats s = new Calibrator(g, this::run).collect(List.of(bad).iterator(), 1, Calibrator.Progress.NONE);
    List<String> notes = Calibrator.notes(s);
    assertTrue(notes.contains("x: 1 NaN, 0 +inf, 0 -inf (ignored for ranges)"), notes.toString());
  }
}

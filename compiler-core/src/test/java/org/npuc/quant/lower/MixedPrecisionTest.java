package org.npuc.quant.lower;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.npuc.diag.UserError;
import org.npuc.interp.Interpreter;
import org.npuc.ir.Graph;
import org.npuc.ir.Operation;
import org.npuc.ir.Tensor;
import org.npuc.quant.calib.CalibrationTable;
import org.npuc.quant.calib.ThresholdMethods;

/** Float fallback by layer, op type, block and target predicate; the automatic search. */
class MixedPrecisionTest {
  private static Set<String> floatLayers(Graph g, QuantizeOptions o) {
    Set<String> r = new TreeSet<>();
    for (Operation op : FloatFallback.select(g, o).keySet()) r.add(op.location().primaryName());
    return r;
  }

  @Test
  void selections() {
    Graph g = TestNets.cnn(7);
    QuantizeOptions o = new QuantizeOptions();
    o.floatLayers().add("c2");
    assertEquals(Set.of("c2"), floatLayers(g, o));
    o = new QuantizeOptions();
    o.floatOps().add("depthwise");
    assertEquals(Set.of("dw"), floatLayers(g, o));
    o = new QuantizeOptions();
    o.floatOps().add("conv2d");
    assertEquals(Set.of("c1", "c2", "c3", "dw"), floatLayers(g, o));
    // A to B: descendants of c2 that reach dw.
    o = new QuantizeOptions();
    o.floatBlocks().add("c2:dw");
    assertEquals(Set.of("c2", "c3", "res", "dw"), floatLayers(g, o));
    // inputs to c2; A to outputs.
    o = new QuantizeOptions();
    o.floatBlocks().add(":c2");
    assertEquals(Set.of("c1", "c2"), floatLayers(g, o));
    o = new QuantizeOptions();
    o.floatBlocks().add("gap:");
    assertEquals(Set.of("gap", "flat", "fc", "prob"), floatLayers(g, o));
    o = new QuantizeOptions().targetFloat(op -> op.is("add"));
    assertEquals(Set.of("res"), floatLayers(g, o));
    QuantizeOptions bad = new QuantizeOptions();
    bad.floatLayers().add("c22");
    UserError e = assertThrows(UserError.class, () -> FloatFallback.select(g, bad));
    assertTrue(e.getMessage().contains("did you mean 'c2'"), e.getMessage());
  }

  @Test
  void floatLayersGetBordersAndStillRun() {
    Graph f = TestNets.cnn(7);
    CalibrationTable t = QuantizeFlow.table(f, TestNets.inputs(1, 16), 8, ThresholdMethods.parse("max"));
    QuantizeOptions o = new QuantizeOptions();
    o.floatBlocks().add("c2:c3");
    QuantizeFlow.Lowered q = QuantizeFlow.lower(f, t, o);
    assertEquals(2, q.result().floatOps().size());
    // c1 is int8 and feeds the float c2 (dequantize) and the int8 add/concat; c3 feeds the add.
    int quantizes = 0, dequantizes = 0;
    for (Operation op : q.graph()) {
      if (op.is("quantize")) quantizes++;
      if (op.is("dequantize")) dequantizes++;
      if (op.is("conv2d") && op.location().primaryName().equals("c2")) assertFalse(op.result().type().elementType().isQuantized());
    }
    assertEquals(2, quantizes); // the graph input and c3's output
    assertEquals(3, dequantizes); // c1 for c2, and the two outputs
    Map<String, Tensor> x = TestNets.inputs(2, 4).batch(0, 4);
    double cos = LayerCompare.cosine(new Interpreter(f).run(x).get("logits").floats(), new Interpreter(q.graph()).run(x).get("logits").floats());
    assertTrue(cos > 0.99, "cosine " + cos);
  }

  @Test
  void autoSearchMovesTheDamagedLayer() {
    Graph f = TestNets.cnn(7);
    SampleSet calib = TestNets.inputs(1, 16);
    CalibrationTable good = QuantizeFlow.table(f, calib, 8, ThresholdMethods.parse("max"));
    // Ruin c3's range (clip at 1% of its max): quantizing c3 is then what hurts the output most.
    CalibrationTable t = new CalibrationTable("test");
    for (CalibrationTable.Entry e : good.entries()) {
      t.put(e.name().equals("c3") ? new CalibrationTable.Entry("c3", e.threshold() / 100, e.min() / 100, e.max() / 100) : e);
    }
    AutoMixedPrecision amp = new AutoMixedPrecision(f, t, new QuantizeOptions(), calib);
    double start = amp.measure(Set.of());
    assertTrue(start < 0.99, "ruined start " + start);
    AutoMixedPrecision.Result r = amp.search(0.995, s -> {});
    assertTrue(r.reached(), r.toString());
    // c3 alone does not help (its output is still quantized with the ruined range for the add):
    // the pruned answer is c3 together with its consumer.
    assertEquals(Set.of("c3", "res"), Set.copyOf(r.floatLayers()));
    assertTrue(r.cosine() >= 0.995);
  }
}

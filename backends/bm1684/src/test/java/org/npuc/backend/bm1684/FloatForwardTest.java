package org.npuc.backend.bm1684;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.npuc.diag.UserError;
import org.npuc.interp.Interpreter;
import org.npuc.ir.Attributes;
import org.npuc.ir.Builder;
import org.npuc.ir.Graph;
import org.npuc.ir.Location;
import org.npuc.ir.Tensor;
import org.npuc.ir.Value;
import org.npuc.ir.type.TensorType;
import org.npuc.spi.OpClaim;
import org.npuc.spi.Precision;
import org.npuc.target.TargetCompiler;
import org.npuc.testing.BackendConformance;
import org.npuc.testing.QuantizedRealModels;

/** fpfwd_inputs / fpfwd_outputs / fpfwd_blocks and accuracy_opt put the named layers in float. */
class FloatForwardTest {
  private static final Graph QUANTIZED = QuantizedRealModels.quantize(Bm1684CompileTest.network(new Random(5)), Bm1684CompileTest.samples(new Random(6), 3), Bm1684Testing.spec("bm1684"));

  private static TargetCompiler.Result compile(Graph g, String options) {
    return Bm1684Testing.compile(g, Bm1684Testing.specFromText("fpfwd", "name: fpfwd\nextends: bm1684\noptions:\n" + options));
  }

  private static Precision precisionOf(TargetCompiler.Result r, String layer) {
    for (OpClaim c : r.claims().all()) if (!c.op().is("quantize") && !c.op().is("dequantize") && layer.equals(c.op().location().primaryName())) return c.precision();
    throw new AssertionError("no op " + layer);
  }

  private static void expect(TargetCompiler.Result r, String floats) {
    for (String layer : List.of("c1", "c2", "c3", "pool", "flat", "fc")) {
      Precision want = floats.contains(layer) ? Precision.FLOAT32 : Precision.INT8;
      assertEquals(want, precisionOf(r, layer), layer + " in " + r.summary());
    }
    // The float layers still compute the network: close to the all-int8 program.
    Map<String, Tensor> in = Bm1684CompileTest.samples(new Random(8), 1).get(0);
    float[] want = new Interpreter(QUANTIZED).run(in).get("y").floats();
    float[] got = new Bm1684Backend().simulate(r.image(), in).outputs().get("y").floats();
    assertTrue(BackendConformance.cosine(want, got) > 0.99);
  }

  @Test
  void fpfwdInputsRunsTheFrontInFloat() {
    expect(compile(QUANTIZED, "  fpfwd_inputs: [c1]\n"), "c1");
  }

  @Test
  void fpfwdOutputsRunsTheTailInFloat() {
    TargetCompiler.Result r = compile(QUANTIZED, "  fpfwd_outputs: [c3]\n");
    expect(r, "c3 pool flat fc");
    assertTrue(r.summary().contains("fpfwd_outputs: c3"), r.summary());
  }

  @Test
  void fpfwdBlocksRunsTheBlockInFloat() {
    expect(compile(QUANTIZED, "  fpfwd_blocks: [\"c2:c3\"]\n"), "c2 c3");
  }

  @Test
  void anUnknownLayerIsAnErrorWithASuggestion() {
    UserError e = assertThrows(UserError.class, () -> compile(QUANTIZED, "  fpfwd_inputs: [c11]\n"));
    assertTrue(e.getMessage().contains("fpfwd_inputs") && e.getMessage().contains("c11") && e.getMessage().contains("did you mean"), e.getMessage());
    UserError order = assertThrows(UserError.class, () -> compile(QUANTIZED, "  fpfwd_blocks: [\"c3:c1\"]\n"));
    assertTrue(order.getMessage().contains("does not come after"), order.getMessage());
  }

  @Test
  void accuracyOptRunsDepthwiseInFloat() {
    Random r = new Random(3);
    Graph g = new Graph("dw");
    Builder b = new Builder(g);
    Value x = b.input("x", TensorType.f32(1, 8, 10, 10), Location.of("x"));
    float[] w = new float[8 * 9];
    for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian();
    Value dw = b.value("conv2d", List.of(x, b.constant(Tensor.ofFloats(new int[] {8, 1, 3, 3}, w), Location.of("dw_w"))), Attributes.of("group", 8, "pads", new int[] {1, 1, 1, 1}), Location.of("dw"));
    float[] w2 = new float[16 * 8];
    for (int i = 0; i < w2.length; i++) w2[i] = (float) r.nextGaussian();
    Value pw = b.value("conv2d", List.of(dw, b.constant(Tensor.ofFloats(new int[] {16, 8, 1, 1}, w2), Location.of("pw_w"))), Attributes.of(), Location.of("pw"));
    b.output("y", pw, Location.of("y"));
    float[] xs = new float[800];
    for (int i = 0; i < xs.length; i++) xs[i] = (float) r.nextGaussian();
    Graph q = QuantizedRealModels.quantize(g, List.of(Map.of("x", Tensor.ofFloats(new int[] {1, 8, 10, 10}, xs))), Bm1684Testing.spec("bm1684"));
    TargetCompiler.Result plain = compile(q, "  accuracy_opt: false\n");
    TargetCompiler.Result opt = compile(q, "  accuracy_opt: true\n");
    assertEquals(Precision.INT8, precisionOf(plain, "dw"));
    assertEquals(Precision.FLOAT32, precisionOf(opt, "dw"));
    assertEquals(Precision.INT8, precisionOf(opt, "pw"));
    assertTrue(opt.summary().contains("accuracy_opt"), opt.summary());
  }
}

package org.npuc.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.npuc.driver.ModelLoader;
import org.npuc.interp.Interpreter;
import org.npuc.ir.Graph;
import org.npuc.ir.OpRegistry;
import org.npuc.ir.Operation;
import org.npuc.ir.Tensor;
import org.npuc.ir.Verifier;
import org.npuc.ir.type.TensorType;
import org.npuc.pass.PassContext;
import org.npuc.pass.PassManager;
import org.npuc.spi.Backend;
import org.npuc.spi.BackendContext;
import org.npuc.spi.OpClaim;
import org.npuc.spi.Precision;
import org.npuc.spi.ProgramTensor;
import org.npuc.spi.Simulation;
import org.npuc.spi.TargetProgram;
import org.npuc.spi.TargetSpec;
import org.npuc.spi.ImportOptions;
import org.npuc.target.TargetCompiler;

/**
 * Conformance tests any backend's tests extend: compiles small generated models (float and int8)
 * and, when present, LeNet and the MTCNN nets, then checks the backend's simulator against the
 * reference interpreter: bit for bit when every quantized op ran in int8, within a tolerance for
 * float (looser where ops ran in float16 or fell back to float), plus determinism, the reader and
 * the memory plan. Subclasses say which backend and spec; see plugins/README.md.
 */
public abstract class BackendConformance {
  /** The backend under test (instantiated directly; plugin loading is tested by the host's tests). */
  protected abstract Backend backend();

  /** The spec to compile for. */
  protected abstract TargetSpec spec();

  /** Float tolerance (max abs error relative to the output's max magnitude) for float32 programs. */
  protected double floatTolerance() {
    return 1e-4;
  }

  /** Minimum cosine similarity when part of an int8 model fell back to float or float16. */
  protected double fallbackCosine() {
    return 0.99;
  }

  /** Compiles {@code g} for the backend under test. */
  protected TargetCompiler.Result compile(Graph g) {
    return TargetCompiler.compile(g, backend(), new BackendContext(spec()));
  }

  /** Seeded inputs matching the graph's input types (floats in [-1, 1), integers over their range). */
  public static Map<String, Tensor> inputs(Graph g, long seed) {
    Random r = new Random(seed);
    Map<String, Tensor> m = new LinkedHashMap<>();
    for (Operation in : g.inputs()) {
      TensorType t = in.result().type();
      int n = Math.toIntExact(t.numElements());
      if (t.elementType().storageType().isFloat()) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = r.nextFloat() * 2 - 1;
        m.put(in.attributes().getString("name"), Tensor.ofFloats(t.shape(), f));
      } else {
        long lo = t.elementType().storageType().minValue();
        long hi = t.elementType().storageType().maxValue();
        int[] v = new int[n];
        for (int i = 0; i < n; i++) v[i] = (int) (lo + r.nextInt((int) Math.min(Integer.MAX_VALUE, hi - lo + 1)));
        m.put(in.attributes().getString("name"), Tensor.ofInts(t.shape(), t.elementType(), v));
      }
    }
    return m;
  }

  /**
   * Compiles {@code g}, simulates it and compares with the reference interpreter; returns the
   * compile result for further checks.
   */
  protected TargetCompiler.Result check(Graph g, String what) {
    Verifier.verify(g, OpRegistry.global());
    Map<String, Tensor> in = inputs(g, 7);
    Map<String, Tensor> want = new Interpreter(g).run(in);
    TargetCompiler.Result r = compile(g);
    Simulation sim = backend().simulate(r.image(), in);
    boolean allInt8 = true;
    boolean anyHalf = false;
    for (OpClaim c : r.claims().all()) {
      boolean q = org.npuc.target.lower.OpRules.touchesQuantized(c.op()) && !c.op().is("quantize") && !c.op().is("dequantize");
      if (q && c.precision() != Precision.INT8) allInt8 = false;
      if (c.precision() == Precision.FLOAT16) anyHalf = true;
    }
    for (Map.Entry<String, Tensor> e : want.entrySet()) {
      Tensor got = sim.outputs().get(e.getKey());
      assertTrue(got != null, what + ": the simulator returned no output '" + e.getKey() + "'");
      assertArrayEquals(e.getValue().shape(), got.shape(), what + ": shape of " + e.getKey());
      if (!e.getValue().isFloat() && allInt8) {
        assertArrayEquals(e.getValue().ints(), got.ints(), what + ": output " + e.getKey() + " must equal the integer reference bit for bit");
      } else if (allInt8 && !anyHalf && !hasQuantizedOps(r)) {
        assertClose(e.getValue().toFloat().floats(), got.toFloat().floats(), floatTolerance(), what + ": output " + e.getKey());
      } else if (allInt8 && !anyHalf) {
        assertArrayEquals(e.getValue().floats(), got.floats(), what + ": output " + e.getKey() + " (dequantized int8) must equal the reference bit for bit");
      } else {
        double cos = cosine(e.getValue().toFloat().floats(), got.toFloat().floats());
        assertTrue(cos >= fallbackCosine(), what + ": output " + e.getKey() + " cosine " + cos + " < " + fallbackCosine());
      }
    }
    checkMemoryPlan(r.image().program());
    return r;
  }

  private static boolean hasQuantizedOps(TargetCompiler.Result r) {
    for (OpClaim c : r.claims().all()) if (org.npuc.target.lower.OpRules.touchesQuantized(c.op())) return true;
    return false;
  }

  /** Arena tensors live at the same time never overlap, and all lie inside the arena. */
  public static void checkMemoryPlan(TargetProgram p) {
    int n = p.commands().size();
    int[] first = new int[p.tensors().size()];
    int[] last = new int[p.tensors().size()];
    java.util.Arrays.fill(first, Integer.MAX_VALUE);
    java.util.Arrays.fill(last, -1);
    for (int c = 0; c < n; c++) {
      for (int id : p.commands().get(c).inputs()) last[id] = Math.max(last[id], c);
      for (int id : p.commands().get(c).outputs()) {
        first[id] = Math.min(first[id], c);
        last[id] = Math.max(last[id], c);
      }
    }
    List<Integer> arena = new ArrayList<>();
    for (int i = 0; i < p.tensors().size(); i++) {
      ProgramTensor t = p.tensor(i);
      if (!t.inArena()) continue;
      if (t.kind() == ProgramTensor.Kind.INPUT) first[i] = 0;
      if (t.kind() == ProgramTensor.Kind.OUTPUT) last[i] = n;
      if (first[i] == Integer.MAX_VALUE) first[i] = 0;
      last[i] = Math.max(last[i], first[i]);
      assertTrue(t.offset() >= 0 && t.offset() + t.bytes() <= p.arenaBytes(), "tensor " + t.name() + " outside the arena");
      assertEquals(0, t.offset() % p.alignment(), "tensor " + t.name() + " offset is not aligned to " + p.alignment());
      arena.add(i);
    }
    for (int a = 0; a < arena.size(); a++) {
      for (int b = a + 1; b < arena.size(); b++) {
        int x = arena.get(a);
        int y = arena.get(b);
        boolean liveTogether = first[x] <= last[y] && first[y] <= last[x];
        boolean overlap = p.tensor(x).offset() < p.tensor(y).offset() + p.tensor(y).bytes() && p.tensor(y).offset() < p.tensor(x).offset() + p.tensor(x).bytes();
        assertTrue(!(liveTogether && overlap), "tensors " + p.tensor(x).name() + " and " + p.tensor(y).name() + " are live together and overlap");
      }
    }
    assertTrue(p.arenaBytes() >= p.liveLowerBound(), "arena below the liveness lower bound");
  }

  public static void assertClose(float[] want, float[] got, double tol, String what) {
    assertEquals(want.length, got.length, what + ": length");
    double scale = 1e-6;
    for (float v : want) scale = Math.max(scale, Math.abs(v));
    for (int i = 0; i < want.length; i++) {
      double err = Math.abs(want[i] - got[i]) / scale;
      assertTrue(err <= tol, what + ": element " + i + " differs: want " + want[i] + ", got " + got[i] + " (relative " + err + " > " + tol + ")");
    }
  }

  public static double cosine(float[] a, float[] b) {
    double ab = 0;
    double aa = 0;
    double bb = 0;
    for (int i = 0; i < a.length; i++) {
      ab += (double) a[i] * b[i];
      aa += (double) a[i] * a[i];
      bb += (double) b[i] * b[i];
    }
    return aa == 0 && bb == 0 ? 1 : ab / Math.sqrt(aa * bb);
  }

  /** Loads a model with the frontends on the test class path and runs {@code optimize}; skips when the frontend is missing. */
  protected static Graph importModel(ImportOptions options) {
    assumeTrue(!ModelLoader.frontends().isEmpty(), "skipped: no frontend on the test class path");
    Graph g = ModelLoader.load(options);
    PassManager.parse("optimize", PassContext.global()).run(g);
    return g;
  }

  @Test
  public void floatCnnMatchesReference() {
    check(ExampleCnn.build(), "example float CNN");
  }

  @Test
  public void int8CnnMatchesReference() {
    check(ConformanceModels.quantizedCnn(3, 16, 16, 11), "generated int8 CNN");
  }

  @Test
  public void compilingTwiceGivesIdenticalBytes() {
    byte[] a = compile(ConformanceModels.quantizedCnn(3, 16, 16, 5)).binary();
    byte[] b = compile(ConformanceModels.quantizedCnn(3, 16, 16, 5)).binary();
    assertArrayEquals(a, b, "the same model compiled twice must give the same bytes");
  }

  @Test
  public void claimsAnswerForEveryOp() {
    Graph g = ConformanceModels.quantizedCnn(3, 8, 8, 3);
    TargetCompiler.Result r = compile(g);
    for (OpClaim c : r.claims().all()) {
      assertTrue(c.isClaimed() || (c.reason() != null && !c.reason().isBlank()), "a refused op needs a reason: " + c.op());
    }
  }

  @Test
  public void lenet() {
    Path proto = Models.require("caffe/lenet/lenet.prototxt");
    ImportOptions o = new ImportOptions(proto).weights(Models.require("caffe/lenet/lenet_iter_9000.caffemodel"));
    o.inputShapes().put("data", new int[] {1, 1, 28, 28});
    check(importModel(o), "LeNet");
  }

  @Test
  public void mtcnn() {
    for (String net : List.of("det1", "det2", "det3")) {
      Path proto = Models.require("caffe/mtcnn/" + net + ".prototxt");
      assumeTrue(Files.exists(proto));
      ImportOptions o = new ImportOptions(proto).weights(Models.require("caffe/mtcnn/" + net + ".caffemodel"));
      check(importModel(o), "MTCNN " + net);
    }
  }
}

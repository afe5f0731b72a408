package org.npuc.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.npuc.interp.Interpreter;
import org.npuc.ir.Graph;
import org.npuc.ir.Operation;
import org.npuc.ir.OpRegistry;
import org.npuc.ir.Tensor;
import org.npuc.ir.Value;

/**
 * Per-op time of the float interpreter on figure 3's nets, to see which kernels matter (a
 * profiling tool, not a test): each op is re-run alone on its recorded operands. Run from the
 * worktree root with the benchmark module's test classpath; arguments pick nets (lenet, det3,
 * mobilenet).
 */
public final class OpProfile {
  private OpProfile() {}

  public static void main(String[] a) throws Exception {
    String root = System.getenv("NPUC_MODELS");
    Path m = Path.of(root != null ? root : "../shared/models");
    MobileNetV2Caffe.Written mn = MobileNetV2Caffe.write(java.nio.file.Files.createTempDirectory("npuc-opprofile"), 1.0, 224, 42);
    List<ThroughputBench.Net> nets = new ArrayList<>();
    nets.add(new ThroughputBench.Net("lenet", ModelSpec.caffe("lenet", m.resolve("caffe/lenet/lenet.prototxt"), m.resolve("caffe/lenet/lenet_iter_9000.caffemodel")), "data", new int[] {1, 1, 28, 28}, List.of("prob"), 0f, 1f));
    nets.add(new ThroughputBench.Net("det3", ModelSpec.caffe("det3", m.resolve("caffe/mtcnn/det3.prototxt"), m.resolve("caffe/mtcnn/det3.caffemodel")), "data", new int[] {1, 3, 48, 48}, List.of("prob1", "conv6-2", "conv6-3"), -1f, 1f));
    nets.add(new ThroughputBench.Net("mobilenet", ModelSpec.caffe("mn", mn.prototxt(), mn.caffemodel()), "data", new int[] {1, 3, 224, 224}, List.of("prob"), -1f, 1f));
    for (ThroughputBench.Net n : nets) {
      if (a.length > 0 && !List.of(a).contains(n.subject())) continue;
      Graph g = ThroughputBench.compile(n);
      Interpreter interp = new Interpreter(g);
      Map<String, Tensor> feed = Map.of(n.input(), ThroughputBench.input(n, 1));
      double whole = 1e6 / ThroughputBench.rate(() -> interp.run(feed), 2.0);
      whole = 1e6 / ThroughputBench.rate(() -> interp.run(feed), 2.0);
      Map<Value, Tensor> env = interp.runAll(feed);
      OpRegistry reg = OpRegistry.global();
      Map<String, Double> byKind = new java.util.TreeMap<>();
      StringBuilder lines = new StringBuilder();
      double sum = 0;
      for (Operation op : g.ops()) {
        if (op.is("input") || op.is("output") || op.is("constant")) continue;
        Tensor[] args = new Tensor[op.numOperands()];
        for (int k = 0; k < args.length; k++) args[k] = env.get(op.operand(k));
        var def = reg.lookup(op.name());
        double us = 1e6 / ThroughputBench.rate(() -> def.evaluate(op, args), 0.05);
        us = 1e6 / ThroughputBench.rate(() -> def.evaluate(op, args), 0.1);
        sum += us;
        byKind.merge(op.name(), us, Double::sum);
        lines.append(String.format(Locale.ROOT, "  %8.1f us  %s %s -> %s%n", us, op.name(), op.operand(0).type().toText(), op.result(0).type().toText()));
      }
      System.out.printf(Locale.ROOT, "%s: whole %.1f us/inf, sum of ops %.1f us%n", n.subject(), whole, sum);
      byKind.forEach((k, v) -> System.out.printf(Locale.ROOT, "  kind %-20s %8.1f us%n", k, v));
      System.out.print(lines);
    }
    System.exit(0);
  }
}

package org.npuc.backend.bm1684;

import org.npuc.ir.Graph;
import org.npuc.spi.BackendContext;
import org.npuc.spi.Command;
import org.npuc.spi.TargetSpec;
import org.npuc.target.TargetCompiler;
import org.npuc.testing.TestSpecs;

/** Loads the project's target specs and compiles graphs for bm1684 in tests. */
final class Bm1684Testing {
  private Bm1684Testing() {}

  /** The spec named {@code name} in target-specs/. */
  static TargetSpec spec(String name) {
    return TestSpecs.repo(name, new Bm1684Backend());
  }

  /** A spec from YAML text (may extend the project's specs). */
  static TargetSpec specFromText(String name, String yaml) {
    return TestSpecs.fromText(name, yaml, new Bm1684Backend());
  }

  static TargetCompiler.Result compile(Graph g, TargetSpec spec) {
    return TargetCompiler.compile(g, new Bm1684Backend(), new BackendContext(spec));
  }

  /** Tiles of all convolution commands of a compiled program. */
  static int tileCount(TargetCompiler.Result r) {
    int n = 0;
    for (Command c : r.image().program().commands()) {
      if (c.opcode().startsWith("conv2d")) n += c.attributes().getInts("tiles").length / 4;
    }
    return n;
  }

  static long convCycles(TargetCompiler.Result r) {
    long n = 0;
    for (Command c : r.image().program().commands()) if (c.opcode().startsWith("conv2d")) n += c.cycles();
    return n;
  }

  static long count(TargetCompiler.Result r, String opcode) {
    return r.image().program().commands().stream().filter(c -> c.opcode().equals(opcode)).count();
  }
}

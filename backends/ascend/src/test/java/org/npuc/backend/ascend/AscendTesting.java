package org.npuc.backend.ascend;

import org.npuc.ir.Graph;
import org.npuc.spi.BackendContext;
import org.npuc.spi.TargetSpec;
import org.npuc.target.TargetCompiler;
import org.npuc.testing.TestSpecs;

/** Loads the project's target specs and compiles graphs for ascend in tests. */
final class AscendTesting {
  private AscendTesting() {}

  /** The spec named {@code name} in target-specs/. */
  static TargetSpec spec(String name) {
    return TestSpecs.repo(name, new AscendBackend());
  }

  /** A spec from YAML text (may extend the project's specs). */
  static TargetSpec specFromText(String name, String yaml) {
    return TestSpecs.fromText(name, yaml, new AscendBackend());
  }

  static TargetCompiler.Result compile(Graph g, TargetSpec spec) {
    return TargetCompiler.compile(g, new AscendBackend(), new BackendContext(spec));
  }

  static long count(TargetCompiler.Result r, String opcode, org.npuc.spi.Precision p) {
    return r.image().program().commands().stream().filter(c -> c.opcode().equals(opcode) && c.precision() == p).count();
  }
}

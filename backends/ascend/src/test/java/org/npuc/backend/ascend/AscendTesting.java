package org.npuc.backend.ascend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.npuc.ir.Graph;
import org.npuc.spi.BackendContext;
import org.npuc.spi.TargetSpec;
import org.npuc.target.TargetCompiler;
import org.npuc.target.spec.SpecLoader;

/** Loads the project's target specs and compiles graphs for ascend in tests. */
final class AscendTesting {
  static final Path SPECS = Path.of("../../target-specs");

  private AscendTesting() {}

  static SpecLoader.Resolver resolver() {
    return new SpecLoader.Resolver() {
      @Override
      public SpecLoader.Source find(String name) {
        Path p = SPECS.resolve(name + ".yaml");
        if (!Files.exists(p)) return null;
        try {
          return new SpecLoader.Source(name, p.toString(), Files.readString(p));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }

      @Override
      public Set<String> names() {
        try (Stream<Path> s = Files.list(SPECS)) {
          Set<String> n = new TreeSet<>();
          s.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".yaml")).forEach(f -> n.add(f.substring(0, f.length() - 5)));
          return n;
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    };
  }

  /** The spec named {@code name} in target-specs/. */
  static TargetSpec spec(String name) {
    return SpecLoader.load(resolver().find(name), resolver(), id -> new AscendBackend().specKeys());
  }

  /** A spec from YAML text (may extend the project's specs). */
  static TargetSpec specFromText(String name, String yaml) {
    return SpecLoader.load(new SpecLoader.Source(name, name + ".yaml", yaml), resolver(), id -> new AscendBackend().specKeys());
  }

  static TargetCompiler.Result compile(Graph g, TargetSpec spec) {
    return TargetCompiler.compile(g, new AscendBackend(), new BackendContext(spec));
  }

  static long count(TargetCompiler.Result r, String opcode, org.npuc.spi.Precision p) {
    return r.image().program().commands().stream().filter(c -> c.opcode().equals(opcode) && c.precision() == p).count();
  }
}

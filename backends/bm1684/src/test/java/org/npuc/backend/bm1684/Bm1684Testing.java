package org.npuc.backend.bm1684;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.npuc.ir.Graph;
import org.npuc.spi.BackendContext;
import org.npuc.spi.Command;
import org.npuc.spi.TargetSpec;
import org.npuc.target.TargetCompiler;
import org.npuc.target.spec.SpecLoader;

/** Loads the project's target specs and compiles graphs for bm1684 in tests. */
final class Bm1684Testing {
  static final Path SPECS = Path.of("../../target-specs");

  private Bm1684Testing() {}

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
    return SpecLoader.load(resolver().find(name), resolver(), id -> new Bm1684Backend().specKeys());
  }

  /** A spec from YAML text (may extend the project's specs). */
  static TargetSpec specFromText(String name, String yaml) {
    return SpecLoader.load(new SpecLoader.Source(name, name + ".yaml", yaml), resolver(), id -> new Bm1684Backend().specKeys());
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

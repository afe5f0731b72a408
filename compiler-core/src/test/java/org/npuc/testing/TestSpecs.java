package org.npuc.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.npuc.spi.Backend;
import org.npuc.spi.TargetSpec;
import org.npuc.target.spec.SpecLoader;

/** Loads target specs for tests: the repository's {@code target-specs/} (found upward from the working folder) or a class-path resource. */
public final class TestSpecs {
  private TestSpecs() {}

  /** The repository's {@code target-specs} folder. */
  public static Path repoSpecs() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null) {
      if (Files.isDirectory(p.resolve("target-specs")) && Files.exists(p.resolve("pom.xml"))) return p.resolve("target-specs");
      p = p.getParent();
    }
    throw new IllegalStateException("no target-specs/ folder above " + Path.of("").toAbsolutePath());
  }

  /** Resolves {@code extends:} names against the repository's specs. */
  public static SpecLoader.Resolver resolver() {
    Path dir = repoSpecs();
    return new SpecLoader.Resolver() {
      @Override
      public SpecLoader.Source find(String name) {
        Path f = dir.resolve(name + ".yaml");
        if (!Files.exists(f)) return null;
        try {
          return new SpecLoader.Source(name, f.toString(), Files.readString(f));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }

      @Override
      public Set<String> names() {
        Set<String> r = new HashSet<>();
        try (Stream<Path> s = Files.list(dir)) {
          s.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".yaml")).forEach(f -> r.add(f.substring(0, f.length() - 5)));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        return r;
      }
    };
  }

  /** The repository spec {@code name}, with {@code backend}'s option keys. */
  public static TargetSpec repo(String name, Backend backend) {
    SpecLoader.Source s = resolver().find(name);
    if (s == null) throw new IllegalArgumentException("no spec " + name + " in " + repoSpecs());
    return SpecLoader.load(s, resolver(), id -> backend.specKeys());
  }

  /** A spec written in a test as YAML text (it may extend the repository's specs). */
  public static TargetSpec fromText(String name, String yaml, Backend backend) {
    return SpecLoader.load(new SpecLoader.Source(name, name + ".yaml", yaml), resolver(), id -> backend.specKeys());
  }

  /** A spec bundled as a class-path resource (a plugin's own spec). */
  public static TargetSpec resource(String path, Backend backend) {
    try (InputStream in = backend.getClass().getClassLoader().getResourceAsStream(path)) {
      if (in == null) throw new IllegalArgumentException("no resource " + path);
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      String name = path.substring(path.lastIndexOf('/') + 1).replace(".yaml", "");
      return SpecLoader.load(new SpecLoader.Source(name, path, text), resolver(), id -> backend.specKeys());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

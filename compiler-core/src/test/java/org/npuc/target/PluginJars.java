package org.npuc.target;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Builds real PF4J plugin jars in a temporary folder for the host's tests: compiled sources, manifest, extension index. */
public final class PluginJars {
  private PluginJars() {}

  /** A backend class {@code pkg.Name} with backend id {@code id}, claiming every op in float32 on {@code cpu}. */
  public static String backendSource(String pkg, String name, String id) {
    return "package " + pkg + ";\n"
        + "import java.util.Map;\n"
        + "import org.npuc.ir.*;\n"
        + "import org.npuc.spi.*;\n"
        + "@org.pf4j.Extension\n"
        + "public class " + name + " implements Backend {\n"
        + "  public String id() { return \"" + id + "\"; }\n"
        + "  public java.util.List<String> specResources() { return java.util.List.of(\"target-specs/" + id + ".yaml\"); }\n"
        + "  public Claims claim(Graph g, BackendContext c) {\n"
        + "    Claims r = new Claims();\n"
        + "    for (Operation op : g) if (!op.is(\"input\") && !op.is(\"output\") && !op.is(\"constant\")) r.add(OpClaim.claimed(op, \"cpu\", Precision.FLOAT32));\n"
        + "    return r;\n"
        + "  }\n"
        + "  public Simulation simulate(org.npuc.target.binary.BinaryImage b, Map<String, Tensor> in) {\n"
        + "    return org.npuc.target.lower.ReferenceExecutor.run(b.program(), in);\n"
        + "  }\n"
        + "}\n";
  }

  /**
   * Writes {@code dir/file} as a plugin jar: {@code manifest} entries, the compiled {@code sources}
   * (class name to source), {@code extensions} listed in META-INF/extensions.idx, and extra resources.
   */
  public static Path jar(Path dir, String file, Map<String, String> manifest, Map<String, String> sources, List<String> extensions, Map<String, String> resources)
      throws IOException {
    Path work = Files.createTempDirectory("npuc-plugin-build");
    Path classes = work.resolve("classes");
    Files.createDirectories(classes);
    if (!sources.isEmpty()) {
      JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
      java.util.List<String> args = new java.util.ArrayList<>(List.of("-proc:none", "-d", classes.toString(), "-cp", System.getProperty("java.class.path")));
      for (Map.Entry<String, String> e : sources.entrySet()) {
        Path src = work.resolve("src").resolve(e.getKey().replace('.', '/') + ".java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, e.getValue());
        args.add(src.toString());
      }
      int rc = javac.run(null, null, null, args.toArray(new String[0]));
      if (rc != 0) throw new IllegalStateException("javac failed for " + file);
    }
    Manifest mf = new Manifest();
    mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.forEach((k, v) -> mf.getMainAttributes().putValue(k, v));
    Path jar = dir.resolve(file);
    try (OutputStream os = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(os, mf)) {
      try (Stream<Path> s = Files.walk(classes)) {
        for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
          out.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
          out.write(Files.readAllBytes(p));
          out.closeEntry();
        }
      }
      out.putNextEntry(new JarEntry("META-INF/extensions.idx"));
      out.write((String.join("\n", extensions) + "\n").getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
      for (Map.Entry<String, String> e : resources.entrySet()) {
        out.putNextEntry(new JarEntry(e.getKey()));
        out.write(e.getValue().getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
      }
    }
    return jar;
  }

  public static Map<String, String> manifest(String id, String requires) {
    return Map.of("Plugin-Id", id, "Plugin-Version", "1.2.3", "Plugin-Requires", requires, "Plugin-Provider", "Tests");
  }
}

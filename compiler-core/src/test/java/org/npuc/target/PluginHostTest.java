package org.npuc.target;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.npuc.interp.Interpreter;
import org.npuc.ir.Graph;
import org.npuc.ir.Tensor;
import org.npuc.spi.Backend;
import org.npuc.spi.BackendContext;
import org.npuc.spi.Simulation;
import org.npuc.spi.TargetSpec;
import org.npuc.testing.BackendConformance;
import org.npuc.testing.ExampleCnn;

/** The plugin host loads real plugin jars from a folder, and reports broken ones by name while the others load. */
class PluginHostTest {
  static final String SPEC = "name: tiny\nbackend: tiny\nquantization: {activations: int8, symmetric: true, weights: per_channel}\n"
      + "memory: {alignment: 8}\ncost: {clock_mhz: 100, macs_per_cycle_int8: 4, macs_per_cycle_float: 2, dma_bytes_per_cycle: 8}\n"
      + "ops: {default: {engine: cpu, precisions: [float32]}}\n";

  private static Path good(Path dir) throws Exception {
    return PluginJars.jar(dir, "tiny-plugin.jar", PluginJars.manifest("tiny-plugin", ">=1.0.0 & <2.0.0"),
        Map.of("tiny.TinyBackend", PluginJars.backendSource("tiny", "TinyBackend", "tiny")), List.of("tiny.TinyBackend"),
        Map.of("target-specs/tiny.yaml", SPEC));
  }

  @Test
  void loadsAPluginJarAndCompilesWithItsBundledSpec(@TempDir Path dir) throws Exception {
    good(dir);
    try (PluginHost host = PluginHost.open(dir)) {
      assertEquals(List.of(), host.problems());
      PluginHost.Loaded l = host.backend("tiny");
      assertNotNull(l, "backend 'tiny' loaded");
      assertEquals("tiny-plugin", l.pluginId());
      assertEquals("1.2.3", l.version());
      // Loaded by the plugin's own class loader, not from the application class path.
      assertTrue(l.backend().getClass().getClassLoader() != Backend.class.getClassLoader());
      Targets targets = new Targets(host, null);
      TargetSpec spec = targets.byName("tiny");
      assertEquals("plugin:tiny-plugin/target-specs/tiny.yaml", spec.source());
      Graph g = ExampleCnn.build();
      Map<String, Tensor> in = BackendConformance.inputs(g, 1);
      Map<String, Tensor> want = new Interpreter(g).run(in);
      TargetCompiler.Result r = TargetCompiler.compile(g, targets.backendFor(spec), new BackendContext(spec));
      Simulation sim = targets.backendFor(spec).simulate(r.image(), in);
      for (String k : want.keySet()) assertArrayEquals(want.get(k).floats(), sim.outputs().get(k).floats(), 1e-5f);
    }
  }

  @Test
  void brokenPluginsAreReportedByNameAndTheOthersStillLoad(@TempDir Path dir) throws Exception {
    good(dir);
    PluginJars.jar(dir, "no-id.jar", Map.of("Plugin-Version", "1.0.0"), Map.of(), List.of(), Map.of());
    PluginJars.jar(dir, "missing-class.jar", PluginJars.manifest("missing-class", ">=1.0.0"), Map.of(), List.of("gone.GoneBackend"), Map.of());
    PluginJars.jar(dir, "future.jar", PluginJars.manifest("future-plugin", ">=2.0.0"),
        Map.of("future.FutureBackend", PluginJars.backendSource("future", "FutureBackend", "future")), List.of("future.FutureBackend"), Map.of());
    Files.writeString(dir.resolve("garbage.jar"), "not a zip");
    try (PluginHost host = PluginHost.open(dir)) {
      assertNotNull(host.backend("tiny"), "the good plugin still loads: " + host.problems());
      assertEquals(List.of("tiny"), List.copyOf(host.backends().keySet()));
      String all = String.join("\n", host.problems());
      assertTrue(all.contains("no-id.jar"), all);
      assertTrue(all.contains("missing-class") && all.contains("gone.GoneBackend"), all);
      assertTrue(all.contains("future-plugin") && all.contains(">=2.0.0") && all.contains(Backend.API_VERSION), all);
      assertTrue(all.contains("garbage.jar"), all);
    }
  }

  @Test
  void aMissingFolderIsAProblemNotACrash(@TempDir Path dir) {
    try (PluginHost host = PluginHost.open(dir.resolve("nope"))) {
      assertTrue(host.backends().isEmpty());
      assertTrue(host.problems().get(0).contains("does not exist"), host.problems().toString());
    }
  }
}

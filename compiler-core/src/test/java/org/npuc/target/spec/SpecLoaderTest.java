package org.npuc.target.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.npuc.diag.UserError;
import org.npuc.spi.Precision;
import org.npuc.spi.SpecKey;
import org.npuc.spi.TargetSpec;

/** Target specs: the schema, {@code extends:}, and errors that name file, line, key and the allowed values. */
class SpecLoaderTest {
  static final String BASE = String.join("\n",
      "name: base",
      "backend: toy",
      "quantization:",
      "  activations: int8",
      "  symmetric: true",
      "  weights: per_channel",
      "layouts: {activations: NC1HWC0:16, weights: OIHW}",
      "memory:",
      "  local_bytes: 65536",
      "  alignment: 64",
      "features: {winograd: true}",
      "cost: {clock_mhz: 500, macs_per_cycle_int8: 1024, macs_per_cycle_float: 64, dma_bytes_per_cycle: 32}",
      "ops:",
      "  conv2d: {engine: npu, precisions: [int8, float16], kernel_max: 7, strides: [1, 2]}",
      "  default: {engine: cpu, precisions: [float32]}",
      "options: {tile_rows: 4}",
      "");

  static final List<SpecKey> KEYS = List.of(SpecKey.ofInt("tile_rows", 1, "rows per tile"), SpecKey.ofBool("fast", false, "go fast"));

  static final Map<String, String> FILES = new java.util.HashMap<>(Map.of("base", BASE));

  static final SpecLoader.Resolver RESOLVER = new SpecLoader.Resolver() {
    @Override
    public SpecLoader.Source find(String name) {
      String t = FILES.get(name);
      return t == null ? null : new SpecLoader.Source(name, name + ".yaml", t);
    }

    @Override
    public Set<String> names() {
      return FILES.keySet();
    }
  };

  static TargetSpec load(String name, String text) {
    return SpecLoader.load(new SpecLoader.Source(name, name + ".yaml", text), RESOLVER, id -> KEYS);
  }

  static String error(String text) {
    return assertThrows(UserError.class, () -> load("bad", text)).getMessage();
  }

  @Test
  void readsEverySection() {
    TargetSpec s = load("base", BASE);
    assertEquals("toy", s.backend());
    assertTrue(s.quantization().symmetric() && s.quantization().perChannel());
    assertEquals("NC1HWC0:16", s.layout("activations", "NCHW"));
    assertEquals(65536, s.memory().localBytes());
    assertEquals(64, s.memory().weightAlignment(), "weight alignment defaults to alignment");
    assertTrue(s.feature("winograd"));
    assertEquals(List.of(Precision.INT8, Precision.FLOAT16), s.rule("conv2d").precisions());
    assertEquals(List.of(1L, 2L), s.rule("conv2d").strides());
    assertEquals("cpu", s.rule("relu").engine(), "unlisted ops take the default rule");
    assertEquals(4L, s.option("tile_rows"));
    assertEquals(false, s.option("fast"), "option defaults are filled in");
    assertEquals(64, s.hash().length());
  }

  @Test
  void extendsOverridesKeyByKey() {
    TargetSpec small = load("small", "name: small\nextends: base\nmemory: {local_bytes: 16384}\n");
    TargetSpec base = load("base", BASE);
    assertEquals(16384, small.memory().localBytes());
    assertEquals(64, small.memory().alignment(), "keys not overridden come from the base");
    assertEquals("small", small.name());
    assertEquals(base.rule("conv2d"), small.rule("conv2d"));
    assertNotEquals(base.hash(), small.hash());
  }

  @Test
  void unknownKeyNamesLineKeyNearestAndAllowed() {
    String m = error(BASE.replace("  alignment: 64", "  alignmnet: 64"));
    assertTrue(m.contains("bad.yaml:10:3: memory.alignmnet: unknown key (did you mean 'alignment'?)"), m);
    assertTrue(m.contains("allowed keys: global_bytes, local_bytes, alignment, weight_alignment, cores"), m);
    assertTrue(m.contains("memory.alignment: missing required key 'alignment'"), m);
  }

  @Test
  void wrongTypesAndValuesAreReportedTogether() {
    String m = error(BASE.replace("kernel_max: 7", "kernel_max: seven").replace("activations: int8", "activations: int9")
        .replace("precisions: [int8, float16]", "precisions: [int8, fp16]").replace("tile_rows: 4", "tile_rows: true"));
    assertTrue(m.contains("4 problems"), m);
    assertTrue(m.contains("bad.yaml:4:16: quantization.activations: 'int9' is not allowed (did you mean 'int8'?); allowed values: "), m);
    assertTrue(m.contains("ops.conv2d.kernel_max: expected an integer, got the string 'seven'"), m);
    assertTrue(m.contains("ops.conv2d.precisions: 'fp16' is not allowed"), m);
    assertTrue(m.contains("options.tile_rows: expected an integer, got 'true'"), m);
  }

  @Test
  void unknownOpAndOptionAreNamed() {
    String m = error(BASE.replace("  conv2d:", "  conv2:").replace("tile_rows: 4", "tile_row: 4"));
    assertTrue(m.contains("ops.conv2: unknown key (did you mean 'conv2d'?)"), m);
    assertTrue(m.contains("options.tile_row: unknown key (did you mean 'tile_rows'?); allowed keys: tile_rows, fast"), m);
  }

  @Test
  void missingSectionsAndBadYaml() {
    String m = error("name: x\nbackend: toy\n");
    assertTrue(m.contains("missing required key 'quantization'") && m.contains("missing required key 'cost'") && m.contains("missing required key 'ops'"), m);
    String y = error("name: [x\n");
    assertTrue(y.startsWith("bad.yaml:"), y);
    assertTrue(y.contains("not valid YAML"), y);
    String e = error("name: v\nextends: bsae\n");
    assertTrue(e.contains("bad.yaml:2:10: extends: no spec named 'bsae' (did you mean 'base'?)"), e);
  }
}

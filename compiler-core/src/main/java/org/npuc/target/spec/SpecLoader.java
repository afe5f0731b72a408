package org.npuc.target.spec;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.npuc.diag.UserError;
import org.npuc.ir.OpRegistry;
import org.npuc.spi.Precision;
import org.npuc.spi.SpecKey;
import org.npuc.spi.TargetSpec;
import org.npuc.target.lower.Layouts;

/**
 * Loads a target spec: YAML with locations, {@code extends:} applied (maps merge key by key, other
 * values replace), then every key checked against the schema in {@code target-specs/README.md}.
 * All problems are reported at once, each with file, line, column, key and the allowed values.
 */
public final class SpecLoader {
  /** A spec's text and where it came from. */
  public record Source(String name, String origin, String text) {}

  /** Finds a spec by name for {@code extends:}; null when there is none. */
  public interface Resolver {
    Source find(String name);

    /** Names it knows, for suggestions. */
    Set<String> names();
  }

  static final List<String> TOP = List.of("name", "extends", "backend", "description", "quantization", "layouts", "memory", "features", "cost", "ops", "options");
  static final List<String> QUANT = List.of("activations", "symmetric", "weights", "power_of_two_scales", "default_precision");
  static final List<String> LAYOUTS = List.of("activations", "weights");
  static final List<String> MEMORY = List.of("global_bytes", "local_bytes", "alignment", "weight_alignment", "cores");
  static final List<String> FEATURES = List.of("winograd");
  static final List<String> COST = List.of("clock_mhz", "macs_per_cycle_int8", "macs_per_cycle_float", "dma_bytes_per_cycle");
  static final List<String> OP = List.of("engine", "precisions", "kernel_max", "strides", "dilations", "max_input_channels", "max_output_channels", "min_input_channels_int8");
  static final Set<String> PRECISIONS = new LinkedHashSet<>(List.of("int8", "float16", "float32"));

  private SpecLoader() {}

  /**
   * Loads {@code source}; {@code keysFor} gives the option keys of a backend id (null when that
   * backend is not installed: its options are then kept unchecked).
   */
  public static TargetSpec load(Source source, Resolver resolver, Function<String, List<SpecKey>> keysFor) {
    SpecNode merged = resolve(source, resolver, new ArrayList<>());
    return validate(merged, source, keysFor);
  }

  private static SpecNode resolve(Source source, Resolver resolver, List<String> chain) {
    if (chain.contains(source.name())) throw new UserError(source.origin() + ": 'extends' forms a cycle: " + String.join(" -> ", chain) + " -> " + source.name());
    chain.add(source.name());
    SpecNode node = YamlTree.parse(source.text(), source.origin());
    SpecNode ext = node.map.get("extends");
    if (ext == null || ext.kind == SpecNode.Kind.NULL) return node;
    if (ext.kind != SpecNode.Kind.STRING) throw new UserError(ext.where() + ": extends: expected the name of a spec, got " + ext.describe());
    Source parent = resolver.find(ext.text);
    if (parent == null) {
      String near = org.npuc.diag.Suggestions.nearest(ext.text, resolver.names());
      throw new UserError(ext.where() + ": extends: no spec named '" + ext.text + "'" + (near != null ? " (did you mean '" + near + "'?)" : "")
          + "; specs: " + String.join(", ", new TreeSet<>(resolver.names())));
    }
    SpecNode base = resolve(parent, resolver, chain).copy();
    merge(base, node);
    base.map.remove("extends");
    return base;
  }

  private static void merge(SpecNode base, SpecNode over) {
    for (Map.Entry<String, SpecNode> e : over.map.entrySet()) {
      SpecNode old = base.map.get(e.getKey());
      if (old != null && old.kind == SpecNode.Kind.MAP && e.getValue().kind == SpecNode.Kind.MAP) {
        merge(old, e.getValue());
      } else {
        base.map.put(e.getKey(), e.getValue());
      }
      base.keyPositions.put(e.getKey(), over.keyPositions.get(e.getKey()));
    }
  }

  private static TargetSpec validate(SpecNode root, Source source, Function<String, List<SpecKey>> keysFor) {
    SpecChecker c = new SpecChecker();
    c.keys(root, "", TOP, List.of("name", "backend", "quantization", "memory", "cost", "ops"));
    String name = c.string(root, "name", "", source.name());
    String backend = c.string(root, "backend", "", "");
    String description = c.string(root, "description", "", "");

    SpecNode q = c.map(root, "quantization", "");
    TargetSpec.Quantization quant = new TargetSpec.Quantization("int8", true, "per_channel", false, Precision.INT8);
    if (q != null) {
      c.keys(q, "quantization", QUANT, List.of("activations", "symmetric", "weights"));
      quant = new TargetSpec.Quantization(
          c.choice(q, "activations", "quantization", "int8", Set.of("int8", "uint8")),
          c.bool(q, "symmetric", "quantization", true),
          c.choice(q, "weights", "quantization", "per_channel", Set.of("per_channel", "per_tensor")),
          c.bool(q, "power_of_two_scales", "quantization", false),
          Precision.fromText(c.choice(q, "default_precision", "quantization", "int8", PRECISIONS)));
    }

    Map<String, String> layouts = new TreeMap<>();
    SpecNode l = c.map(root, "layouts", "");
    if (l != null) {
      c.keys(l, "layouts", LAYOUTS, List.of());
      for (String k : LAYOUTS) {
        String v = c.string(l, k, "layouts", null);
        if (v == null) continue;
        boolean ok;
        try {
          ok = Layouts.known(v) && Layouts.bytes(org.npuc.ir.type.TensorType.f32(1, 1, 1, 1), v) > 0;
        } catch (IllegalArgumentException e) {
          ok = false;
        }
        if (!ok) c.error(l.map.get(k).where(), "layouts." + k, "unknown layout '" + v + "'; allowed: NCHW, OIHW, row-major, NC1HWC0:<C0> (e.g. NC1HWC0:16)");
        else layouts.put(k, v);
      }
    }

    SpecNode m = c.map(root, "memory", "");
    TargetSpec.Memory memory = new TargetSpec.Memory(0, 0, 1, 1, 1);
    if (m != null) {
      c.keys(m, "memory", MEMORY, List.of("alignment"));
      long align = c.integer(m, "alignment", "memory", 1);
      memory = new TargetSpec.Memory(
          c.integer(m, "global_bytes", "memory", 0),
          c.integer(m, "local_bytes", "memory", 0),
          Math.max(1, align),
          Math.max(1, c.integer(m, "weight_alignment", "memory", align)),
          Math.max(1, c.integer(m, "cores", "memory", 1)));
    }

    Map<String, Boolean> features = new TreeMap<>();
    SpecNode f = c.map(root, "features", "");
    if (f != null) {
      c.keys(f, "features", FEATURES, List.of());
      for (String k : FEATURES) features.put(k, c.bool(f, k, "features", false));
    }

    SpecNode co = c.map(root, "cost", "");
    TargetSpec.Cost cost = new TargetSpec.Cost(1, 1, 1, 1);
    if (co != null) {
      c.keys(co, "cost", COST, COST);
      cost = new TargetSpec.Cost(
          c.number(co, "clock_mhz", "cost", 1),
          c.number(co, "macs_per_cycle_int8", "cost", 1),
          c.number(co, "macs_per_cycle_float", "cost", 1),
          c.number(co, "dma_bytes_per_cycle", "cost", 1));
    }

    Map<String, TargetSpec.OpRule> ops = new TreeMap<>();
    SpecNode o = c.map(root, "ops", "");
    if (o != null) {
      List<String> opNames = new ArrayList<>(OpRegistry.global().names());
      opNames.add("default");
      c.keys(o, "ops", opNames, List.of());
      for (Map.Entry<String, SpecNode> e : o.map.entrySet()) {
        String path = "ops." + e.getKey();
        SpecNode r = e.getValue();
        if (r.kind != SpecNode.Kind.MAP) {
          c.error(r.where(), path, "expected a map like {precisions: [int8]}, got " + r.describe());
          continue;
        }
        c.keys(r, path, OP, List.of("precisions"));
        List<Precision> precs = new ArrayList<>();
        for (String p : c.strings(r, "precisions", path, PRECISIONS)) precs.add(Precision.fromText(p));
        ops.put(e.getKey(), new TargetSpec.OpRule(
            c.string(r, "engine", path, "npu"),
            precs,
            c.integer(r, "kernel_max", path, 0),
            c.integers(r, "strides", path),
            c.integers(r, "dilations", path),
            c.integer(r, "max_input_channels", path, 0),
            c.integer(r, "max_output_channels", path, 0),
            c.integer(r, "min_input_channels_int8", path, 0)));
      }
    }

    Map<String, Object> options = new TreeMap<>();
    SpecNode op = c.map(root, "options", "");
    List<SpecKey> keys = backend.isEmpty() ? null : keysFor.apply(backend);
    if (keys != null) options.putAll(OptionBinder.bind(op, keys, c));
    else if (op != null) for (String k : op.map.keySet()) options.put(k, op.map.get(k).text);

    if (!c.errors.isEmpty()) {
      throw new UserError("target spec " + source.origin() + " has " + c.errors.size() + " problem" + (c.errors.size() == 1 ? "" : "s") + ":\n  "
          + String.join("\n  ", c.errors));
    }
    StringBuilder canon = new StringBuilder();
    root.canonical(canon);
    return new TargetSpec(name, backend, description, source.origin(), sha256(canon.toString()), quant, layouts, memory, features, cost, ops, options);
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

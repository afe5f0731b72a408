package org.npuc.spi;

import java.util.List;
import java.util.Map;
import org.npuc.ir.Graph;
import org.npuc.ir.Tensor;
import org.npuc.target.binary.BinaryImage;
import org.npuc.target.binary.BinaryWriter;
import org.npuc.target.lower.ProgramBuilder;
import org.pf4j.ExtensionPoint;

/**
 * A compiler backend for one family of targets, loaded as a PF4J plugin extension. The host asks it
 * to {@link #claim} the ops it can run (the rest fall back to float on the host, with the reason it
 * gives), to {@link #lower} what it claimed into a {@link TargetProgram}, to {@link #emit} the common
 * binary, and to {@link #simulate} that binary.
 *
 * <p>Stability: {@link #id}, {@link #claim}, {@link #simulate} and the data types they use are
 * stable for API 1.x. New capabilities arrive as default methods with a neutral result, so an old
 * plugin keeps loading. {@link #lower} and {@link #emit} may still gain parameters through
 * {@link BackendContext} (not through their signatures).
 */
public interface Backend extends ExtensionPoint {
  /**
   * The SPI version of this npuc. A plugin states what it needs in its descriptor
   * ({@code Plugin-Requires: >=1.0.0 & <2.0.0}); one that needs another version is reported, not loaded.
   */
  String API_VERSION = "1.0.0";

  /** The backend id that specs name in {@code backend:} ({@code generic-cpu}, {@code bm1684}). */
  String id();

  /** One line for {@code npuc targets}. */
  default String description() {
    return "";
  }

  /** The keys this backend reads under {@code options:} in a spec, typed, with defaults. */
  default List<SpecKey> specKeys() {
    return List.of();
  }

  /**
   * Specs bundled in the plugin jar, as resource paths ({@code target-specs/example-npu.yaml}); the
   * host adds them to the targets {@code --target NAME} finds.
   */
  default List<String> specResources() {
    return List.of();
  }

  /**
   * Says for every op of {@code graph} (a verified, optimized IR graph whose element types say what
   * is quantized) the engine and precision it runs in, or why it refuses it. Must not change the
   * graph. Boundary ops ({@code input}, {@code output}) and {@code constant}s need no claim.
   */
  Claims claim(Graph graph, BackendContext context);

  /**
   * Lowers the claimed graph to a target program: layouts, tiling, target opcodes, cycles and the
   * memory plan. The default builds one command per op with {@link ProgramBuilder} (float fallback
   * conversions, liveness memory plan, cost-model cycles); backends usually call it and then rewrite
   * commands and tensor layouts.
   */
  default TargetProgram lower(Graph graph, Claims claims, BackendContext context) {
    return ProgramBuilder.build(graph, claims, context);
  }

  /** Writes the program as the common binary ({@code docs/binary-format.md}). */
  default byte[] emit(TargetProgram program, BackendContext context) {
    return BinaryWriter.write(program, context.spec(), id());
  }

  /**
   * Executes a binary (already validated by the reader) on inputs given by input name in the
   * model's layout and element types; returns outputs by output name, cycles and memory.
   */
  Simulation simulate(BinaryImage binary, Map<String, Tensor> inputs);
}

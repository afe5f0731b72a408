package org.npuc.backend.bm1684;

import java.util.List;
import java.util.Map;
import org.npuc.ir.Graph;
import org.npuc.ir.Tensor;
import org.npuc.spi.Backend;
import org.npuc.spi.BackendContext;
import org.npuc.spi.Claims;
import org.npuc.spi.Simulation;
import org.npuc.spi.SpecKey;
import org.npuc.spi.TargetProgram;
import org.npuc.target.binary.BinaryImage;
import org.npuc.target.lower.ProgramBuilder;
import org.npuc.target.lower.ReferenceExecutor;
import org.pf4j.Extension;

/**
 * The BM1684-like NPU backend: int8 with symmetric activations, integer winograd for 3x3 stride-1
 * convolutions, convolution tiling into the spec's local memory, float-forward regions and
 * depthwise-in-float; its simulator runs the emitted command stream tile by tile.
 */
@Extension
public final class Bm1684Backend implements Backend {
  public static final String ID = "bm1684";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String description() {
    return "BM1684-like NPU: int8 (symmetric activations), integer winograd F(2x2,3x3), local-memory tiling, float-forward blocks";
  }

  @Override
  public List<SpecKey> specKeys() {
    return List.of(
        SpecKey.ofStrings("fpfwd_inputs", List.of(), "layers that, with everything before them, run in float (BM tools' fpfwd_inputs)"),
        SpecKey.ofStrings("fpfwd_outputs", List.of(), "layers that, with everything after them, run in float (BM tools' fpfwd_outputs)"),
        SpecKey.ofStrings("fpfwd_blocks", List.of(), "blocks \"FIRST:LAST\" (or one layer) that run in float"),
        SpecKey.ofBool("accuracy_opt", false, "run depthwise convolutions in float (BM tools' accuracy_opt)"));
  }

  @Override
  public List<String> specResources() {
    return List.of();
  }

  @Override
  public Claims claim(Graph graph, BackendContext context) {
    return Bm1684Claimer.claim(graph, context);
  }

  @Override
  public TargetProgram lower(Graph graph, Claims claims, BackendContext context) {
    TargetProgram p = ProgramBuilder.build(graph, claims, context);
    return Bm1684Lowering.rewrite(p, context.spec());
  }

  @Override
  public Simulation simulate(BinaryImage binary, Map<String, Tensor> inputs) {
    return new ReferenceExecutor(binary.program(), Bm1684Kernels.all()).run(inputs);
  }
}

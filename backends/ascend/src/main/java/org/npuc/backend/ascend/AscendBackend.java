package org.npuc.backend.ascend;

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
 * The Ascend-like NPU backend: int8 for the layer kinds AMCT quantizes, float16 on the AI core for
 * the rest (small-Cin convolutions included, with a warning), float32 on the AI-CPU for ops the
 * AI core lacks; NC1HWC0 activations and fractal-Z weights in the binary; a simulator that rounds
 * to binary16 after every float16 op.
 */
@Extension
public final class AscendBackend implements Backend {
  public static final String ID = "ascend";

  static {
    FractalZCodec.register();
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String description() {
    return "Ascend-like NPU: AMCT int8 layer kinds, float16 AI core, AI-CPU fallback, NC1HWC0 and fractal-Z layouts";
  }

  @Override
  public List<SpecKey> specKeys() {
    return List.of(
        SpecKey.ofStrings("force_int8", List.of(), "layers kept in int8 even where the target advises float16 (small Cin)"),
        SpecKey.ofBool("force_int8_small_cin", false, "run every small-Cin convolution in int8 anyway"));
  }

  @Override
  public Claims claim(Graph graph, BackendContext context) {
    return AscendClaimer.claim(graph, context);
  }

  @Override
  public TargetProgram lower(Graph graph, Claims claims, BackendContext context) {
    return AscendLowering.rewrite(ProgramBuilder.build(graph, claims, context));
  }

  @Override
  public Simulation simulate(BinaryImage binary, Map<String, Tensor> inputs) {
    return new ReferenceExecutor(binary.program(), AscendKernels.forProgram(binary.program())).run(inputs);
  }
}

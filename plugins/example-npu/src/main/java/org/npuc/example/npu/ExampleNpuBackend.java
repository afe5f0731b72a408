package org.npuc.example.npu;

import java.util.List;
import java.util.Map;
import org.npuc.ir.Graph;
import org.npuc.ir.Operation;
import org.npuc.ir.Tensor;
import org.npuc.spi.Backend;
import org.npuc.spi.BackendContext;
import org.npuc.spi.Claims;
import org.npuc.spi.OpClaim;
import org.npuc.spi.Precision;
import org.npuc.spi.Simulation;
import org.npuc.spi.SpecKey;
import org.npuc.spi.TargetSpec;
import org.npuc.target.binary.BinaryImage;
import org.npuc.target.lower.OpRules;
import org.npuc.target.lower.ReferenceExecutor;
import org.pf4j.Extension;

/**
 * The vendor kit's example backend: claims what its spec lists (within the spec's limits) on the
 * {@code npu} engine, refuses the rest with the reason (they fall back to float on the host), and
 * simulates with the shared reference executor. Written only against the npuc SPI.
 */
@Extension
public final class ExampleNpuBackend implements Backend {
  @Override
  public String id() {
    return "example-npu";
  }

  @Override
  public String description() {
    return "example 8-bit NPU from the vendor kit";
  }

  @Override
  public List<SpecKey> specKeys() {
    return List.of(SpecKey.ofBool("fuse_relu", true, "run a ReLU fused into the op before it (act attribute) on the NPU"));
  }

  @Override
  public List<String> specResources() {
    return List.of("target-specs/example-npu.yaml");
  }

  @Override
  public Claims claim(Graph graph, BackendContext context) {
    TargetSpec spec = context.spec();
    Claims claims = new Claims();
    for (Operation op : graph) {
      if (op.is("input") || op.is("output") || op.is("constant")) continue;
      String why = OpRules.refusal(op, spec);
      String act = op.attributes().getString("act", "none");
      if (why == null && !act.equals("none") && (!act.equals("relu") || !spec.optionBool("fuse_relu"))) {
        why = "fused activation '" + act + "' is not supported on the NPU";
      }
      Precision p = why == null ? OpRules.precision(op, spec) : null;
      if (why == null && p == null) why = "no precision of " + spec.rule(op.name()).precisions() + " fits this op";
      if (why != null) {
        claims.add(OpClaim.refused(op, why));
      } else {
        claims.add(OpClaim.claimed(op, spec.rule(op.name()).engine(), p));
      }
    }
    return claims;
  }

  @Override
  public Simulation simulate(BinaryImage binary, Map<String, Tensor> inputs) {
    return new ReferenceExecutor(binary.program(), Map.of()).run(inputs);
  }
}

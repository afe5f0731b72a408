package org.npuc.backend.genericcpu;

import java.util.List;
import java.util.Map;
import org.npuc.interp.QuantizedKernels;
import org.npuc.ir.Graph;
import org.npuc.ir.Operation;
import org.npuc.ir.Tensor;
import org.npuc.ir.Value;
import org.npuc.spi.Backend;
import org.npuc.spi.BackendContext;
import org.npuc.spi.Claims;
import org.npuc.spi.OpClaim;
import org.npuc.spi.Precision;
import org.npuc.spi.Simulation;
import org.npuc.spi.TargetSpec;
import org.npuc.target.binary.BinaryImage;
import org.npuc.target.lower.ReferenceExecutor;
import org.pf4j.Extension;

/**
 * The portable CPU target: runs every op, in int8 where the graph is quantized (with the integer
 * reference kernels) and in float otherwise. Its simulator executes the binary with the reference
 * kernels, so it is the integer reference every other target's simulator is compared with.
 */
@Extension
public final class GenericCpuBackend implements Backend {
  public static final String ID = "generic-cpu";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String description() {
    return "portable int8/float program; the integer reference simulator";
  }

  @Override
  public Claims claim(Graph graph, BackendContext context) {
    TargetSpec spec = context.spec();
    Claims claims = new Claims();
    for (Operation op : graph) {
      if (op.is("input") || op.is("output") || op.is("constant")) continue;
      String layer = op.location().primaryName();
      TargetSpec.OpRule rule = spec.rule(op.name());
      String engine = rule != null ? rule.engine() : "cpu";
      if (!touchesQuantized(op)) {
        claims.add(OpClaim.claimed(op, engine, Precision.FLOAT32));
      } else if (layer != null && context.keepFloat().contains(layer)) {
        claims.add(OpClaim.claimed(op, engine, Precision.FLOAT32).withNote("kept in float32 (--float)"));
      } else if (QuantizedKernels.lookup(op.name()) == null) {
        claims.add(OpClaim.claimed(op, engine, Precision.FLOAT32)
            .withNote("no integer kernel for " + op.name() + "; runs in float32 between dequantize and quantize"));
      } else {
        claims.add(OpClaim.claimed(op, engine, Precision.INT8));
      }
    }
    return claims;
  }

  private static boolean touchesQuantized(Operation op) {
    for (Value v : op.operands()) if (v.type().elementType().isQuantized()) return true;
    for (Value v : op.results()) if (v.type().elementType().isQuantized()) return true;
    return false;
  }

  @Override
  public Simulation simulate(BinaryImage binary, Map<String, Tensor> inputs) {
    return new ReferenceExecutor(binary.program(), Map.of()).run(inputs);
  }

  @Override
  public List<String> specResources() {
    return List.of();
  }
}

package org.npuc.transforms;

import java.util.Set;
import org.npuc.ir.Graph;
import org.npuc.pass.Pass;
import org.npuc.pass.PassContext;
import org.npuc.pass.Statistic;

/**
 * Turns {@code conv2d/deconv2d/matmul → bias_add} (and an {@code add} of a constant that varies
 * along the output channels only, as TensorFlow's BiasAdd-less graphs have) into the op's own bias
 * operand, so later passes see one op and fused activations can follow directly.
 */
public final class FuseBiasAddPass extends Pass {
  private static final Set<String> KINDS = Set.of("bias_add", "add");

  private final Statistic fused = statistic("fused", "bias_add/add ops merged into a conv2d/deconv2d/matmul bias");

  public FuseBiasAddPass() {
    super("fuse_bias_add", "merge bias_add (or add of a per-channel constant) after conv2d/deconv2d/matmul into its bias");
  }

  @Override
  public boolean run(Graph graph, PassContext context) {
    int n = AffineFoldDriver.run(graph, context, new ConstantValues(context), KINDS, p -> true);
    fused.add(n);
    return n > 0;
  }
}

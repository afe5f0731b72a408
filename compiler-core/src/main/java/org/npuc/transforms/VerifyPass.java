package org.npuc.transforms;

import org.npuc.ir.Graph;
import org.npuc.ir.Verifier;
import org.npuc.pass.Pass;
import org.npuc.pass.PassContext;

/**
 * Checks the IR and changes nothing: useful at a chosen point of a pipeline, or with
 * {@code --no-verify} to verify only where asked.
 */
public final class VerifyPass extends Pass {
  public VerifyPass() {
    super("verify", "check that the IR is well formed (types, def before use, names); changes nothing");
  }

  @Override
  public boolean run(Graph graph, PassContext context) {
    Verifier.verify(graph, context.registry());
    return false;
  }
}

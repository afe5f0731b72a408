package org.npuc.transforms;

import org.npuc.pass.PassRegistry;

/**
 * The catalog of core passes and named pipelines: one line per pass, so that {@code npuc passes}
 * and pipeline parsing see them all. Later issues add their passes here.
 */
public final class Passes {
  /**
   * The general optimizations, in an order where each helps the next: dead code goes before
   * folding so no work is spent on it, and again at the end for what folding and cse leave.
   */
  public static final String OPTIMIZE = "remove_nodes(op=identity),eliminate_dead_code,fold_constants,cse,eliminate_dead_code";

  private Passes() {}

  public static void registerAll(PassRegistry registry) {
    registry.register(VerifyPass::new);
    registry.register(InferShapesPass::new);
    registry.register(FoldConstantsPass::new);
    registry.register(EliminateDeadCodePass::new);
    registry.register(CsePass::new);
    registry.register(RemoveNodesPass::new);
    registry.register(StripUnusedNodesPass::new);
    registry.registerPipeline("optimize", OPTIMIZE, "general clean-up: drop identities, fold constants, merge duplicates, remove dead ops");
  }
}

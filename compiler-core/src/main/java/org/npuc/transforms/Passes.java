package org.npuc.transforms;

import org.npuc.pass.PassRegistry;

/**
 * The catalog of core passes and named pipelines: one line per pass, so that {@code npuc passes}
 * and pipeline parsing see them all. Later issues add their passes here.
 */
public final class Passes {
  /**
   * The default optimization pipeline, in an order where each pass helps the next: drop dead code
   * first so no work is spent on it, fold constants, straighten layouts, fold normalizations into weights (biases first so the
   * batch norm sees its conv), then pads and activations, and clean up what the folding left.
   */
  public static final String OPTIMIZE =
      "remove_nodes(op=identity),eliminate_dead_code,fold_constants,fold_transposes,fuse_bias_add,fold_old_batch_norms,fold_batch_norms,"
          + "merge_scale_to_conv,fuse_preprocessing,fuse_pad,fuse_activations,fold_constants,cse,eliminate_dead_code";

  private Passes() {}

  public static void registerAll(PassRegistry registry) {
    registry.register(VerifyPass::new);
    registry.register(InferShapesPass::new);
    registry.register(FoldConstantsPass::new);
    registry.register(EliminateDeadCodePass::new);
    registry.register(CsePass::new);
    registry.register(RemoveNodesPass::new);
    registry.register(StripUnusedNodesPass::new);
    registry.register(FoldTransposesPass::new);
    registry.register(FuseBiasAddPass::new);
    registry.register(FoldOldBatchNormsPass::new);
    registry.register(FoldBatchNormsPass::new);
    registry.register(MergeScaleToConvPass::new);
    registry.register(FusePreprocessingPass::new);
    registry.register(FusePadPass::new);
    registry.register(FuseActivationsPass::new);
    registry.register(ImportQatRangesPass::new);
    registry.register(QuantizePass::new);
    registry.registerPipeline("optimize", OPTIMIZE, "the default optimizations: clean-up, layout folding, batch-norm/scale/bias folding, pad and activation fusion");
  }
}

package org.npuc.frontend.tensorflow;

import java.util.List;
import org.npuc.frontend.tensorflow.proto.NodeDef;

/**
 * Translates one TensorFlow node into IR ops. Returns the node's outputs by output index; an entry
 * may be null for an output npuc does not produce (e.g. FusedBatchNorm's batch statistics), which
 * is an error only when something reads it.
 */
@FunctionalInterface
interface OpConverter {
  TfValue[] convert(ImportContext ctx, NodeDef node, Attrs attrs, List<TfValue> in);
}

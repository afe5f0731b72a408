package org.npuc.frontend.caffe;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.npuc.diag.Suggestions;
import org.npuc.diag.UserError;
import org.npuc.frontend.caffe.proto.CaffeProto.LayerParameter;
import org.npuc.frontend.caffe.proto.CaffeProto.NetState;
import org.npuc.frontend.caffe.proto.CaffeProto.NetStateRule;
import org.npuc.frontend.caffe.proto.CaffeProto.Phase;

/**
 * Which layers of a prototxt make the inference graph: Caffe's include/exclude rules for the TEST
 * phase, training-only layers dropped, and every layer type npuc cannot import reported at once.
 */
final class LayerSelection {
  private LayerSelection() {}

  /** Layers that only matter for training (losses, accuracy, sinks): dropped from a deploy graph. */
  static final Set<String> TRAINING_ONLY = Set.of(
      "Accuracy", "SoftmaxWithLoss", "EuclideanLoss", "SigmoidCrossEntropyLoss", "HingeLoss", "InfogainLoss",
      "MultinomialLogisticLoss", "ContrastiveLoss", "Silence");

  /** Caffe's StateMeetsRule: include rules (any met) or else exclude rules (none met). */
  static boolean included(LayerParameter l, NetState state) {
    if (l.getIncludeCount() > 0) {
      for (NetStateRule r : l.getIncludeList()) if (meets(r, state)) return true;
      return false;
    }
    for (NetStateRule r : l.getExcludeList()) if (meets(r, state)) return false;
    return true;
  }

  private static boolean meets(NetStateRule r, NetState s) {
    Phase phase = s.hasPhase() ? s.getPhase() : Phase.TEST;
    if (r.hasPhase() && r.getPhase() != phase) return false;
    if (r.hasMinLevel() && s.getLevel() < r.getMinLevel()) return false;
    if (r.hasMaxLevel() && s.getLevel() > r.getMaxLevel()) return false;
    for (String st : r.getStageList()) if (!s.getStageList().contains(st)) return false;
    for (String st : r.getNotStageList()) if (s.getStageList().contains(st)) return false;
    return true;
  }

  static void checkTypes(List<LayerParameter> layers, Set<String> mapped, String fileName) {
    Map<String, List<String>> unsupported = new LinkedHashMap<>();
    for (LayerParameter l : layers) {
      String t = l.getType();
      if (mapped.contains(t) || TRAINING_ONLY.contains(t) || DataLayers.TYPES.contains(t) || t.equals("Input")) continue;
      unsupported.computeIfAbsent(t.isEmpty() ? "(no type)" : t, k -> new ArrayList<>()).add(l.getName());
    }
    if (unsupported.isEmpty()) return;
    StringBuilder sb = new StringBuilder(fileName + ": unsupported Caffe layer types: ");
    boolean first = true;
    for (var e : unsupported.entrySet()) {
      sb.append(first ? "" : "; ").append(e.getKey()).append(" (layer");
      sb.append(e.getValue().size() > 1 ? "s " : " ").append(String.join(", ", e.getValue().stream().map(n -> "'" + n + "'").toList())).append(')');
      String near = Suggestions.nearest(e.getKey(), mapped);
      if (near != null && !near.equals(e.getKey())) sb.append(" — did you mean '").append(near).append("'?");
      first = false;
    }
    List<String> all = new ArrayList<>(mapped);
    all.add("Input");
    all.addAll(DataLayers.TYPES);
    all.sort(null);
    sb.append(". Supported: ").append(String.join(", ", all));
    throw new UserError(sb.toString());
  }

}

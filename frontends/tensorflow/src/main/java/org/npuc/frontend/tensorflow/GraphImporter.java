package org.npuc.frontend.tensorflow;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.npuc.diag.Suggestions;
import org.npuc.diag.UserError;
import org.npuc.frontend.tensorflow.proto.GraphDef;
import org.npuc.frontend.tensorflow.proto.NodeDef;
import org.npuc.ir.Graph;
import org.npuc.ir.Operation;
import org.npuc.ir.Tensor;
import org.npuc.ir.Value;
import org.npuc.spi.ImportOptions;

/**
 * Turns a GraphDef into an IR graph: selects the part between the requested inputs and outputs (as
 * {@code strip_unused_nodes} does), checks it (unknown names, cycles, every unsupported op at
 * once), then converts the nodes in topological order and removes what ended up unused.
 */
final class GraphImporter {
  static final Map<String, OpConverter> CONVERTERS = new HashMap<>();

  /** Ops whose output is their (first) input. */
  static final Set<String> PASS_THROUGH =
      Set.of(
          "Identity",
          "StopGradient",
          "CheckNumerics",
          "Snapshot",
          "PreventGradient",
          "EnsureShape");

  private static final Set<String> NOT_OUTPUTS =
      Set.of(
          "Const",
          "NoOp",
          "Placeholder",
          "PlaceholderWithDefault",
          "Assert",
          "SaveV2",
          "RestoreV2",
          "VarHandleOp");

  static {
    ElementwiseOps.register(CONVERTERS);
    ConvOps.register(CONVERTERS);
    PoolOps.register(CONVERTERS);
    ShapeOps.register(CONVERTERS);
    SliceOps.register(CONVERTERS);
    QuantOps.register(CONVERTERS);
    SplitOps.register(CONVERTERS);
    FoldedOps.register(CONVERTERS);
  }

  private final GraphDef graphDef;
  private final Map<String, Tensor> weights;
  private final ImportOptions options;
  private final String file;
  private final Map<String, NodeDef> nodes = new LinkedHashMap<>();
  private final Map<String, TfValue[]> outputs = new HashMap<>();
  private ImportContext ctx;

  GraphImporter(
      GraphDef graphDef, Map<String, Tensor> weights, ImportOptions options, String file) {
    this.graphDef = graphDef;
    this.weights = weights;
    this.options = options;
    this.file = file;
  }

  /** Every TF op type npuc can import (besides Placeholder, Const, NoOp and pass-throughs). */
  static Set<String> supportedOps() {
    Set<String> s = new java.util.TreeSet<>(CONVERTERS.keySet());
    s.addAll(PASS_THROUGH);
    s.addAll(List.of("Placeholder", "PlaceholderWithDefault", "Const", "NoOp", "IdentityN"));
    return s;
  }

  private boolean weightsFromManifest;
  private Map<String, QuantStats.Range> ranges = Map.of();
  private String rangesFile;

  /** Ranges from a QuantizationInfo file, recorded on the named tensors. */
  void ranges(Map<String, QuantStats.Range> ranges, String rangesFile) {
    this.ranges = ranges;
    this.rangesFile = rangesFile;
  }

  void weightsFromManifest(boolean v) {
    weightsFromManifest = v;
  }

  Graph run(String graphName) {
    for (NodeDef n : graphDef.getNodeList()) {
      if (n.getName().isEmpty())
        throw new UserError(file + ": a node has no name; the file is not a valid GraphDef");
      if (nodes.put(n.getName(), n) != null)
        throw new UserError(file + ": two nodes are named '" + n.getName() + "'");
    }
    if (nodes.isEmpty())
      throw new UserError(file + ": the graph has no nodes (is this a TensorFlow GraphDef?)");

    // Requested inputs (tensor name → shape override) and outputs.
    Map<String, int[]> cutInputs = new LinkedHashMap<>();
    for (String spec : options.inputs()) {
      Object[] p = TensorNames.splitShape(spec);
      TensorNames t = TensorNames.parse((String) p[0]);
      requireNode(t.node(), "--inputs");
      cutInputs.put(t.canonical(), (int[]) p[1]);
    }
    for (Map.Entry<String, int[]> e : options.inputShapes().entrySet()) {
      TensorNames t = TensorNames.parse(e.getKey());
      requireNode(t.node(), "--input-shape");
      if (cutInputs.get(t.canonical()) == null) cutInputs.put(t.canonical(), e.getValue());
    }
    List<TensorNames> outs = new ArrayList<>();
    if (!options.outputs().isEmpty()) {
      for (String o : options.outputs()) {
        TensorNames t = TensorNames.parse(o);
        requireNode(t.node(), "--outputs");
        outs.add(t);
      }
    } else {
      outs.addAll(defaultOutputs());
      if (outs.isEmpty())
        throw new UserError(file + ": the graph has no output node; name one with --outputs");
    }

    List<NodeDef> order = topologicalOrder(outs, cutInputs.keySet());
    checkSupported(order, cutInputs.keySet());

    Graph g = new Graph(graphName);
    g.attributes().set("source_format", "tensorflow").set("source_file", file);
    ctx = new ImportContext(g, file);
    ctx.weightsFromManifest = weightsFromManifest;
    createInputs(order, cutInputs);
    for (NodeDef n : order) {
      if (outputs.containsKey(n.getName())) continue; // already an input
      ctx.setNode(n);
      outputs.put(n.getName(), convert(n));
    }
    for (TensorNames o : outs) {
      TfValue v = lookup(o, null);
      NodeDef n = nodes.get(o.node());
      ctx.setNode(n);
      Value pv = ctx.plain(v);
      ctx.builder.output(o.canonical(), pv, ctx.loc());
    }
    QuantStats.apply(ranges, rangesFile, nodes, outputs, file);
    removeUnused(g);
    return g;
  }

  private void requireNode(String name, String option) {
    if (!nodes.containsKey(name)) {
      String near = Suggestions.nearest(name, nodes.keySet());
      throw new UserError(
          file
              + ": "
              + option
              + " names '"
              + name
              + "', which is not a node of the graph"
              + (near != null ? "; did you mean '" + near + "'?" : ""));
    }
  }

  private List<TensorNames> defaultOutputs() {
    Set<String> consumed = new HashSet<>();
    for (NodeDef n : nodes.values()) {
      for (String in : n.getInputList()) {
        TensorNames t = TensorNames.parse(in);
        if (t != null) consumed.add(t.node());
      }
    }
    List<TensorNames> r = new ArrayList<>();
    for (NodeDef n : nodes.values()) {
      if (!consumed.contains(n.getName()) && !NOT_OUTPUTS.contains(n.getOp()))
        r.add(new TensorNames(n.getName(), 0));
    }
    return r;
  }

  /**
   * The nodes the outputs need, inputs first; stops at cut inputs; reports unknown names and
   * cycles.
   */
  private List<NodeDef> topologicalOrder(List<TensorNames> outs, Set<String> cut) {
    Map<String, Integer> state = new HashMap<>(); // 1 = on stack, 2 = done
    List<NodeDef> order = new ArrayList<>();
    Map<String, List<String>> unknown = new TreeMap<>();
    for (TensorNames o : outs) {
      if (state.containsKey(o.node())) continue;
      Deque<Object[]> stack = new ArrayDeque<>();
      stack.push(new Object[] {nodes.get(o.node()), 0});
      state.put(o.node(), 1);
      while (!stack.isEmpty()) {
        Object[] top = stack.peek();
        NodeDef n = (NodeDef) top[0];
        int i = (Integer) top[1];
        boolean isCut = cutsNode(n.getName(), cut);
        if (isCut || i >= n.getInputCount()) {
          stack.pop();
          state.put(n.getName(), 2);
          order.add(n);
          continue;
        }
        top[1] = i + 1;
        TensorNames t = TensorNames.parse(n.getInput(i));
        if (t == null) continue; // control dependencies carry no data
        if (cut.contains(t.canonical())) {
          if (!state.containsKey(t.node())) {
            state.put(t.node(), 2);
            order.add(nodes.get(t.node()));
          }
          continue;
        }
        NodeDef in = nodes.get(t.node());
        if (in == null) {
          unknown.computeIfAbsent(t.node(), k -> new ArrayList<>()).add(n.getName());
          continue;
        }
        Integer s = state.get(t.node());
        if (s == null) {
          state.put(t.node(), 1);
          stack.push(new Object[] {in, 0});
        } else if (s == 1) {
          List<String> cycle = new ArrayList<>();
          for (Object[] f : stack) {
            cycle.add(0, ((NodeDef) f[0]).getName());
            if (((NodeDef) f[0]).getName().equals(t.node())) break;
          }
          throw new UserError(
              file
                  + ": the graph has a cycle through nodes "
                  + String.join(" -> ", cycle)
                  + " -> "
                  + t.node()
                  + " (control flow loops are not supported; cut the graph with"
                  + " --inputs/--outputs)");
        }
      }
    }
    if (!unknown.isEmpty()) {
      StringBuilder sb =
          new StringBuilder(file + ": " + unknown.size() + " input name(s) refer to no node:");
      unknown.forEach(
          (k, v) ->
              sb.append("\n  '")
                  .append(k)
                  .append("' (read by ")
                  .append(String.join(", ", v))
                  .append(")"));
      throw new UserError(sb.toString());
    }
    return order;
  }

  private static boolean cutsNode(String node, Set<String> cut) {
    for (String c : cut) if (TensorNames.parse(c).node().equals(node)) return true;
    return false;
  }

  private void checkSupported(List<NodeDef> order, Set<String> cut) {
    Map<String, List<String>> bad = new TreeMap<>();
    for (NodeDef n : order) {
      if (cutsNode(n.getName(), cut)) continue;
      String op = n.getOp();
      if (op.equals("Placeholder")
          || op.equals("PlaceholderWithDefault")
          || op.equals("Const")
          || op.equals("NoOp")
          || op.equals("IdentityN")) continue;
      if (PASS_THROUGH.contains(op) || CONVERTERS.containsKey(op)) continue;
      bad.computeIfAbsent(op, k -> new ArrayList<>()).add(n.getName());
    }
    if (bad.isEmpty()) return;
    int count = bad.values().stream().mapToInt(List::size).sum();
    StringBuilder sb =
        new StringBuilder(
            file + ": " + count + " node(s) use " + bad.size() + " unsupported op type(s):");
    bad.forEach(
        (op, names) -> {
          sb.append("\n  ").append(op).append(" (").append(names.size()).append("): ");
          sb.append(String.join(", ", names.subList(0, Math.min(names.size(), 5))));
          if (names.size() > 5) sb.append(", ...");
        });
    sb.append(
        "\n"
            + "Import only the supported part with --inputs NAME[:shape] / --outputs NAME (e.g."
            + " start after pre-processing).");
    throw new UserError(sb.toString());
  }

  private void createInputs(List<NodeDef> order, Map<String, int[]> cut) {
    List<String> names = new ArrayList<>(cut.keySet());
    for (NodeDef n : order) {
      boolean placeholder =
          n.getOp().equals("Placeholder")
              || (n.getOp().equals("PlaceholderWithDefault") && cut.containsKey(n.getName()));
      if (placeholder && !names.contains(n.getName()) && !cutsNode(n.getName(), cut.keySet()))
        names.add(n.getName());
    }
    Set<String> done = new LinkedHashSet<>();
    for (String name : names) {
      TensorNames t = TensorNames.parse(name);
      if (!done.add(t.canonical())) continue;
      NodeDef n = nodes.get(t.node());
      ctx.setNode(n);
      outputs.put(
          t.node(), InputOps.createInput(ctx, n, t, cut.get(t.canonical()), outputs.get(t.node())));
    }
  }

  private TfValue[] convert(NodeDef n) {
    String op = n.getOp();
    List<TfValue> in = new ArrayList<>();
    for (String ref : n.getInputList()) {
      TensorNames t = TensorNames.parse(ref);
      if (t != null) in.add(lookup(t, n));
    }
    switch (op) {
      case "Const":
        return new TfValue[] {InputOps.constant(ctx, n, weights.get(n.getName()))};
      case "NoOp":
        return new TfValue[0];
      case "PlaceholderWithDefault":
        return new TfValue[] {in.get(0)}; // not requested as an input: its default value
      case "IdentityN":
        return in.toArray(new TfValue[0]);
      case "Placeholder":
        throw ctx.error("placeholder was not created as an input (a bug in the importer)");
      default:
        break;
    }
    if (PASS_THROUGH.contains(op)) {
      if (in.isEmpty()) throw ctx.error("expected an input");
      return new TfValue[] {in.get(0)};
    }
    OpConverter c = CONVERTERS.get(op);
    Attrs attrs = new Attrs(n, ctx);
    try {
      return c.convert(ctx, n, attrs, in);
    } catch (IndexOutOfBoundsException e) {
      throw ctx.error("has too few inputs (" + in.size() + ")");
    }
  }

  private TfValue lookup(TensorNames t, NodeDef reader) {
    TfValue[] outs = outputs.get(t.node());
    if (outs == null)
      throw ctx.error(
          reader, "input '" + t.canonical() + "' was not converted (a bug in the importer)");
    if (t.index() >= outs.length || outs[t.index()] == null) {
      NodeDef src = nodes.get(t.node());
      throw ctx.error(
          reader,
          "reads output "
              + t.index()
              + " of '"
              + t.node()
              + "' ("
              + src.getOp()
              + "), which npuc does not produce"
              + (src.getOp().startsWith("FusedBatchNorm")
                  ? " (batch statistics exist only in training)"
                  : ""));
    }
    return outs[t.index()];
  }

  /** Erases ops whose results nothing reads (inputs and outputs stay), last to first. */
  static void removeUnused(Graph g) {
    List<Operation> ops = g.ops();
    for (int i = ops.size() - 1; i >= 0; i--) {
      Operation op = ops.get(i);
      if (op.is("input") || op.is("output")) continue;
      if (op.isUnused()) g.erase(op);
    }
  }
}

package org.npuc.frontend.caffe;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.npuc.diag.Suggestions;
import org.npuc.diag.UserError;
import org.npuc.frontend.caffe.proto.CaffeProto.BlobProto;
import org.npuc.frontend.caffe.proto.CaffeProto.LayerParameter;
import org.npuc.frontend.caffe.proto.CaffeProto.NetParameter;
import org.npuc.frontend.caffe.proto.CaffeProto.NetState;
import org.npuc.ir.Builder;
import org.npuc.ir.Graph;
import org.npuc.ir.Location;
import org.npuc.ir.Operation;
import org.npuc.ir.Tensor;
import org.npuc.ir.Value;
import org.npuc.ir.type.TensorType;
import org.npuc.spi.ImportOptions;

/**
 * One import of a Caffe net: walks the TEST-phase layers in order, keeps the current SSA value of
 * every blob name (so an in-place layer yields a new value under the same blob name), and ends
 * with the blobs no layer consumed as the graph outputs, as Caffe does.
 */
final class CaffeImporter {
  static final Map<String, LayerMapper> MAPPERS = new TreeMap<>();

  static {
    MAPPERS.put("Convolution", ConvolutionLayers::convolution);
    MAPPERS.put("Deconvolution", ConvolutionLayers::deconvolution);
    MAPPERS.put("InnerProduct", ConvolutionLayers::innerProduct);
    MAPPERS.put("Pooling", PoolingLayers::pooling);
    MAPPERS.put("LRN", PoolingLayers::lrn);
    MAPPERS.put("BatchNorm", NormalizationLayers::batchNorm);
    MAPPERS.put("Scale", NormalizationLayers::scale);
    MAPPERS.put("Bias", NormalizationLayers::bias);
    MAPPERS.put("ReLU", ActivationLayers::relu);
    MAPPERS.put("ReLU6", ActivationLayers::relu6);
    MAPPERS.put("Clip", ActivationLayers::clip);
    MAPPERS.put("PReLU", ActivationLayers::prelu);
    MAPPERS.put("ELU", ActivationLayers::elu);
    MAPPERS.put("Sigmoid", ActivationLayers::sigmoid);
    MAPPERS.put("TanH", ActivationLayers::tanh);
    MAPPERS.put("AbsVal", ActivationLayers::absVal);
    MAPPERS.put("Power", ActivationLayers::power);
    MAPPERS.put("Dropout", ActivationLayers::dropout);
    MAPPERS.put("Softmax", ActivationLayers::softmax);
    MAPPERS.put("Eltwise", ActivationLayers::eltwise);
    MAPPERS.put("Concat", ShapeLayers::concat);
    MAPPERS.put("Flatten", ShapeLayers::flatten);
    MAPPERS.put("Reshape", ShapeLayers::reshape);
    MAPPERS.put("Split", ShapeLayers::split);
    MAPPERS.put("Slice", ShapeLayers::slice);
    MAPPERS.put("Permute", ShapeLayers::permute);
  }

  private final ImportOptions options;
  private final String fileName;
  private Weights weights;

  CaffeImporter(ImportOptions options) {
    this.options = options;
    this.fileName = options.model().getFileName().toString();
  }

  /** The blobs each layer got (after {@link #run}); tests hand them to an independent runtime. */
  Map<String, List<Tensor>> usedWeights() {
    return weights.used();
  }

  Graph run() {
    NetParameter net = V1Upgrade.upgrade(CaffeFiles.readPrototxt(options.model(), this::reportUnsupported), fileName);
    Map<String, List<BlobProto>> trained = null;
    String weightsName = null;
    if (options.weights() != null) {
      weightsName = options.weights().getFileName().toString();
      trained = trainedBlobs(CaffeFiles.readCaffemodel(options.weights()), weightsName);
    }
    weights = new Weights(trained, weightsName, options.randomWeights() && trained == null, options.seed());

    List<LayerParameter> layers = new ArrayList<>();
    NetState state = net.hasState() ? net.getState() : NetState.getDefaultInstance();
    // Layers without a type are left to the parse error, which points at the unknown field.
    for (LayerParameter l : net.getLayerList()) if (!l.getType().isEmpty() && LayerSelection.included(l, state)) layers.add(l);
    LayerSelection.checkTypes(layers, MAPPERS.keySet(), fileName);

    Graph g = new Graph(net.getName().isEmpty() ? fileName.replaceFirst("\\.[^.]*$", "") : net.getName());
    g.attributes().set("source_framework", "caffe").set("source_file", fileName);
    Builder b = new Builder(g);
    LayerContext ctx = new LayerContext(b, fileName, weights);
    Map<String, Value> blobs = new HashMap<>();
    LinkedHashSet<String> unconsumed = new LinkedHashSet<>();
    Set<String> names = new HashSet<>();
    Set<String> requestedInputs = new LinkedHashSet<>(options.inputs());
    Set<String> inputShapesUsed = new HashSet<>();
    List<String> problems = new ArrayList<>();
    Set<String> broken = new HashSet<>();
    Path dir = options.model().toAbsolutePath().getParent();

    // Net-level inputs: `input:` with `input_shape` or 4 `input_dim`s each.
    if (net.getInputShapeCount() > 0 && net.getInputShapeCount() != net.getInputCount()) {
      throw new UserError(fileName + ": " + net.getInputCount() + " inputs but " + net.getInputShapeCount() + " input_shape entries");
    }
    if (net.getInputDimCount() > 0 && net.getInputDimCount() != 4 * net.getInputCount()) {
      throw new UserError(fileName + ": " + net.getInputCount() + " inputs need " + 4 * net.getInputCount() + " input_dim values, got " + net.getInputDimCount());
    }
    for (int i = 0; i < net.getInputCount(); i++) {
      String name = net.getInput(i);
      int[] shape = null;
      if (net.getInputShapeCount() > 0) shape = net.getInputShape(i).getDimList().stream().mapToInt(Long::intValue).toArray();
      else if (net.getInputDimCount() > 0) shape = net.getInputDimList().subList(4 * i, 4 * i + 4).stream().mapToInt(Integer::intValue).toArray();
      shape = inputShape(name, shape, " (net input '" + name + "' has no input_shape or input_dim)", inputShapesUsed);
      Value v = b.input(name, TensorType.f32(shape), Location.of(name, fileName));
      names.add(name);
      blobs.put(name, v);
      unconsumed.add(name);
    }

    for (LayerParameter layer : layers) {
      ctx.setLayer(layer);
      String type = layer.getType();
      if (LayerSelection.TRAINING_ONLY.contains(type)) continue;
      if (type.equals("Input") || DataLayers.TYPES.contains(type)) {
        addInputs(layer, ctx, b, blobs, unconsumed, names, inputShapesUsed, dir);
        continue;
      }
      List<Value> bottoms = new ArrayList<>();
      boolean skip = false;
      for (String bottom : layer.getBottomList()) {
        Value v = blobs.get(bottom);
        if (v == null) {
          if (!broken.contains(bottom)) {
            String near = Suggestions.nearest(bottom, blobs.keySet());
            problems.add("layer '" + layer.getName() + "' reads blob '" + bottom + "', which no earlier layer or input produces"
                + (near != null ? " (did you mean '" + near + "'?)" : ""));
          }
          skip = true;
        }
        bottoms.add(v);
      }
      if (skip) {
        broken.addAll(layer.getTopList());
        continue;
      }
      for (String bottom : layer.getBottomList()) unconsumed.remove(bottom);
      List<Value> tops = MAPPERS.get(type).map(layer, bottoms, ctx);
      if (tops.size() != layer.getTopCount()) {
        throw ctx.error("expected " + tops.size() + " top(s), the prototxt names " + layer.getTopCount());
      }
      for (int i = 0; i < tops.size(); i++) {
        String top = layer.getTop(i);
        Value v = tops.get(i);
        if (requestedInputs.contains(top)) {
          // Cut the graph here: the blob becomes an input; what produced it is pruned below.
          int[] shape = inputShape(top, v.type().shape(), "", inputShapesUsed);
          v = b.input(top, TensorType.f32(shape), Location.of(layer.getName(), fileName));
        } else if (v.name() == null) {
          v.setName(uniqueName(top, layer.getName(), names));
        }
        names.add(v.name());
        blobs.put(top, v);
        unconsumed.remove(top);
        unconsumed.add(top);
      }
    }
    if (!problems.isEmpty()) throw new UserError(fileName + ": " + String.join("; ", problems));
    if (!weights.problems().isEmpty()) throw new UserError(String.join("; ", weights.problems()));
    for (String k : options.inputShapes().keySet()) {
      if (!inputShapesUsed.contains(k)) {
        throw new UserError("--input-shape names '" + k + "', which is not an input of " + fileName + "; its inputs are " + graphInputNames(g));
      }
    }
    for (String in : requestedInputs) {
      if (!graphInputNames(g).contains(in)) throw new UserError(unknownBlob(in, blobs, "input"));
    }

    List<String> outs = options.outputs().isEmpty() ? new ArrayList<>(unconsumed) : options.outputs();
    for (String o : outs) {
      Value v = blobs.get(o);
      if (v == null) throw new UserError(unknownBlob(o, blobs, "output"));
      b.output(o, v, v.definingOp().location());
    }
    prune(g, requestedInputs);
    return g;
  }

  /** Lists unsupported layer types of a net whose prototxt only parsed when unknown fields were skipped. */
  private void reportUnsupported(NetParameter lenient) {
    NetParameter net = V1Upgrade.upgrade(lenient, fileName);
    NetState state = net.hasState() ? net.getState() : NetState.getDefaultInstance();
    List<LayerParameter> layers = new ArrayList<>();
    // Layers without a type are left to the parse error, which points at the unknown field.
    for (LayerParameter l : net.getLayerList()) if (!l.getType().isEmpty() && LayerSelection.included(l, state)) layers.add(l);
    LayerSelection.checkTypes(layers, MAPPERS.keySet(), fileName);
  }

  private String unknownBlob(String name, Map<String, Value> blobs, String role) {
    String near = Suggestions.nearest(name, blobs.keySet());
    return "requested " + role + " '" + name + "' is not a blob of " + fileName + (near != null ? "; did you mean '" + near + "'?" : "");
  }

  private static List<String> graphInputNames(Graph g) {
    return g.inputs().stream().map(op -> op.attributes().getString("name")).toList();
  }

  /** Value names are the blob names; later in-place versions take the layer name (unique either way). */
  private static String uniqueName(String top, String layerName, Set<String> used) {
    if (!used.contains(top)) return top;
    if (!used.contains(layerName)) return layerName;
    for (int k = 1; ; k++) if (!used.contains(layerName + "_" + k)) return layerName + "_" + k;
  }

  private int[] inputShape(String name, int[] declared, String missingHint, Set<String> used) {
    int[] override = options.inputShapes().get(name);
    int[] shape = override != null ? override : declared;
    if (override != null) used.add(name);
    if (shape == null) throw new UserError(fileName + ": the shape of input '" + name + "' is unknown" + missingHint + "; give it with --input-shape " + name + "=N,C,H,W");
    for (int d : shape) {
      if (d <= 0) throw new UserError(fileName + ": input '" + name + "' has shape " + Arrays.toString(shape) + "; every dimension must be positive (fix it with --input-shape " + name + "=...)");
    }
    return shape;
  }

  private void addInputs(LayerParameter layer, LayerContext ctx, Builder b, Map<String, Value> blobs, LinkedHashSet<String> unconsumed, Set<String> names, Set<String> used, Path dir) {
    Location loc = Location.of(layer.getName(), fileName);
    if (layer.getType().equals("Input")) {
      var p = layer.getInputParam();
      if (p.getShapeCount() != 0 && p.getShapeCount() != 1 && p.getShapeCount() != layer.getTopCount()) {
        throw ctx.error("input_param gives " + p.getShapeCount() + " shapes for " + layer.getTopCount() + " tops; give 1 or one per top");
      }
      for (int i = 0; i < layer.getTopCount(); i++) {
        String top = layer.getTop(i);
        int[] declared = p.getShapeCount() == 0 ? null : p.getShape(p.getShapeCount() == 1 ? 0 : i).getDimList().stream().mapToInt(Long::intValue).toArray();
        Value v = b.input(top, TensorType.f32(inputShape(top, declared, " (the Input layer gives no shape)", used)), loc);
        names.add(top);
        blobs.put(top, v);
        unconsumed.add(top);
      }
      return;
    }
    if (layer.getTopCount() == 0) throw ctx.error("a data layer needs at least one top");
    String top = layer.getTop(0);
    int[] shape = inputShape(top, DataLayers.declaredShape(layer), DataLayers.shapeHint(layer), used);
    Value raw = b.input(top, TensorType.f32(shape), loc);
    names.add(top);
    Value x = layer.getType().equals("HDF5Data") || layer.getType().equals("DummyData")
        ? raw
        : DataLayers.apply(raw, DataLayers.transform(layer), dir, ctx);
    if (x != raw) x.setName(uniqueName(top, layer.getName(), names));
    names.add(x.name());
    blobs.put(top, x);
    unconsumed.add(top);
    // Further tops (labels) are for losses and accuracy, which a deploy graph drops.
  }

  private static Map<String, List<BlobProto>> trainedBlobs(NetParameter model, String file) {
    Map<String, List<BlobProto>> r = new HashMap<>();
    for (LayerParameter l : model.getLayerList()) if (l.getBlobsCount() > 0) r.put(l.getName(), l.getBlobsList());
    for (var l : model.getLayersList()) if (l.getBlobsCount() > 0) r.put(l.getName(), l.getBlobsList());
    return r;
  }

  /** Drops ops nothing reads (weights of cut-off layers, unused inputs when inputs were chosen). */
  private static void prune(Graph g, Set<String> requestedInputs) {
    List<Operation> ops = g.ops();
    for (int i = ops.size() - 1; i >= 0; i--) {
      Operation op = ops.get(i);
      if (op.is("output") || !op.isUnused()) continue;
      if (op.is("input") && (requestedInputs.isEmpty() || requestedInputs.contains(op.attributes().getString("name")))) continue;
      g.erase(op);
    }
  }
}

package org.npuc.frontend.caffe;

import java.util.List;
import org.npuc.diag.UserError;
import org.npuc.frontend.caffe.proto.CaffeProto.LayerParameter;
import org.npuc.ir.Attributes;
import org.npuc.ir.Builder;
import org.npuc.ir.Location;
import org.npuc.ir.OpDefinition;
import org.npuc.ir.OpRegistry;
import org.npuc.ir.Operation;
import org.npuc.ir.Tensor;
import org.npuc.ir.Value;
import org.npuc.ir.type.TensorType;

/**
 * What a {@link LayerMapper} needs while it emits ops: the builder, the layer's location, its
 * weights, and Caffe's own shape arithmetic. Result shapes are computed here the way Caffe
 * computes them, and cross-checked against the op registry's inference when the op is known, so
 * a disagreement between Caffe and the core op contract shows up at import, not at run time.
 */
final class LayerContext {
  private final Builder builder;
  private final String fileName;
  private final Weights weights;
  private final OpRegistry registry = OpRegistry.global();
  private LayerParameter layer;

  LayerContext(Builder builder, String fileName, Weights weights) {
    this.builder = builder;
    this.fileName = fileName;
    this.weights = weights;
  }

  void setLayer(LayerParameter layer) {
    this.layer = layer;
  }

  LayerParameter layer() {
    return layer;
  }

  String fileName() {
    return fileName;
  }

  Location location() {
    return Location.of(layer.getName(), fileName);
  }

  /** The layer's parameter blobs, checked against the shapes Caffe would create for it. */
  Tensor[] blobs(Weights.Kind kind, int[]... expectedShapes) {
    return weights.blobs(layer, kind, expectedShapes);
  }

  /** A user error about the current layer: names the layer, its type and the file. */
  UserError error(String message) {
    return new UserError(
        "layer '" + layer.getName() + "' (" + layer.getType() + ") in " + fileName + ": " + message);
  }

  /** Caffe's CanonicalAxisIndex: a negative axis counts from the end; out of range is an error. */
  int axis(int axis, int rank, String field) {
    if (axis < -rank || axis >= rank) {
      throw error(field + " " + axis + " is out of range for a blob of " + rank + " axes");
    }
    return axis < 0 ? axis + rank : axis;
  }

  Value constant(Tensor t) {
    return builder.constant(t, location());
  }

  Value scalar(float v) {
    return constant(Tensor.ofFloats(new int[] {1}, new float[] {v}));
  }

  /** Emits a single-result op whose Caffe result shape is {@code shape}. */
  Value op(String opName, List<Value> operands, Attributes attrs, int[] shape) {
    return ops(opName, operands, attrs, List.of(shape)).get(0);
  }

  /** Emits an op with one result per shape in {@code shapes}. */
  List<Value> ops(String opName, List<Value> operands, Attributes attrs, List<int[]> shapes) {
    Attributes a = attrs == null ? new Attributes() : attrs;
    List<TensorType> types = shapes.stream().map(TensorType::f32).toList();
    OpDefinition def = registry.lookup(opName);
    if (def != null) {
      List<TensorType> inferred = def.inferTypes(operands.stream().map(Value::type).toList(), a);
      if (!inferred.equals(types)) {
        throw new IllegalStateException(
            "npuc bug: " + opName + " for layer '" + layer.getName() + "' infers " + inferred.stream().map(TensorType::toText).toList()
                + " but Caffe computes " + types.stream().map(TensorType::toText).toList());
      }
    }
    Operation op = builder.createTyped(opName, operands, a, types, location());
    return op.results();
  }

  static int[] shape(Value v) {
    return v.type().shape();
  }

  static long count(int[] shape, int from, int to) {
    long n = 1;
    for (int i = from; i < to; i++) n *= shape[i];
    return n;
  }

  int toInt(long v, String what) {
    if (v > Integer.MAX_VALUE || v < 0) throw error(what + " " + v + " is out of range");
    return (int) v;
  }
}

package org.npuc.frontend.tensorflow;

import java.util.Arrays;
import java.util.List;
import org.npuc.diag.UserError;
import org.npuc.frontend.tensorflow.proto.NodeDef;
import org.npuc.ir.Attributes;
import org.npuc.ir.Builder;
import org.npuc.ir.Graph;
import org.npuc.ir.Location;
import org.npuc.ir.Tensor;
import org.npuc.ir.Value;
import org.npuc.ir.type.ElementType;
import org.npuc.ir.type.TensorType;

/**
 * The state of one import: the IR being built, the file name for messages, and the node being
 * converted (every op created gets its location). Also the layout plumbing: getting a tensor in its
 * plain or NCHW form, and re-laying out weights (folding into constants, and through FakeQuant).
 */
final class ImportContext {
  final Graph graph;
  final Builder builder;
  final String file;
  private NodeDef node;

  /** TF.js: constants without data must come from the weights manifest. */
  boolean weightsFromManifest;

  ImportContext(Graph graph, String file) {
    this.graph = graph;
    this.builder = new Builder(graph);
    this.file = file;
  }

  void setNode(NodeDef node) {
    this.node = node;
  }

  NodeDef node() {
    return node;
  }

  Location loc() {
    return node == null ? new Location(List.of(), file) : Location.of(node.getName(), file);
  }

  UserError error(NodeDef n, String message) {
    String where = n == null ? "" : "node '" + n.getName() + "' (" + n.getOp() + "): ";
    return new UserError(file + ": " + where + message);
  }

  UserError error(String message) {
    return error(node, message);
  }

  /** Creates an op with the given result type at the end of the graph. */
  Value emit(String op, List<Value> operands, Attributes attrs, int[] shape, ElementType type) {
    return builder
        .createTyped(op, operands, attrs, List.of(new TensorType(shape, type)), loc())
        .result();
  }

  Value constant(Tensor t) {
    return builder.constant(t, loc());
  }

  /** A constant located at the TF node it came from (a Const, or the op folded into it). */
  Value constant(Tensor t, String sourceNode) {
    return builder.constant(t, Location.of(TensorNames.parse(sourceNode).node(), file));
  }

  /** The IR value holding the tensor in TensorFlow's own layout. */
  Value plain(TfValue v) {
    if (v.plain == null) {
      if (v.constant != null) {
        v.plain = constant(requireKnown(v), v.name);
      } else if (v.nchw != null) {
        v.plain = transpose(v.nchw, TfValue.TO_NHWC);
      } else {
        throw error("input '" + v.name + "' has no value (a bug in the importer)");
      }
      if (v.plain.name() == null) v.plain.setName(v.name);
    }
    return v.plain;
  }

  /** The IR value holding this 4-D NHWC tensor as NCHW. */
  Value nchw(TfValue v) {
    if (v.rank() != 4)
      throw error("expected a 4-D tensor for '" + v.name + "', got shape " + describe(v.shape));
    if (v.nchw == null) {
      if (v.constant != null)
        v.nchw = constant(ConstFold.transpose(requireKnown(v), TfValue.TO_NCHW), v.name);
      else v.nchw = transpose(plain(v), TfValue.TO_NCHW);
    }
    return v.nchw;
  }

  Value transpose(Value x, int[] perm) {
    int[] s = TfValue.permute(x.type().shape(), perm);
    return emit(
        "transpose", List.of(x), Attributes.of("perm", perm.clone()), s, x.type().elementType());
  }

  Value reshape(Value x, int[] shape) {
    if (x.isConstant()) return constant(x.constantValue().reshape(shape));
    return emit(
        "reshape",
        List.of(x),
        Attributes.of("shape", shape.clone()),
        shape,
        x.type().elementType());
  }

  /**
   * The tensor with its axes permuted ({@code out.shape[i] = in.shape[perm[i]]}), for weights:
   * constants are permuted at import time, and a FakeQuant of a permutable tensor is re-created on
   * the permuted tensor (its per-channel axis moved along), so weights stay constant-foldable.
   */
  Value permuted(TfValue v, int[] perm) {
    if (v.constant != null) return constant(ConstFold.transpose(requireKnown(v), perm), v.name);
    if (v.fakeQuantSource != null && v.fakeQuantSource.rank() == perm.length) {
      Value inner = permuted(v.fakeQuantSource, perm);
      Attributes a = new Attributes(v.fakeQuantAttrs);
      if (a.has("axis")) {
        int axis = a.getInt("axis");
        for (int i = 0; i < perm.length; i++) if (perm[i] == axis) a.set("axis", i);
      }
      return emit(
          "fake_quant", List.of(inner), a, inner.type().shape(), inner.type().elementType());
    }
    return transpose(plain(v), perm);
  }

  /**
   * The constant of {@code v}; a user error when it is a shape with unknown dims (which may only
   * flow through shape plumbing into a Reshape).
   */
  Tensor requireKnown(TfValue v) {
    if (v.symbolic) {
      throw error(
          "'"
              + v.name
              + "' depends on an input dimension that is not known at import time; set it with"
              + " --input-shape");
    }
    return v.constant;
  }

  /**
   * A constant input; a user error naming {@code what} when the value is not known at import time.
   */
  Tensor requireConstant(TfValue v, String what) {
    if (v.constant == null) {
      throw error(
          what
              + " ('"
              + v.name
              + "') must be a constant or computable from constants at import time");
    }
    return requireKnown(v);
  }

  /** Like {@link #requireConstant} but lets a symbolic shape through (Reshape's target). */
  Tensor requireShape(TfValue v, String what) {
    if (v.constant == null) return requireConstant(v, what);
    return v.constant;
  }

  static String describe(int[] shape) {
    return shape == null ? "<unknown rank>" : Arrays.toString(shape);
  }
}

package org.npuc.frontend.tensorflow;

import org.npuc.ir.Attributes;
import org.npuc.ir.Tensor;
import org.npuc.ir.Value;
import org.npuc.ir.type.ElementType;

/**
 * One TensorFlow tensor during import. Its logical shape is TensorFlow's; the IR may hold it as is
 * ({@link #plain}) or, for a 4-D NHWC tensor, transposed to NCHW ({@link #nchw}); either form is
 * created on demand and cached, so a value is transposed at most once per direction. A tensor whose
 * value is known at import time keeps it in {@link #constant} (in the logical layout) so shape
 * computations fold and weights can be re-laid out without emitting ops.
 */
final class TfValue {
  /** NHWC → NCHW: {@code nchw.shape[i] = nhwc.shape[TO_NCHW[i]]}. */
  static final int[] TO_NCHW = {0, 3, 1, 2};

  /** NCHW → NHWC. */
  static final int[] TO_NHWC = {0, 2, 3, 1};

  final String name;

  /** The logical (TensorFlow) shape, -1 for unknown dims; null when the rank is unknown. */
  final int[] shape;

  final ElementType type;
  Tensor constant;

  /**
   * A shape computed from a tensor with unknown dims: {@link #constant} holds {@link #UNKNOWN_DIM}
   * for those. Only shape plumbing (StridedSlice, Pack, ConcatV2, Reshape) may read it.
   */
  boolean symbolic;

  static final int UNKNOWN_DIM = Integer.MIN_VALUE;
  Value plain;
  Value nchw;

  /**
   * Set when this tensor is a FakeQuant of {@link #fakeQuantSource}: its attributes, axis logical.
   */
  TfValue fakeQuantSource;

  Attributes fakeQuantAttrs;

  TfValue(String name, int[] shape, ElementType type) {
    this.name = name;
    this.shape = shape;
    this.type = type;
  }

  static TfValue ofConstant(String name, Tensor t) {
    TfValue v = new TfValue(name, t.shape(), t.elementType());
    v.constant = t;
    return v;
  }

  /** A constant computed from {@code sources}; symbolic when any of them is. */
  static TfValue derived(String name, Tensor t, TfValue... sources) {
    TfValue v = ofConstant(name, t);
    for (TfValue s : sources) v.symbolic |= s.symbolic;
    return v;
  }

  int rank() {
    return shape == null ? -1 : shape.length;
  }

  /**
   * True when the IR already holds this 4-D tensor as NCHW (so NCHW consumers need no transpose).
   */
  boolean preferNchw() {
    return nchw != null && rank() == 4;
  }

  boolean isConstant() {
    return constant != null;
  }

  boolean hasStaticShape() {
    if (shape == null) return false;
    for (int d : shape) if (d < 0) return false;
    return true;
  }

  static int[] permute(int[] shape, int[] perm) {
    int[] r = new int[perm.length];
    for (int i = 0; i < perm.length; i++) r[i] = shape[perm[i]];
    return r;
  }
}

package org.npuc.frontend.tensorflow;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.npuc.frontend.tensorflow.proto.AttrValue;
import org.npuc.frontend.tensorflow.proto.DataType;
import org.npuc.frontend.tensorflow.proto.NodeDef;

/**
 * Typed reads of a NodeDef's attributes with TensorFlow's defaults; a wrong kind is a user error.
 */
final class Attrs {
  private final NodeDef node;
  private final ImportContext ctx;

  Attrs(NodeDef node, ImportContext ctx) {
    this.node = node;
    this.ctx = ctx;
  }

  boolean has(String key) {
    return node.containsAttr(key);
  }

  private AttrValue get(String key, AttrValue.ValueCase kind) {
    AttrValue v = node.getAttrOrDefault(key, null);
    if (v == null) return null;
    if (v.getValueCase() != kind && v.getValueCase() != AttrValue.ValueCase.VALUE_NOT_SET) {
      throw ctx.error(
          node,
          "attribute '"
              + key
              + "' should be "
              + kind.name().toLowerCase()
              + ", got "
              + v.getValueCase().name().toLowerCase());
    }
    return v.getValueCase() == kind ? v : null;
  }

  String string(String key, String dflt) {
    AttrValue v = get(key, AttrValue.ValueCase.S);
    return v == null ? dflt : v.getS().toString(StandardCharsets.UTF_8);
  }

  long integer(String key, long dflt) {
    AttrValue v = get(key, AttrValue.ValueCase.I);
    return v == null ? dflt : v.getI();
  }

  float real(String key, float dflt) {
    AttrValue v = get(key, AttrValue.ValueCase.F);
    return v == null ? dflt : v.getF();
  }

  boolean bool(String key, boolean dflt) {
    AttrValue v = get(key, AttrValue.ValueCase.B);
    return v == null ? dflt : v.getB();
  }

  DataType type(String key, DataType dflt) {
    AttrValue v = get(key, AttrValue.ValueCase.TYPE);
    return v == null ? dflt : v.getType();
  }

  AttrValue raw(String key) {
    return node.getAttrOrDefault(key, null);
  }

  /** A list of ints; {@code dflt} when absent or empty. */
  int[] ints(String key, int[] dflt) {
    AttrValue v = get(key, AttrValue.ValueCase.LIST);
    if (v == null || v.getList().getICount() == 0) return dflt;
    List<Long> l = v.getList().getIList();
    int[] r = new int[l.size()];
    for (int i = 0; i < r.length; i++) r[i] = Math.toIntExact(l.get(i));
    return r;
  }

  float[] floats(String key) {
    AttrValue v = get(key, AttrValue.ValueCase.LIST);
    if (v == null) return new float[0];
    float[] r = new float[v.getList().getFCount()];
    for (int i = 0; i < r.length; i++) r[i] = v.getList().getF(i);
    return r;
  }

  String[] strings(String key) {
    AttrValue v = get(key, AttrValue.ValueCase.LIST);
    if (v == null) return new String[0];
    String[] r = new String[v.getList().getSCount()];
    for (int i = 0; i < r.length; i++) r[i] = v.getList().getS(i).toString(StandardCharsets.UTF_8);
    return r;
  }
}

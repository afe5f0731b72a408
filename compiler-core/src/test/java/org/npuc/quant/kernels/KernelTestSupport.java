package org.npuc.quant.kernels;

import java.util.ArrayList;
import java.util.List;
import org.npuc.ir.Attributes;
import org.npuc.ir.Builder;
import org.npuc.ir.Graph;
import org.npuc.ir.Operation;
import org.npuc.ir.Tensor;
import org.npuc.ir.Value;
import org.npuc.ir.type.ElementType;
import org.npuc.ir.type.ScalarType;
import org.npuc.ir.type.TensorType;
import org.npuc.ir.type.UniformQuantType;

/** Builds one op over constant operands so a kernel can be called on it directly. */
final class KernelTestSupport {
  private KernelTestSupport() {}

  static UniformQuantType u8(double scale, long zp) {
    return UniformQuantType.of(ScalarType.U8, scale, zp);
  }

  static UniformQuantType i8(double scale, long zp) {
    return UniformQuantType.of(ScalarType.I8, scale, zp);
  }

  static UniformQuantType i32(double scale) {
    return UniformQuantType.of(ScalarType.I32, scale, 0);
  }

  static Tensor t(ElementType type, int[] shape, int... values) {
    return Tensor.ofInts(shape, type, values);
  }

  static Operation op(String name, Attributes attrs, TensorType result, Tensor... operands) {
    Graph g = new Graph("k");
    Builder b = new Builder(g);
    List<Value> vs = new ArrayList<>();
    for (Tensor x : operands) vs.add(b.constant(x, null));
    return b.createTyped(name, vs, attrs, List.of(result), null);
  }
}

package org.npuc.ir.text;

import java.util.List;
import org.npuc.ir.Attributes;
import org.npuc.ir.IrException;
import org.npuc.ir.OpDefinition;
import org.npuc.ir.OpRegistry;
import org.npuc.ir.Operation;
import org.npuc.ir.Tensor;
import org.npuc.ir.type.TensorType;
import org.npuc.ops.CoreOps;

/**
 * A registry for text tests: the core ops plus name-only stand-ins for ops the tests write (so the
 * tests do not depend on which core ops have landed; the parser only checks that a name exists).
 */
final class TestOps {
  private TestOps() {}

  static final List<String> EXTRA =
      List.of(
          "conv2d",
          "split",
          "add",
          "relu",
          "matmul",
          "softmax",
          "max_pool",
          "reshape",
          "concat",
          "fake_quant",
          "quantize",
          "dequantize",
          "test.multi");

  static OpRegistry registry() {
    OpRegistry r = new OpRegistry();
    CoreOps.registerAll(r);
    for (String name : EXTRA) if (r.lookup(name) == null) r.register(stub(name));
    return r;
  }

  private static OpDefinition stub(String name) {
    return new OpDefinition() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public String summary() {
        return "test stand-in";
      }

      @Override
      public List<TensorType> inferTypes(List<TensorType> operandTypes, Attributes attrs) {
        throw new IrException(name + ": test stand-in has no shape inference");
      }

      @Override
      public Tensor[] evaluate(Operation op, Tensor[] inputs) {
        throw new IrException(op, "test stand-in has no kernel");
      }
    };
  }
}

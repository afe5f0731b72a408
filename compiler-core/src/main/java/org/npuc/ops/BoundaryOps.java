package org.npuc.ops;

import java.util.List;
import org.npuc.ir.Attributes;
import org.npuc.ir.IrException;
import org.npuc.ir.OpDefinition;
import org.npuc.ir.Operation;
import org.npuc.ir.Tensor;
import org.npuc.ir.type.TensorType;

/**
 * The graph boundary ops: {@code input}, {@code output} and {@code constant}. The interpreter
 * binds inputs and collects outputs itself; these definitions only type and verify them.
 */
final class BoundaryOps {
  private BoundaryOps() {}

  static final OpDefinition INPUT =
      new OpDefinition() {
        @Override
        public String name() {
          return "input";
        }

        @Override
        public String summary() {
          return "a graph input, named as in the source model";
        }

        @Override
        public List<TensorType> inferTypes(List<TensorType> operandTypes, Attributes attrs) {
          throw new IrException("input: the result type is declared, not inferred");
        }

        @Override
        public void verify(Operation op) {
          if (op.numOperands() != 0 || op.numResults() != 1) throw new IrException(op, "expected no operands and one result");
          if (op.attributes().getString("name", null) == null) throw new IrException(op, "missing attribute 'name'");
        }

        @Override
        public Tensor[] evaluate(Operation op, Tensor[] inputs) {
          throw new IrException(op, "input values are bound by the interpreter");
        }

        @Override
        public boolean isPure() {
          return false;
        }
      };

  static final OpDefinition OUTPUT =
      new OpDefinition() {
        @Override
        public String name() {
          return "output";
        }

        @Override
        public String summary() {
          return "a graph output, named as in the source model";
        }

        @Override
        public List<TensorType> inferTypes(List<TensorType> operandTypes, Attributes attrs) {
          if (operandTypes.size() != 1) throw new IrException("output: expected 1 operand, got " + operandTypes.size());
          return List.of();
        }

        @Override
        public void verify(Operation op) {
          if (op.attributes().getString("name", null) == null) throw new IrException(op, "missing attribute 'name'");
        }

        @Override
        public Tensor[] evaluate(Operation op, Tensor[] inputs) {
          return new Tensor[0];
        }

        @Override
        public boolean isPure() {
          return false;
        }
      };

  static final OpDefinition CONSTANT =
      new OpDefinition() {
        @Override
        public String name() {
          return "constant";
        }

        @Override
        public String summary() {
          return "a constant tensor";
        }

        @Override
        public List<TensorType> inferTypes(List<TensorType> operandTypes, Attributes attrs) {
          if (!operandTypes.isEmpty()) throw new IrException("constant: expected no operands, got " + operandTypes.size());
          return List.of(attrs.getTensor("value").type());
        }

        @Override
        public Tensor[] evaluate(Operation op, Tensor[] inputs) {
          return new Tensor[] {op.attributes().getTensor("value")};
        }

        @Override
        public boolean isFoldable() {
          return false;
        }
      };
}

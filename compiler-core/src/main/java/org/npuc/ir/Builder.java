package org.npuc.ir;

import java.util.ArrayList;
import java.util.List;
import org.npuc.ir.type.TensorType;

/**
 * Creates operations at an insertion point, inferring result types from the op registry. The
 * common way for frontends and passes to build IR.
 */
public final class Builder {
  private final Graph graph;
  private final OpRegistry registry;
  private Operation before; // insert before this op; null = at the end
  private Location location = Location.UNKNOWN;

  public Builder(Graph graph) {
    this(graph, OpRegistry.global());
  }

  public Builder(Graph graph, OpRegistry registry) {
    this.graph = graph;
    this.registry = registry;
  }

  public Graph graph() {
    return graph;
  }

  public Builder atEnd() {
    before = null;
    return this;
  }

  public Builder before(Operation op) {
    before = op;
    return this;
  }

  public Builder after(Operation op) {
    before = op.next();
    return this;
  }

  /** The location given to ops created without one. */
  public Builder at(Location loc) {
    this.location = loc;
    return this;
  }

  /** Creates an op whose result types come from its definition's shape inference. */
  public Operation create(String opName, List<Value> operands, Attributes attrs, Location loc) {
    OpDefinition def = registry.lookup(opName);
    if (def == null) throw new IrException("unknown op '" + opName + "'");
    List<TensorType> types = new ArrayList<>(operands.size());
    for (Value v : operands) types.add(v.type());
    Attributes a = attrs == null ? new Attributes() : attrs;
    List<TensorType> results = def.inferTypes(types, a);
    return createTyped(opName, operands, a, results, loc);
  }

  public Operation create(String opName, List<Value> operands, Attributes attrs) {
    return create(opName, operands, attrs, location);
  }

  /** Creates an op with the given result types (no inference). */
  public Operation createTyped(String opName, List<Value> operands, Attributes attrs, List<TensorType> resultTypes, Location loc) {
    Location l = loc == null ? location : loc;
    return before == null
        ? graph.append(opName, operands, attrs, resultTypes, l)
        : graph.insertBefore(before, opName, operands, attrs, resultTypes, l);
  }

  /** Single-result convenience: creates the op and returns its result. */
  public Value value(String opName, List<Value> operands, Attributes attrs, Location loc) {
    return create(opName, operands, attrs, loc).result();
  }

  public Value constant(Tensor t, Location loc) {
    return createTyped("constant", List.of(), Attributes.of("value", t), List.of(t.type()), loc).result();
  }

  public Value input(String name, TensorType type, Location loc) {
    return createTyped("input", List.of(), Attributes.of("name", name), List.of(type), loc).result().setName(name);
  }

  public Operation output(String name, Value v, Location loc) {
    return createTyped("output", List.of(v), Attributes.of("name", name), List.of(), loc);
  }
}

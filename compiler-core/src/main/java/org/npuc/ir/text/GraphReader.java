package org.npuc.ir.text;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.TerminalNode;
import org.npuc.diag.Suggestions;
import org.npuc.ir.Attributes;
import org.npuc.ir.Graph;
import org.npuc.ir.Location;
import org.npuc.ir.OpRegistry;
import org.npuc.ir.Operation;
import org.npuc.ir.Value;
import org.npuc.ir.type.TensorType;

/**
 * Builds a {@link Graph} from the parse tree, op by op, and reports the mistakes the grammar cannot
 * see: unknown ops, undefined or twice-defined values, operand and result counts or types that
 * disagree with the written function type.
 */
final class GraphReader {
  private final SourceText src;
  private final OpRegistry registry;
  private final LiteralReader literals;
  private final Map<String, Value> values = new HashMap<>();
  private final Map<String, Token> definedAt = new HashMap<>();

  GraphReader(SourceText src, OpRegistry registry) {
    this.src = src;
    this.registry = registry;
    this.literals = new LiteralReader(src);
  }

  /** The whole graph from a complete parse tree. */
  Graph read(NpuirParser.GraphFileContext file) {
    Graph graph = header(file.graphHeader());
    for (NpuirParser.OperationContext op : file.operation()) operation(op, graph);
    return graph;
  }

  /** The empty graph with the name and attributes of {@code g}. */
  Graph header(NpuirParser.GraphHeaderContext g) {
    String name = null;
    if (g.graphName() != null) {
      NpuirParser.GraphNameContext n = g.graphName();
      name = n.SYMBOL() != null ? n.SYMBOL().getText().substring(1) : literals.string(n.STRING());
    }
    Graph graph = new Graph(name);
    if (g.attrDict() != null) attributes(g.attrDict(), graph.attributes(), null, "graph attribute");
    return graph;
  }

  /** Appends the op written in {@code ctx} to {@code graph}. */
  void operation(NpuirParser.OperationContext ctx, Graph graph) {
    Token nameTok = ctx.opName().getStart();
    String opName = ctx.opName().BARE_ID() != null ? nameTok.getText() : literals.string(nameTok);
    if (registry.lookup(opName) == null) throw unknownOp(nameTok, opName);

    List<Value> operands = new ArrayList<>();
    List<TerminalNode> operandToks = ctx.operands() == null ? List.of() : ctx.operands().VALUE();
    for (TerminalNode v : operandToks) {
      Value value = values.get(v.getText());
      if (value == null) throw src.error(v.getSymbol(), "use of undefined value " + v.getText());
      operands.add(value);
    }

    NpuirParser.FunctionTypeContext fn = ctx.functionType();
    if (fn.operandTypes.size() != operands.size()) {
      throw src.error(
          fn.getStart(),
          opName
              + " has "
              + count(operands.size(), "operand")
              + " but its type lists "
              + count(fn.operandTypes.size(), "operand type"));
    }
    for (int i = 0; i < operands.size(); i++) {
      TensorType written = literals.tensorType(fn.operandTypes.get(i));
      TensorType actual = operands.get(i).type();
      if (!written.equals(actual)) {
        Token def = definedAt.get(operandToks.get(i).getText());
        throw src.error(
            fn.operandTypes.get(i).getStart(),
            "operand "
                + i
                + " ("
                + operandToks.get(i).getText()
                + ") has type "
                + TextFormat.type(actual)
                + " (defined at line "
                + def.getLine()
                + ") but is written as "
                + TextFormat.type(written));
      }
    }

    List<TensorType> resultTypes = new ArrayList<>();
    for (NpuirParser.TensorTypeContext t : fn.resultTypes().tensorType())
      resultTypes.add(literals.tensorType(t));
    List<TerminalNode> resultToks = ctx.results() == null ? List.of() : ctx.results().VALUE();
    if (resultToks.size() != resultTypes.size()) {
      Token at = ctx.results() != null ? ctx.results().getStart() : nameTok;
      throw src.error(
          at,
          opName
              + " defines "
              + count(resultToks.size(), "value")
              + " but its type lists "
              + count(resultTypes.size(), "result"));
    }
    for (int i = 0; i < resultToks.size(); i++) {
      Token t = resultToks.get(i).getSymbol();
      Token first = definedAt.get(t.getText());
      for (int k = 0; k < i && first == null; k++) {
        if (resultToks.get(k).getText().equals(t.getText())) first = resultToks.get(k).getSymbol();
      }
      if (first != null) {
        throw src.error(
            t,
            "value "
                + t.getText()
                + " is defined twice (first at line "
                + first.getLine()
                + ", column "
                + (first.getCharPositionInLine() + 1)
                + ")");
      }
    }

    Attributes attrs = new Attributes();
    if (ctx.attrDict() != null) {
      TensorType implied =
          opName.equals("constant") && resultTypes.size() == 1 ? resultTypes.get(0) : null;
      String what =
          resultToks.isEmpty()
              ? "the tensor attribute of " + opName
              : "the value of " + resultToks.get(0).getText();
      attributes(ctx.attrDict(), attrs, implied, what);
    }
    Location loc = ctx.location() == null ? Location.UNKNOWN : location(ctx.location());

    Operation op = graph.append(opName, operands, attrs, resultTypes, loc);
    for (int i = 0; i < resultToks.size(); i++) {
      Token t = resultToks.get(i).getSymbol();
      Value r = op.result(i);
      r.setName(ValueNamer.hintOf(t.getText().substring(1)));
      values.put(t.getText(), r);
      definedAt.put(t.getText(), t);
    }
  }

  private void attributes(
      NpuirParser.AttrDictContext dict, Attributes into, TensorType impliedValueType, String what) {
    for (NpuirParser.AttrContext a : dict.attr()) {
      NpuirParser.AttrKeyContext k = a.attrKey();
      String key = k.STRING() != null ? literals.string(k.STRING()) : k.getText();
      if (into.has(key)) throw src.error(k.getStart(), "attribute '" + key + "' is given twice");
      TensorType implied = key.equals("value") ? impliedValueType : null;
      into.set(key, literals.attrValue(a.attrValue(), implied, what));
    }
  }

  private Location location(NpuirParser.LocationContext ctx) {
    NpuirParser.LocBodyContext body = ctx.locBody();
    if (body == null) return Location.UNKNOWN;
    List<String> names = new ArrayList<>(body.names.size());
    for (Token t : body.names) names.add(literals.string(t));
    String file = body.file == null ? null : literals.string(body.file);
    return new Location(names, file);
  }

  private IrParseException unknownOp(Token at, String opName) {
    List<String> known = registry.names();
    String nearest = Suggestions.nearest(opName, known);
    String reason =
        "unknown op '"
            + opName
            + "'"
            + (nearest != null ? "; did you mean '" + nearest + "'?" : "");
    return src.error(at, reason, "known ops: " + String.join(", ", known));
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}

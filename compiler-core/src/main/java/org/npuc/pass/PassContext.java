package org.npuc.pass;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.npuc.ir.Builder;
import org.npuc.ir.Graph;
import org.npuc.ir.OpDefinition;
import org.npuc.ir.OpRegistry;
import org.npuc.ir.Operation;

/**
 * What a running pass may use besides the graph: the op registry that gives ops their meaning, a
 * place for warnings (shown to the user after the pipeline) and a remark channel for notes about
 * single ops (why a rewrite did not apply), shown when the user asks for them.
 */
public final class PassContext {
  private final OpRegistry registry;
  private final List<String> warnings = new ArrayList<>();
  private Consumer<String> warningSink;
  private final List<Remark> remarks = new ArrayList<>();
  private Consumer<Remark> remarkSink;

  public PassContext(OpRegistry registry) {
    this.registry = registry;
  }

  /** A context over the process-wide op registry. */
  public static PassContext global() {
    return new PassContext(OpRegistry.global());
  }

  public OpRegistry registry() {
    return registry;
  }

  /** The definition of {@code op}; an unknown op name is an {@link org.npuc.ir.IrException} naming it. */
  public OpDefinition definition(Operation op) {
    return registry.require(op);
  }

  /** A builder that infers result types with this context's registry. */
  public Builder builder(Graph graph) {
    return new Builder(graph, registry);
  }

  /** Records a warning for the user (e.g. an option that matched nothing). */
  public void warn(String message) {
    warnings.add(message);
    if (warningSink != null) warningSink.accept(message);
  }

  public List<String> warnings() {
    return List.copyOf(warnings);
  }

  /** Records a remark by pass {@code pass} about {@code op} (e.g. why it was left unfused). */
  public void remark(String pass, Operation op, String message) {
    Remark r = new Remark(pass, op.location(), message);
    remarks.add(r);
    if (remarkSink != null) remarkSink.accept(r);
  }

  public List<Remark> remarks() {
    return List.copyOf(remarks);
  }

  /** Also sends each remark here as it is made (the CLI prints them with --remarks). */
  public PassContext onRemark(Consumer<Remark> sink) {
    this.remarkSink = sink;
    return this;
  }

  /** Also sends each warning here as it is made (the CLI prints them on stderr). */
  public PassContext onWarning(Consumer<String> sink) {
    this.warningSink = sink;
    return this;
  }
}

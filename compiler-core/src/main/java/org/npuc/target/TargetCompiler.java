package org.npuc.target;

import java.util.List;
import org.npuc.diag.UserError;
import org.npuc.ir.Graph;
import org.npuc.ir.Operation;
import org.npuc.spi.Backend;
import org.npuc.spi.BackendContext;
import org.npuc.spi.Claims;
import org.npuc.spi.OpClaim;
import org.npuc.spi.TargetProgram;
import org.npuc.target.binary.BinaryImage;
import org.npuc.target.binary.BinaryReader;

/**
 * Runs a backend on a prepared graph: claim, lower, emit, then reads the binary back through the
 * validating reader (so a backend cannot hand out a file the simulator would refuse).
 */
public final class TargetCompiler {
  /** What a compile produced. */
  public record Result(byte[] binary, BinaryImage image, TargetProgram program, Claims claims, List<String> warnings, String summary) {}

  private TargetCompiler() {}

  public static Result compile(Graph graph, Backend backend, BackendContext context) {
    Claims claims;
    try {
      claims = backend.claim(graph, context);
    } catch (UserError e) {
      throw e;
    } catch (RuntimeException e) {
      throw new IllegalStateException("backend " + backend.id() + " failed in claim(): " + e, e);
    }
    Claims complete = new Claims();
    for (Operation op : graph) {
      if (op.is("input") || op.is("output") || op.is("constant")) continue;
      complete.add(claims.has(op) ? claims.of(op) : OpClaim.refused(op, "backend " + backend.id() + " gave no answer for this op"));
    }
    TargetProgram program = backend.lower(graph, complete, context);
    byte[] bytes = backend.emit(program, context);
    BinaryImage image = BinaryReader.read(bytes, "the binary emitted by backend " + backend.id());
    String summary = CompileReport.summary(graph, complete, image, context);
    return new Result(bytes, image, program, complete, context.warnings(), summary);
  }
}

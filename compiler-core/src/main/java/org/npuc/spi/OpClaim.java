package org.npuc.spi;

import org.npuc.ir.Operation;

/**
 * A backend's answer for one op: the engine and precision it runs in, or why the backend refuses
 * it (then the op falls back to float on the host). Warnings (e.g. "kept in float16 because Cin=3")
 * travel with a claimed op so the compile report can name the layer.
 *
 * @param op the op
 * @param engine where it runs ({@code npu}, {@code cpu}, {@code ai-cpu}, {@code host}, ...)
 * @param precision the number format it runs in
 * @param reason null when claimed; otherwise why the backend refuses the op
 * @param note an optional remark for the report (why this precision, a warning), or null
 */
public record OpClaim(Operation op, String engine, Precision precision, String reason, String note) {
  /** The engine unclaimed ops run on: the host's float reference kernels. */
  public static final String HOST = "host";

  public static OpClaim claimed(Operation op, String engine, Precision precision) {
    return new OpClaim(op, engine, precision, null, null);
  }

  public static OpClaim refused(Operation op, String reason) {
    return new OpClaim(op, HOST, Precision.FLOAT32, reason, null);
  }

  public OpClaim withNote(String text) {
    return new OpClaim(op, engine, precision, reason, text);
  }

  public boolean isClaimed() {
    return reason == null;
  }
}

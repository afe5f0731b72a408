package org.npuc.pass;

import org.npuc.ir.Location;

/**
 * A note from a pass about one op: why a rewrite the user might expect did not happen (a batch
 * norm left alone because its conv has a second reader, a mean subtraction that is not exact with
 * zero padding), or what a rewrite changed beyond the obvious. Shown with {@code --remarks}; unlike
 * a warning it does not suggest that anything is wrong.
 *
 * @param pass the pass that made the remark
 * @param location where the op came from in the user's model
 * @param message what happened and why
 */
public record Remark(String pass, Location location, String message) {
  /** {@code fuse_pad: 'conv1' (net.pb): ...} */
  public String describe() {
    return pass + ": " + location.describe() + ": " + message;
  }
}

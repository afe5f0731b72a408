package org.npuc.spi;

import java.util.List;

/**
 * A backend-specific key of a target spec (under {@code options:}), with its type and default, so
 * that the host validates a spec for the backend and names the allowed keys when one is wrong.
 *
 * @param name the key as written in YAML, snake_case
 * @param type the value's type
 * @param defaultValue the value when the spec does not give one ({@code Long}, {@code Double},
 *     {@code Boolean}, {@code String} or {@code List<String>}); null means the key is required
 * @param description one line for {@code npuc targets --verbose} and the docs
 */
public record SpecKey(String name, Type type, Object defaultValue, String description) {
  /** The value types a spec key may have. */
  public enum Type {
    INT,
    FLOAT,
    BOOL,
    STRING,
    STRING_LIST
  }

  public static SpecKey ofInt(String name, long dflt, String description) {
    return new SpecKey(name, Type.INT, dflt, description);
  }

  public static SpecKey ofBool(String name, boolean dflt, String description) {
    return new SpecKey(name, Type.BOOL, dflt, description);
  }

  public static SpecKey ofString(String name, String dflt, String description) {
    return new SpecKey(name, Type.STRING, dflt, description);
  }

  public static SpecKey ofFloat(String name, double dflt, String description) {
    return new SpecKey(name, Type.FLOAT, dflt, description);
  }

  public static SpecKey ofStrings(String name, List<String> dflt, String description) {
    return new SpecKey(name, Type.STRING_LIST, List.copyOf(dflt), description);
  }
}

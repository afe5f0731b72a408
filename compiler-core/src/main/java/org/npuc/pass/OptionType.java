package org.npuc.pass;

import java.util.ArrayList;
import java.util.List;

/**
 * The kinds of value a pass option takes, with the parser for each. Messages about a bad value use
 * {@link #describe()} so the user learns what was expected.
 */
public enum OptionType {
  INT("int", "an integer"),
  FLOAT("float", "a number"),
  BOOL("bool", "true or false"),
  STRING("string", "a string"),
  INT_LIST("int list", "a comma-separated list of integers, e.g. \"1,224,224,3\""),
  STRING_LIST("string list", "a comma-separated list of names");

  private final String shortName;
  private final String description;

  OptionType(String shortName, String description) {
    this.shortName = shortName;
    this.description = description;
  }

  /** Short type name for listings ({@code npuc passes}). */
  public String shortName() {
    return shortName;
  }

  /** What a value of this type looks like, for error messages. */
  public String describe() {
    return description;
  }

  /** List types accept the key more than once; the values accumulate. */
  public boolean isList() {
    return this == INT_LIST || this == STRING_LIST;
  }

  /**
   * Parses one raw value (already unquoted). Throws {@link IllegalArgumentException} when the text
   * is not of this type; the caller turns that into a diagnostic with a position.
   */
  Object parse(String raw) {
    String s = raw.trim();
    switch (this) {
      case INT:
        return parseInt(s);
      case FLOAT:
        try {
          return Double.parseDouble(s);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(raw);
        }
      case BOOL:
        switch (s.toLowerCase()) {
          case "true", "1", "yes", "on":
            return Boolean.TRUE;
          case "false", "0", "no", "off":
            return Boolean.FALSE;
          default:
            throw new IllegalArgumentException(raw);
        }
      case STRING:
        return raw;
      case INT_LIST:
        {
          List<Integer> r = new ArrayList<>();
          if (s.isEmpty()) return r;
          for (String part : s.split(",", -1)) r.add(parseInt(part.trim()));
          return r;
        }
      case STRING_LIST:
        {
          List<String> r = new ArrayList<>();
          if (s.isEmpty()) return r;
          for (String part : s.split(",", -1)) {
            if (part.isBlank()) throw new IllegalArgumentException(raw);
            r.add(part.trim());
          }
          return r;
        }
      default:
        throw new AssertionError(this);
    }
  }

  private static Integer parseInt(String s) {
    try {
      return Integer.valueOf(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(s);
    }
  }
}

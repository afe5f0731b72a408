package org.npuc.pass;

import java.util.ArrayList;
import java.util.List;

/**
 * One typed option of a pass: name, type, default and help, plus the value the pipeline gave. A
 * pass declares its options in its constructor and reads them with {@link #get()} when it runs.
 *
 * @param <T> Integer, Double, Boolean, String, List&lt;Integer&gt; or List&lt;String&gt;
 */
public final class PassOption<T> {
  private final String name;
  private final OptionType type;
  private final T defaultValue;
  private final String help;
  private T value;
  private boolean set;

  PassOption(String name, OptionType type, T defaultValue, String help) {
    this.name = name;
    this.type = type;
    this.defaultValue = defaultValue;
    this.help = help;
    this.value = defaultValue;
  }

  public String name() {
    return name;
  }

  public OptionType type() {
    return type;
  }

  public T defaultValue() {
    return defaultValue;
  }

  public String help() {
    return help;
  }

  /** The configured value, or the default when the pipeline did not set it. */
  public T get() {
    return value;
  }

  /** True when the pipeline gave this option. */
  public boolean isSet() {
    return set;
  }

  /**
   * Sets the option from pipeline text. List options accumulate over repeated keys
   * ({@code op=Identity,op=CheckNumerics}); a scalar option given twice is an error.
   *
   * @throws IllegalArgumentException when the text is not of the option's type
   * @throws IllegalStateException when a scalar option is given twice
   */
  @SuppressWarnings("unchecked")
  void setFromText(String raw) {
    Object parsed = type.parse(raw);
    if (type.isList()) {
      List<Object> acc = new ArrayList<>(set ? (List<Object>) value : List.of());
      acc.addAll((List<Object>) parsed);
      value = (T) List.copyOf(acc);
    } else {
      if (set) throw new IllegalStateException("option '" + name + "' is given more than once");
      value = (T) parsed;
    }
    set = true;
  }

  /** The default as pipeline text, for listings ({@code ""} for an empty list). */
  public String defaultText() {
    return format(defaultValue);
  }

  /** The current value as pipeline text. */
  public String valueText() {
    return format(value);
  }

  private static String format(Object v) {
    if (v == null) return "";
    if (v instanceof List<?> l) {
      StringBuilder sb = new StringBuilder();
      for (Object o : l) sb.append(sb.length() == 0 ? "" : ",").append(o);
      return sb.toString();
    }
    return String.valueOf(v);
  }
}

package org.npuc.spi;

import java.util.Locale;

/** The number format an op runs in on a target; spelled in specs and reports as {@link #text()}. */
public enum Precision {
  INT8("int8"),
  FLOAT16("float16"),
  FLOAT32("float32");

  private final String text;

  Precision(String text) {
    this.text = text;
  }

  public String text() {
    return text;
  }

  public boolean isFloat() {
    return this != INT8;
  }

  /** The precision spelled {@code text}, or null. */
  public static Precision fromText(String text) {
    for (Precision p : values()) if (p.text.equals(text.toLowerCase(Locale.ROOT))) return p;
    return null;
  }

  @Override
  public String toString() {
    return text;
  }
}

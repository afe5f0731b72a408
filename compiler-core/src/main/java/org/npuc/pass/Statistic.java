package org.npuc.pass;

/**
 * A named counter a pass increments while it works (ops folded, nodes removed), shown by
 * {@code --stats}. Counters accumulate over the runs of one pass instance.
 */
public final class Statistic {
  private final String name;
  private final String description;
  private long value;

  Statistic(String name, String description) {
    this.name = name;
    this.description = description;
  }

  public String name() {
    return name;
  }

  public String description() {
    return description;
  }

  public long value() {
    return value;
  }

  public void add(long n) {
    value += n;
  }

  public void increment() {
    value++;
  }
}

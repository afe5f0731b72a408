package org.npuc.bench;

/**
 * One measured figure of the benchmark: what was measured ({@code figure}), on what
 * ({@code subject}: a model, a synthetic graph, an input), its value and unit, the target it is
 * held to (empty when none) and a status: {@code met}, {@code missed}, {@code info} (no target),
 * {@code pending} (the piece it needs has not landed) or {@code error}.
 */
public record Figure(String figure, String subject, double value, String unit, String target, String status, String note) {
  public static final String MET = "met";
  public static final String MISSED = "missed";
  public static final String INFO = "info";
  public static final String PENDING = "pending";
  public static final String ERROR = "error";

  /** A measured figure with no target. */
  public static Figure info(String figure, String subject, double value, String unit, String note) {
    return new Figure(figure, subject, value, unit, "", INFO, note);
  }

  /** A measured figure held to {@code value <= limit} (or {@code >= limit} when {@code atLeast}). */
  public static Figure target(String figure, String subject, double value, String unit, double limit, boolean atLeast, String note) {
    boolean ok = atLeast ? value >= limit : value <= limit;
    String t = (atLeast ? ">= " : "<= ") + Report.number(limit) + (unit.isEmpty() ? "" : " " + unit);
    return new Figure(figure, subject, value, unit, t, ok ? MET : MISSED, note);
  }

  /** A figure that cannot be measured yet, saying which piece it waits on. */
  public static Figure pending(String figure, String subject, String unit, String waitsOn) {
    return new Figure(figure, subject, Double.NaN, unit, "", PENDING, waitsOn);
  }

  /** A figure whose measurement failed, with the reason. */
  public static Figure error(String figure, String subject, String unit, String reason) {
    return new Figure(figure, subject, Double.NaN, unit, "", ERROR, reason);
  }

  public Figure withTarget(String target, String status) {
    return new Figure(figure, subject, value, unit, target, status, note);
  }
}

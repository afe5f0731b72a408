package org.npuc.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The benchmark's result: every {@link Figure} with the machine it ran on (cores, JVM, load, date),
 * printed as one table and written as JSON.
 */
final class Report {
  private final List<Figure> figures = new ArrayList<>();
  private final String mode;
  private final String started = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  private final double loadBefore = load();

  Report(String mode) {
    this.mode = mode;
  }

  void add(Figure f) {
    figures.add(f);
  }

  List<Figure> figures() {
    return figures;
  }

  /** The one-minute load average, or -1 where the OS does not say. */
  static double load() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  static String number(double v) {
    if (Double.isNaN(v)) return "-";
    double a = Math.abs(v);
    if (a == 0) return "0";
    if (a >= 1000) return String.format(Locale.ROOT, "%.0f", v);
    if (a >= 100) return String.format(Locale.ROOT, "%.1f", v);
    if (a >= 10) return String.format(Locale.ROOT, "%.2f", v);
    if (a >= 0.01) return String.format(Locale.ROOT, "%.3f", v);
    return String.format(Locale.ROOT, "%.3g", v);
  }

  String header() {
    return String.format(Locale.ROOT, "npuc bench (%s) %s: %d cores, Java %s (%s), load %.2f before / %.2f after",
        mode, started, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
        System.getProperty("java.vm.name"), loadBefore, load());
  }

  /** The table as GitHub-flavoured Markdown (it reads as plain text too). */
  String table() {
    StringBuilder sb = new StringBuilder();
    sb.append(header()).append("\n\n");
    sb.append("| # | figure | subject | value | unit | target | status | note |\n");
    sb.append("|---|---|---|---:|---|---|---|---|\n");
    for (Figure f : figures) {
      sb.append("| ").append(f.figure().substring(0, f.figure().indexOf('.') < 0 ? f.figure().length() : f.figure().indexOf('.')))
          .append(" | ").append(f.figure()).append(" | ").append(f.subject()).append(" | ").append(number(f.value()))
          .append(" | ").append(f.unit()).append(" | ").append(f.target()).append(" | ").append(f.status())
          .append(" | ").append(f.note().replace('|', '/')).append(" |\n");
    }
    return sb.toString();
  }

  void print(PrintWriter out) {
    out.print(table());
    out.flush();
  }

  String json() {
    StringBuilder sb = new StringBuilder("{\n");
    sb.append("  \"mode\": ").append(str(mode)).append(",\n");
    sb.append("  \"date\": ").append(str(started)).append(",\n");
    sb.append("  \"machine\": {\"cores\": ").append(Runtime.getRuntime().availableProcessors())
        .append(", \"max_heap_bytes\": ").append(Runtime.getRuntime().maxMemory())
        .append(", \"os\": ").append(str(System.getProperty("os.name") + " " + System.getProperty("os.arch")))
        .append(", \"load_before\": ").append(num(loadBefore)).append(", \"load_after\": ").append(num(load())).append("},\n");
    sb.append("  \"jvm\": {\"version\": ").append(str(System.getProperty("java.version")))
        .append(", \"vm\": ").append(str(System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version")))
        .append(", \"args\": ").append(str(String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()))).append("},\n");
    sb.append("  \"figures\": [\n");
    for (int i = 0; i < figures.size(); i++) {
      Figure f = figures.get(i);
      sb.append("    {\"figure\": ").append(str(f.figure())).append(", \"subject\": ").append(str(f.subject()))
          .append(", \"value\": ").append(num(f.value())).append(", \"unit\": ").append(str(f.unit()))
          .append(", \"target\": ").append(str(f.target())).append(", \"status\": ").append(str(f.status()))
          .append(", \"note\": ").append(str(f.note())).append('}').append(i + 1 < figures.size() ? ",\n" : "\n");
    }
    sb.append("  ]\n}\n");
    return sb.toString();
  }

  void writeJson(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) Files.createDirectories(parent);
    Files.writeString(file, json(), StandardCharsets.UTF_8);
  }

  private static String num(double v) {
    return Double.isNaN(v) || Double.isInfinite(v) ? "null" : Double.toString(v);
  }

  static String str(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          else sb.append(c);
        }
      }
    }
    return sb.append('"').toString();
  }
}

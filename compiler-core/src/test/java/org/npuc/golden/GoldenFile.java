package org.npuc.golden;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A golden file split into cases: the {@code // RUN:} pipeline (per file, or per case), the IR of
 * each case (separated by {@code // -----}), its {@code CHECK} directives and
 * {@code expected-error {{...}}} messages. Line numbers are those of the file.
 */
final class GoldenFile {
  /** One case: IR text padded with blank lines so parser line numbers are file line numbers. */
  record Case(int number, int firstLine, String pipeline, String ir, List<FileCheck.Directive> checks, List<String> expectedErrors) {}

  private static final Pattern DIRECTIVE = Pattern.compile("^\\s*//\\s*(CHECK|CHECK-NEXT|CHECK-NOT|CHECK-LABEL)\\s*:(.*)$");
  private static final Pattern RUN = Pattern.compile("^\\s*//\\s*RUN\\s*:(.*)$");
  private static final Pattern ERROR = Pattern.compile("//\\s*expected-error\\s*\\{\\{(.*)}}\\s*$");
  private static final Pattern SPLIT = Pattern.compile("^\\s*//\\s*-----\\s*$");

  private GoldenFile() {}

  static List<Case> parse(String text, String fileName) {
    String[] lines = text.split("\n", -1);
    String filePipeline = null;
    List<Case> cases = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= lines.length; i++) {
      if (i < lines.length && !SPLIT.matcher(lines[i]).matches()) continue;
      Case c = parseCase(lines, start, i, cases.size() + 1, filePipeline, fileName);
      if (cases.isEmpty()) filePipeline = c.pipeline();
      if (c.pipeline() == null) throw new IllegalArgumentException(fileName + ": no '// RUN: <pipeline>' line before line " + (start + 1));
      cases.add(c);
      start = i + 1;
    }
    return cases;
  }

  private static Case parseCase(String[] lines, int from, int to, int number, String pipeline, String fileName) {
    StringBuilder ir = new StringBuilder();
    for (int i = 0; i < from; i++) ir.append('\n');
    List<FileCheck.Directive> checks = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    String run = pipeline;
    for (int i = from; i < to; i++) {
      String line = lines[i];
      Matcher r = RUN.matcher(line);
      Matcher d = DIRECTIVE.matcher(line);
      Matcher e = ERROR.matcher(line);
      if (r.matches()) {
        run = r.group(1).trim();
      } else if (d.matches()) {
        FileCheck.Kind kind = switch (d.group(1)) {
          case "CHECK-NEXT" -> FileCheck.Kind.NEXT;
          case "CHECK-NOT" -> FileCheck.Kind.NOT;
          case "CHECK-LABEL" -> FileCheck.Kind.LABEL;
          default -> FileCheck.Kind.CHECK;
        };
        checks.add(new FileCheck.Directive(kind, d.group(2), i + 1));
      } else if (e.find()) {
        errors.add(e.group(1));
        line = line.substring(0, e.start());
      } else if (line.matches("^\\s*//\\s*(CHECK|RUN|expected)\\S*.*")) {
        throw new IllegalArgumentException(fileName + ":" + (i + 1) + ": malformed directive: " + line.trim());
      }
      ir.append(line.trim().startsWith("//") ? "" : line).append('\n');
    }
    return new Case(number, from + 1, run, ir.toString(), checks, errors);
  }
}

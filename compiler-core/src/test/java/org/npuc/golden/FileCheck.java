package org.npuc.golden;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * LLVM FileCheck semantics over printed IR: {@code CHECK} matches in order, {@code CHECK-NEXT} on
 * the line after the previous match, {@code CHECK-NOT} nowhere between the matches around it, and
 * {@code CHECK-LABEL} splits the output into blocks first. Patterns are literal text with
 * {@code {{regex}}}, {@code [[VAR:regex]]} to capture and {@code [[VAR]]} to reuse; runs of blanks
 * match any run of blanks.
 */
final class FileCheck {
  /** One directive from a golden file. */
  record Directive(Kind kind, String pattern, int line) {}

  enum Kind {
    CHECK,
    NEXT,
    NOT,
    LABEL
  }

  private static final Pattern VAR = Pattern.compile("\\[\\[([A-Za-z_][A-Za-z0-9_]*)(?::(.*?))?]]");
  private static final Pattern BLANKS = Pattern.compile("[ \\t]+");

  private final List<String> lines = new ArrayList<>();
  private final Map<String, String> vars = new HashMap<>();

  private FileCheck(String output) {
    for (String l : output.split("\n", -1)) lines.add(BLANKS.matcher(l).replaceAll(" "));
  }

  /** Null when all directives hold, else a message saying which failed and where. */
  static String check(String output, List<Directive> directives) {
    return new FileCheck(output).run(directives);
  }

  private String run(List<Directive> directives) {
    // Labels first: they cut the output into blocks that the other directives stay inside.
    List<Integer> labelLines = new ArrayList<>();
    int from = 0;
    for (Directive d : directives) {
      if (d.kind() != Kind.LABEL) continue;
      int[] m = find(d, from, 0, lines.size(), false);
      if (m == null) return "CHECK-LABEL at line " + d.line() + " not found: " + d.pattern();
      labelLines.add(m[0]);
      from = m[0] + 1;
    }
    int block = -1;
    int blockEnd = labelLines.isEmpty() ? lines.size() : labelLines.get(0);
    int line = 0;
    int col = 0;
    int lastLine = -1;
    List<Directive> nots = new ArrayList<>();
    for (Directive d : directives) {
      if (d.kind() == Kind.LABEL) {
        String bad = checkNots(nots, line, col, blockEnd, 0);
        if (bad != null) return bad;
        block++;
        line = labelLines.get(block);
        int[] m = find(d, line, 0, line + 1, true);
        lastLine = line;
        col = m[1];
        blockEnd = block + 1 < labelLines.size() ? labelLines.get(block + 1) : lines.size();
        continue;
      }
      if (d.kind() == Kind.NOT) {
        nots.add(d);
        continue;
      }
      int[] m;
      if (d.kind() == Kind.NEXT) {
        if (lastLine < 0) return "CHECK-NEXT at line " + d.line() + " has no previous match to follow";
        if (lastLine + 1 >= blockEnd) return "CHECK-NEXT at line " + d.line() + ": no line after output line " + (lastLine + 1) + ": " + d.pattern();
        m = find(d, lastLine + 1, 0, lastLine + 2, true);
        if (m == null) {
          return "CHECK-NEXT at line " + d.line() + " does not match the next output line " + (lastLine + 2) + ":\n  expected: " + d.pattern()
              + "\n  got:      " + lines.get(lastLine + 1);
        }
      } else {
        m = find(d, line, col, blockEnd, true);
        if (m == null) return "CHECK at line " + d.line() + " not found after output line " + (line + 1) + ": " + d.pattern();
      }
      String bad = checkNots(nots, line, col, m[0], m[2]);
      if (bad != null) return bad;
      line = m[0];
      col = m[1];
      lastLine = m[0];
    }
    return checkNots(nots, line, col, blockEnd, 0);
  }

  /** Pending CHECK-NOTs must not match from (line, col) up to (endLine, endCol); clears them. */
  private String checkNots(List<Directive> nots, int line, int col, int endLine, int endCol) {
    for (Directive n : nots) {
      Pattern p = compile(n, new HashMap<>());
      for (int l = line; l <= Math.min(endLine, lines.size() - 1); l++) {
        String text = lines.get(l);
        int start = l == line ? Math.min(col, text.length()) : 0;
        int end = l == endLine ? Math.min(endCol, text.length()) : text.length();
        if (start >= end) continue;
        Matcher m = p.matcher(text).region(start, end);
        if (m.find()) return "CHECK-NOT at line " + n.line() + " matched output line " + (l + 1) + ": " + text.trim();
      }
    }
    nots.clear();
    return null;
  }

  /**
   * Finds the directive's pattern from (line, col) before line {@code endLine}: {start line, end
   * column, start column}, or null. Captured variables are kept when {@code bind}.
   */
  private int[] find(Directive d, int line, int col, int endLine, boolean bind) {
    Map<String, String> groups = new HashMap<>();
    Pattern p = compile(d, groups);
    for (int l = line; l < Math.min(endLine, lines.size()); l++) {
      String text = lines.get(l);
      Matcher m = p.matcher(text);
      if (m.find(l == line ? Math.min(col, text.length()) : 0)) {
        if (bind) for (Map.Entry<String, String> g : groups.entrySet()) vars.put(g.getKey(), m.group(g.getValue()));
        return new int[] {l, m.end(), m.start()};
      }
    }
    return null;
  }

  /** Turns a pattern into a regex; {@code groups} receives variable name → group name. */
  private Pattern compile(Directive d, Map<String, String> groups) {
    String pat = BLANKS.matcher(d.pattern().trim()).replaceAll(" ");
    StringBuilder re = new StringBuilder();
    int i = 0;
    while (i < pat.length()) {
      int regex = pat.indexOf("{{", i);
      Matcher v = VAR.matcher(pat);
      int var = v.find(i) ? v.start() : -1;
      int next = nearest(regex, var);
      if (next < 0) {
        re.append(literal(pat.substring(i)));
        break;
      }
      re.append(literal(pat.substring(i, next)));
      if (next == regex) {
        int close = pat.indexOf("}}", regex + 2);
        if (close < 0) throw new IllegalArgumentException("line " + d.line() + ": '{{' without '}}' in " + d.pattern());
        re.append("(?:").append(pat, regex + 2, close).append(')');
        i = close + 2;
      } else {
        String name = v.group(1);
        if (v.group(2) != null) {
          String group = "g" + groups.size() + name.replace("_", "");
          groups.put(name, group);
          re.append("(?<").append(group).append('>').append(v.group(2)).append(')');
        } else if (groups.containsKey(name)) {
          re.append("\\k<").append(groups.get(name)).append('>');
        } else {
          String value = vars.get(name);
          if (value == null) throw new IllegalArgumentException("line " + d.line() + ": variable [[" + name + "]] is used before it is captured");
          re.append(Pattern.quote(value));
        }
        i = v.end();
      }
    }
    return Pattern.compile(re.toString());
  }

  private static int nearest(int a, int b) {
    if (a < 0) return b;
    if (b < 0) return a;
    return Math.min(a, b);
  }

  private static String literal(String s) {
    if (s.isEmpty()) return "";
    StringBuilder sb = new StringBuilder();
    String[] parts = s.split(" ", -1);
    for (int k = 0; k < parts.length; k++) {
      if (k > 0) sb.append("[ \\t]+");
      if (!parts[k].isEmpty()) sb.append(Pattern.quote(parts[k]));
    }
    return sb.toString();
  }
}

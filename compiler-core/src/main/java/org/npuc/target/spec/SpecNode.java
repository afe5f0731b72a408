package org.npuc.target.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML value with where it was written (file, line, column), so that spec errors can point at the
 * key. Scalars keep their text and whether YAML typed them as a string, number or boolean.
 */
final class SpecNode {
  enum Kind {
    MAP,
    LIST,
    STRING,
    INT,
    FLOAT,
    BOOL,
    NULL
  }

  final Kind kind;
  final String text;
  final String file;
  final int line;
  final int column;
  final Map<String, SpecNode> map = new LinkedHashMap<>();
  final Map<String, int[]> keyPositions = new LinkedHashMap<>();
  final List<SpecNode> list = new ArrayList<>();

  SpecNode(Kind kind, String text, String file, int line, int column) {
    this.kind = kind;
    this.text = text;
    this.file = file;
    this.line = line;
    this.column = column;
  }

  String where() {
    return file + ":" + line + ":" + column;
  }

  /** Where key {@code key} of this map was written (falls back to the map itself). */
  String whereKey(String key) {
    int[] p = keyPositions.get(key);
    SpecNode v = map.get(key);
    String f = v != null ? v.file : file;
    return p == null ? where() : f + ":" + p[0] + ":" + p[1];
  }

  String describe() {
    return switch (kind) {
      case MAP -> "a map";
      case LIST -> "a list";
      case NULL -> "nothing (null)";
      case STRING -> "the string '" + text + "'";
      default -> "'" + text + "'";
    };
  }

  /** A deep copy (for merging {@code extends:}). */
  SpecNode copy() {
    SpecNode c = new SpecNode(kind, text, file, line, column);
    for (Map.Entry<String, SpecNode> e : map.entrySet()) c.map.put(e.getKey(), e.getValue().copy());
    c.keyPositions.putAll(keyPositions);
    for (SpecNode n : list) c.list.add(n.copy());
    return c;
  }

  /** Canonical text (sorted keys) for hashing. */
  void canonical(StringBuilder sb) {
    switch (kind) {
      case MAP -> {
        sb.append('{');
        map.keySet().stream().sorted().forEach(k -> {
          sb.append(k).append(':');
          map.get(k).canonical(sb);
          sb.append(',');
        });
        sb.append('}');
      }
      case LIST -> {
        sb.append('[');
        for (SpecNode n : list) {
          n.canonical(sb);
          sb.append(',');
        }
        sb.append(']');
      }
      default -> sb.append(kind).append('=').append(text).append(';');
    }
  }
}

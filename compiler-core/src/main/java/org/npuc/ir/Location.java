package org.npuc.ir;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where an operation came from: the source node or layer names (several after a fusion) and the
 * model file. Survives rewrites so that every message can name what the user wrote.
 */
public record Location(List<String> names, String file) {
  public static final Location UNKNOWN = new Location(List.of(), null);

  public Location {
    names = List.copyOf(names);
  }

  public static Location of(String name) {
    return new Location(List.of(name), null);
  }

  public static Location of(String name, String file) {
    return new Location(List.of(name), file);
  }

  /** The location of an op made from several: all names, in order, without repeats. */
  public static Location fused(Location... parts) {
    Set<String> names = new LinkedHashSet<>();
    String file = null;
    for (Location p : parts) {
      if (p == null) continue;
      names.addAll(p.names);
      if (file == null) file = p.file;
    }
    return new Location(new ArrayList<>(names), file);
  }

  public boolean isUnknown() {
    return names.isEmpty() && file == null;
  }

  /** The first source name, or "?" when none is known. */
  public String primaryName() {
    return names.isEmpty() ? "?" : names.get(0);
  }

  /** Human form for messages: {@code 'conv1' (lenet.prototxt)}. */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < names.size(); i++) sb.append(i == 0 ? "" : "+").append('\'').append(names.get(i)).append('\'');
    if (file != null) sb.append(sb.length() == 0 ? "" : " ").append("(").append(file).append(")");
    return sb.length() == 0 ? "<unknown location>" : sb.toString();
  }
}

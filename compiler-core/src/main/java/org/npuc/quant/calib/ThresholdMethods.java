package org.npuc.quant.calib;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.npuc.diag.Suggestions;
import org.npuc.diag.UserError;

/**
 * The catalog of threshold methods by the names users type ({@code --calib-method}), with
 * options in the pipeline spelling {@code name(key=value,...)}, e.g. {@code percentile(p=99.9)}.
 * Names are case-insensitive, so the BM tool's spellings ({@code KL}, {@code PERCENTILE9999})
 * work too.
 */
public final class ThresholdMethods {
  /** The method used when the user names none. */
  public static final String DEFAULT = "kl";

  private record Entry(String summary, Function<MethodOptions, ThresholdMethod> factory) {}

  private static final Map<String, Entry> METHODS = new LinkedHashMap<>();
  private static final Map<String, String> ALIASES = Map.of("percentile9999", "percentile(p=99.99)", "entropy", "kl");

  static {
    register("max", "whole observed range (max |x|; min/max when asymmetric)", MaxMethod::new);
    register("percentile", "p-th percentile of |x| (option p, default 99.99)", PercentileMethod::new);
    register("kl", "TensorRT entropy calibration: min KL(P||Q), 128 levels, cuts every 128 bins", KlMethod::new);
    register("symkl", "entropy search with symmetric KL(P||Q) + KL(Q||P), zeros left out", SymKlMethod::new);
    register("jsd", "entropy search with Jensen-Shannon divergence, zeros left out", JsdMethod::new);
    register("mse", "minimum expected rounding + clipping error over the histogram", MseMethod::new);
    register("aciq", "Banner et al. analytical clipping, Laplace or Gaussian prior (option prior)", AciqMethod::new);
    register("admm", "alternating scale/integer least squares min ||x - a*q||^2", AdmmMethod::new);
  }

  private ThresholdMethods() {}

  private static void register(String name, String summary, Function<MethodOptions, ThresholdMethod> factory) {
    METHODS.put(name, new Entry(summary, factory));
  }

  /** The method names, in catalog order. */
  public static List<String> names() {
    return List.copyOf(METHODS.keySet());
  }

  /** Name to one-line summary, for {@code --help} and listings. */
  public static Map<String, String> summaries() {
    Map<String, String> r = new LinkedHashMap<>();
    METHODS.forEach((k, v) -> r.put(k, v.summary()));
    return Collections.unmodifiableMap(r);
  }

  /** Parses {@code name} or {@code name(key=value,...)}; unknown names and options are UserErrors. */
  public static ThresholdMethod parse(String spec) {
    if (spec == null || spec.isBlank()) throw new UserError("empty calibration method; choose one of " + String.join(", ", names()));
    String text = spec.trim();
    String alias = ALIASES.get(text.toLowerCase(Locale.ROOT));
    if (alias != null) text = alias;
    int open = text.indexOf('(');
    String name = (open < 0 ? text : text.substring(0, open)).trim().toLowerCase(Locale.ROOT);
    Map<String, String> options = new LinkedHashMap<>();
    if (open >= 0) {
      if (!text.endsWith(")")) throw new UserError("calibration method '" + spec + "': missing ')' at the end");
      String body = text.substring(open + 1, text.length() - 1).trim();
      if (!body.isEmpty()) {
        for (String part : body.split(",")) {
          int eq = part.indexOf('=');
          if (eq <= 0) throw new UserError("calibration method '" + spec + "': option '" + part.trim() + "' must be key=value");
          String key = part.substring(0, eq).trim();
          if (options.put(key, part.substring(eq + 1).trim()) != null) {
            throw new UserError("calibration method '" + spec + "': option '" + key + "' given twice");
          }
        }
      }
    }
    Entry e = METHODS.get(name);
    if (e == null) {
      String near = Suggestions.nearest(name, METHODS.keySet());
      throw new UserError("unknown calibration method '" + name + "'" + (near != null ? " (did you mean '" + near + "'?)" : "")
          + "; available: " + String.join(", ", names()));
    }
    return e.factory().apply(new MethodOptions(name, options));
  }

  /** Every method with default options (for "run them all" reports). */
  public static List<ThresholdMethod> all() {
    List<ThresholdMethod> r = new ArrayList<>();
    for (String n : METHODS.keySet()) r.add(parse(n));
    return r;
  }
}

package org.npuc.ir.text;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Set;
import java.util.regex.Pattern;
import org.npuc.ir.type.CalibratedType;
import org.npuc.ir.type.ElementType;
import org.npuc.ir.type.ScalarType;
import org.npuc.ir.type.TensorType;
import org.npuc.ir.type.UniformPerAxisType;
import org.npuc.ir.type.UniformQuantType;

/**
 * The lexical pieces of the IR text shared by printer, parser and messages: numbers that parse back
 * bit-exactly in their shortest form, escaped strings, identifiers and types.
 */
final class TextFormat {
  private TextFormat() {}

  private static final Pattern BARE_ID = Pattern.compile("[A-Za-z_][A-Za-z0-9_.$]*");

  /** Words the lexer turns into keywords or numbers; names spelled like them are quoted. */
  static final Set<String> RESERVED =
      Set.of(
          "graph",
          "loc",
          "in",
          "true",
          "false",
          "tensor",
          "dense",
          "dense_elided",
          "uniform",
          "uniform_per_axis",
          "calibrated",
          "ints",
          "floats",
          "strings",
          "inf",
          "nan",
          "Infinity",
          "NaN");

  private static final RoundingMode[] MODES = {
    RoundingMode.HALF_EVEN, RoundingMode.FLOOR, RoundingMode.CEILING
  };

  /**
   * The shortest decimal that parses back to exactly {@code v} as a double, always with a '.' or an
   * exponent (so it reads back as a float, not an int); {@code nan}, {@code inf}, {@code -inf}.
   */
  static String formatDouble(double v) {
    if (Double.isNaN(v)) return "nan";
    if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
    if (v == 0) return Double.doubleToRawLongBits(v) < 0 ? "-0.0" : "0.0";
    // Double.toString round-trips but is not always shortest before JDK 19; round-tripping is
    // monotone in the digit count, so shorten from its length until it stops round-tripping.
    BigDecimal best = new BigDecimal(Double.toString(v)).stripTrailingZeros();
    BigDecimal exact = new BigDecimal(v);
    for (int p = best.precision() - 1; p >= 1; p--) {
      BigDecimal c = roundTripping(exact, p, v, false);
      if (c == null) break;
      best = c;
    }
    return layout(best);
  }

  /** As {@link #formatDouble} for a float: the shortest decimal that parses back to {@code v}. */
  static String formatFloat(float v) {
    if (Float.isNaN(v)) return "nan";
    if (Float.isInfinite(v)) return v > 0 ? "inf" : "-inf";
    if (v == 0) return Float.floatToRawIntBits(v) < 0 ? "-0.0" : "0.0";
    BigDecimal best = new BigDecimal(Float.toString(v)).stripTrailingZeros();
    BigDecimal exact = new BigDecimal(v);
    for (int p = best.precision() - 1; p >= 1; p--) {
      BigDecimal c = roundTripping(exact, p, v, true);
      if (c == null) break;
      best = c;
    }
    return layout(best);
  }

  /** The p-digit decimal nearest to {@code exact} that parses back to v, or null. */
  private static BigDecimal roundTripping(BigDecimal exact, int p, double v, boolean asFloat) {
    BigDecimal best = null;
    for (RoundingMode m : MODES) {
      BigDecimal c = exact.round(new MathContext(p, m));
      String s = c.toString();
      boolean ok = asFloat ? Float.parseFloat(s) == (float) v : Double.parseDouble(s) == v;
      if (ok && (best == null || c.subtract(exact).abs().compareTo(best.subtract(exact).abs()) < 0))
        best = c;
    }
    return best == null ? null : best.stripTrailingZeros();
  }

  /** Java-style layout: plain for 1e-3 <= |v| < 1e7 ("0.25", "120.0"), else "1.5E-7". */
  private static String layout(BigDecimal d) {
    String digits = d.unscaledValue().abs().toString();
    int exp = digits.length() - 1 - d.scale();
    StringBuilder sb = new StringBuilder(digits.length() + 8);
    if (d.signum() < 0) sb.append('-');
    if (exp >= -3 && exp < 7) {
      if (exp < 0) {
        sb.append("0.");
        for (int i = -1; i > exp; i--) sb.append('0');
        sb.append(digits);
      } else if (digits.length() <= exp + 1) {
        sb.append(digits);
        for (int i = digits.length(); i <= exp; i++) sb.append('0');
        sb.append(".0");
      } else {
        sb.append(digits, 0, exp + 1).append('.').append(digits, exp + 1, digits.length());
      }
    } else {
      sb.append(digits.charAt(0)).append('.');
      sb.append(digits.length() > 1 ? digits.substring(1) : "0");
      sb.append('E').append(exp);
    }
    return sb.toString();
  }

  /** A double literal as written (inf/nan spellings of both the printer and Java). */
  static double parseDouble(String text) {
    switch (text) {
      case "inf", "Infinity":
        return Double.POSITIVE_INFINITY;
      case "-inf", "-Infinity":
        return Double.NEGATIVE_INFINITY;
      case "nan", "NaN":
        return Double.NaN;
      default:
        return Double.parseDouble(text);
    }
  }

  /** A float literal as written; decimal text is rounded once, straight to float. */
  static float parseFloat(String text) {
    switch (text) {
      case "inf", "Infinity":
        return Float.POSITIVE_INFINITY;
      case "-inf", "-Infinity":
        return Float.NEGATIVE_INFINITY;
      case "nan", "NaN":
        return Float.NaN;
      default:
        return Float.parseFloat(text);
    }
  }

  /** A double-quoted string with {@code \" \\ \n \r \t} and {@code \}{@code uXXXX} escapes. */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2);
    appendQuoted(sb, s);
    return sb.toString();
  }

  static void appendQuoted(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          // Control characters and surrogates (which may be unpaired) are escaped so that the
          // file is clean UTF-8 and every string survives.
          if (c < 0x20 || c == 0x7f || Character.isSurrogate(c)) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  /** The contents of a STRING token (with its quotes), escapes resolved; null when malformed. */
  static String unquote(String token) {
    StringBuilder sb = new StringBuilder(token.length());
    int end = token.length() - 1;
    for (int i = 1; i < end; i++) {
      char c = token.charAt(i);
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      char e = token.charAt(++i);
      switch (e) {
        case '"', '\\', '/' -> sb.append(e);
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'u' -> {
          if (i + 4 >= end) return null;
          String hex = token.substring(i + 1, i + 5);
          if (!hex.matches("[0-9A-Fa-f]{4}")) return null;
          sb.append((char) Integer.parseInt(hex, 16));
          i += 4;
        }
        default -> {
          return null;
        }
      }
    }
    return sb.toString();
  }

  /** An op name or attribute key: bare when the lexer reads it back as one identifier. */
  static String name(String s) {
    return BARE_ID.matcher(s).matches() && !RESERVED.contains(s) ? s : quote(s);
  }

  static boolean isBareId(String s) {
    return BARE_ID.matcher(s).matches() && !RESERVED.contains(s);
  }

  static String type(TensorType t) {
    StringBuilder sb = new StringBuilder(24);
    appendType(sb, t);
    return sb.toString();
  }

  /**
   * Same text as {@link TensorType#toText()} except that doubles are the shortest round-trip form
   * and infinities are spelled {@code inf}.
   */
  static void appendType(StringBuilder sb, TensorType t) {
    sb.append("tensor<");
    for (int d : t.shape())
      sb.append(d == TensorType.UNKNOWN ? "?" : Integer.toString(d)).append('x');
    appendElementType(sb, t.elementType());
    sb.append('>');
  }

  static void appendElementType(StringBuilder sb, ElementType e) {
    if (e instanceof ScalarType s) {
      sb.append(s.toText());
    } else if (e instanceof UniformQuantType u) {
      sb.append("uniform<")
          .append(u.storageText())
          .append(':')
          .append(u.expressedType().toText())
          .append(", ");
      sb.append(formatDouble(u.scale())).append(':').append(u.zeroPoint()).append('>');
    } else if (e instanceof UniformPerAxisType u) {
      sb.append("uniform_per_axis<")
          .append(u.storageText())
          .append(':')
          .append(u.expressedType().toText());
      sb.append(", ").append(u.axis()).append(", [");
      double[] scales = u.scales();
      for (int i = 0; i < scales.length; i++)
        sb.append(i == 0 ? "" : ", ").append(formatDouble(scales[i]));
      sb.append("], [");
      long[] zps = u.zeroPoints();
      for (int i = 0; i < zps.length; i++) sb.append(i == 0 ? "" : ", ").append(zps[i]);
      sb.append("]>");
    } else if (e instanceof CalibratedType c) {
      sb.append("calibrated<").append(c.expressedType().toText()).append(", ");
      sb.append(formatDouble(c.min())).append(", ").append(formatDouble(c.max())).append('>');
    } else {
      throw new IllegalArgumentException("unknown element type " + e);
    }
  }
}

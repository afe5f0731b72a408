package org.npuc.pass;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.npuc.diag.Suggestions;
import org.npuc.diag.UserError;

/**
 * A parsed and configured pipeline: pass instances in order, with named pipelines expanded and
 * every name and option checked against the registry. Each pass remembers the column it came
 * from so that later messages (a wrong order) can point at it.
 */
public final class Pipeline {
  private static final int MAX_NESTING = 16;

  private final String text;
  private final List<Pass> passes;
  private final List<Integer> columns;

  private Pipeline(String text, List<Pass> passes, List<Integer> columns) {
    this.text = text;
    this.passes = Collections.unmodifiableList(passes);
    this.columns = Collections.unmodifiableList(columns);
  }

  /**
   * Parses and configures {@code text}. An unknown pass or option is a {@link UserError} with a
   * caret under the column, the nearest name and the list of what exists; a bad option value
   * says the type that was expected.
   */
  public static Pipeline parse(String text, PassRegistry registry) {
    List<Pass> passes = new ArrayList<>();
    List<Integer> columns = new ArrayList<>();
    expand(text, registry, passes, columns, -1, 0);
    return new Pipeline(text, passes, columns);
  }

  /** A pipeline of already configured passes (programmatic use and tests). */
  public static Pipeline of(Pass... passes) {
    List<Integer> columns = new ArrayList<>();
    StringBuilder sb = new StringBuilder();
    for (Pass p : passes) {
      if (sb.length() > 0) sb.append(',');
      columns.add(sb.length());
      sb.append(p.describe());
    }
    return new Pipeline(sb.toString(), new ArrayList<>(List.of(passes)), columns);
  }

  public String text() {
    return text;
  }

  public List<Pass> passes() {
    return passes;
  }

  /** The 0-based column in {@link #text()} where pass {@code i} was named. */
  public int column(int i) {
    return columns.get(i);
  }

  private static void expand(String text, PassRegistry registry, List<Pass> out, List<Integer> columns, int outerColumn, int depth) {
    if (depth > MAX_NESTING) throw new UserError("named pipelines nest more than " + MAX_NESTING + " deep (a cycle?): " + text);
    for (PipelineText.PassSpec spec : PipelineText.parse(text)) {
      int column = outerColumn >= 0 ? outerColumn : spec.column();
      PassRegistry.NamedPipeline named = registry.pipeline(spec.name());
      if (named != null) {
        if (!spec.options().isEmpty()) {
          PipelineText.OptionSpec o = spec.options().get(0);
          throw new UserError(PipelineText.pointAt(text, o.keyColumn(),
              "'" + spec.name() + "' is a named pipeline (" + named.text() + ") and takes no options; "
                  + "spell out its passes to configure them"));
        }
        try {
          expand(named.text(), registry, out, columns, column, depth + 1);
        } catch (UserError e) {
          if (depth > 0) throw e;
          throw new UserError(PipelineText.pointAt(text, spec.column(), "in named pipeline '" + spec.name() + "':") + "\n" + e.getMessage(), e);
        }
        continue;
      }
      Pass pass = registry.create(spec.name());
      if (pass == null) throw unknownPass(text, spec, registry);
      configure(pass, spec, text);
      out.add(pass);
      columns.add(column);
    }
  }

  private static UserError unknownPass(String text, PipelineText.PassSpec spec, PassRegistry registry) {
    List<String> names = new ArrayList<>(registry.passNames());
    List<String> pipelineNames = new ArrayList<>();
    for (PassRegistry.NamedPipeline p : registry.pipelines()) pipelineNames.add(p.name());
    List<String> all = new ArrayList<>(names);
    all.addAll(pipelineNames);
    String near = Suggestions.nearest(spec.name(), all);
    StringBuilder sb = new StringBuilder();
    sb.append(PipelineText.pointAt(text, spec.column(), "unknown pass '" + spec.name() + "' at column " + (spec.column() + 1) + " of the pipeline:"));
    sb.append('\n');
    if (near != null) sb.append("did you mean '").append(near).append("'? ");
    sb.append("Passes: ").append(String.join(", ", names));
    if (!pipelineNames.isEmpty()) sb.append("; named pipelines: ").append(String.join(", ", pipelineNames));
    sb.append(" (npuc passes describes them).");
    return new UserError(sb.toString());
  }

  private static void configure(Pass pass, PipelineText.PassSpec spec, String text) {
    for (PipelineText.OptionSpec o : spec.options()) {
      PassOption<?> opt = pass.option(o.key());
      if (opt == null) {
        List<String> keys = new ArrayList<>();
        for (PassOption<?> p : pass.options()) keys.add(p.name());
        String near = Suggestions.nearest(o.key(), keys);
        StringBuilder sb = new StringBuilder(PipelineText.pointAt(text, o.keyColumn(),
            "unknown option '" + o.key() + "' of pass '" + pass.name() + "' at column " + (o.keyColumn() + 1) + ":"));
        sb.append('\n');
        if (near != null) sb.append("did you mean '").append(near).append("'? ");
        sb.append(keys.isEmpty() ? "Pass '" + pass.name() + "' takes no options." : "Options of '" + pass.name() + "': " + String.join(", ", keys) + ".");
        throw new UserError(sb.toString());
      }
      try {
        opt.setFromText(o.value());
      } catch (IllegalArgumentException e) {
        throw new UserError(PipelineText.pointAt(text, o.valueColumn(),
            "bad value '" + o.value() + "' for option '" + o.key() + "' of pass '" + pass.name() + "': expected "
                + opt.type().describe() + ":"));
      } catch (IllegalStateException e) {
        throw new UserError(PipelineText.pointAt(text, o.keyColumn(), e.getMessage() + " in pass '" + pass.name() + "' (it takes one " + opt.type().describe() + "):"));
      }
    }
    try {
      pass.checkOptions();
    } catch (UserError e) {
      throw new UserError(PipelineText.pointAt(text, spec.column(), e.getMessage()), e);
    }
  }
}

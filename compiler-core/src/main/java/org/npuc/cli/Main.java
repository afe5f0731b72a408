package org.npuc.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import org.npuc.diag.UserError;
import org.npuc.ir.IrException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code npuc} command line: subcommands are one class each, listed here. A user's mistake
 * ({@link UserError}, {@link IrException}) ends with a one-paragraph diagnostic and exit code 1;
 * anything else is a bug in npuc, reported as an internal error with the trace under {@code --debug}.
 */
@Command(
    name = "npuc",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Compiles trained neural networks (TensorFlow, TFLite, Caffe) to NPUs.",
    subcommands = {
      OptCommand.class,
      PassesCommand.class,
      ImportCommand.class,
      RunCommand.class,
      OpsCommand.class,
      AgreeCommand.class,
      ClassifyCommand.class,
      QuantizeCommand.class,
      EvalCommand.class,
      CompareCommand.class,
      CompileCommand.class,
      InspectCommand.class,
      TargetsCommand.class,
      CommandLine.HelpCommand.class,
    })
public final class Main implements Runnable {
  /** Exit code for a user's mistake (bad file, option, model). */
  public static final int EXIT_USER_ERROR = 1;
  /** Exit code for a bad command line (picocli's usage errors). */
  public static final int EXIT_USAGE = 2;
  /** Exit code for a bug in npuc (EX_SOFTWARE). */
  public static final int EXIT_INTERNAL = 70;

  @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Print stack traces of errors (for bug reports).")
  boolean debug;

  @picocli.CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the command line with the given streams and returns the exit code (used by tests). */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    boolean debug = Arrays.asList(args).contains("--debug");
    CommandLine cmd = new CommandLine(new Main());
    cmd.setOut(out);
    cmd.setErr(err);
    cmd.setCaseInsensitiveEnumValuesAllowed(true);
    cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> report(ex, err, debug));
    cmd.setParameterExceptionHandler((ex, args1) -> {
      err.println("npuc: " + ex.getMessage());
      CommandLine c = ex.getCommandLine();
      err.println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
      err.flush();
      return EXIT_USAGE;
    });
    try {
      int code = cmd.execute(args);
      out.flush();
      err.flush();
      return code;
    } finally {
      out.flush();
      err.flush();
    }
  }

  static int report(Exception ex, PrintWriter err, boolean debug) {
    int code;
    if (ex instanceof UserError) {
      err.println("npuc: error: " + ex.getMessage());
      code = EXIT_USER_ERROR;
    } else if (ex instanceof IrException ir) {
      err.println("npuc: error: " + ir.describe());
      code = EXIT_USER_ERROR;
    } else {
      err.println("npuc: internal error (a bug in npuc): " + ex);
      if (!debug) err.println("Run again with --debug for the stack trace, and report it.");
      code = EXIT_INTERNAL;
    }
    if (debug) ex.printStackTrace(err);
    err.flush();
    return code;
  }
}

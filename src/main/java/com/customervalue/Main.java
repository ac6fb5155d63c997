package com.customervalue;

import com.customervalue.cli.CleanCommand;
import com.customervalue.cli.FeaturesCommand;
import com.customervalue.cli.GenerateSampleCommand;
import com.customervalue.cli.IdentityCommand;
import com.customervalue.cli.IngestCommand;
import com.customervalue.cli.QueryCommand;
import com.customervalue.cli.ReportCommand;
import com.customervalue.cli.RunCommand;
import com.customervalue.cli.ScoreCommand;
import com.customervalue.cli.TrainCommand;
import com.customervalue.errors.ConfigException;
import com.customervalue.errors.CustomerValueException;
import com.customervalue.errors.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command line: one subcommand per job. Exit codes: 0 ok, 2 bad usage or configuration,
 * 1 the run failed.
 */
@Command(
    name = "customer-value",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Churn risk, customer value and support-adjusted revenue from invoices and side systems.",
    subcommands = {GenerateSampleCommand.class, IngestCommand.class, CleanCommand.class, IdentityCommand.class,
        FeaturesCommand.class, TrainCommand.class, ScoreCommand.class, ReportCommand.class, QueryCommand.class,
        RunCommand.class,
        CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  public static final int EXIT_OK = 0;
  public static final int EXIT_FAILED = 1;
  public static final int EXIT_USAGE = 2;
  private static final Logger log = LoggerFactory.getLogger(Main.class);

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns the exit code; never calls System.exit. */
  public static int execute(String... args) {
    return execute(new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true), args);
  }

  /** As {@link #execute(String...)}, printing results to {@code out} and errors to {@code err}. */
  public static int execute(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new Main()).setOut(out).setErr(err);
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      if (e instanceof ConfigException) {
        commandLine.getErr().println(e.getMessage());
        return EXIT_USAGE;
      }
      // A message may quote a raw record: e-mail addresses in it are masked (the log layout masks them too).
      if (e instanceof CustomerValueException) {
        String message = Errors.maskEmails(e.getMessage());
        log.error("{} failed: {}", commandLine.getCommandName(), message);
        commandLine.getErr().println("Failed: " + message);
        return EXIT_FAILED;
      }
      log.error("{} failed unexpectedly", commandLine.getCommandName(), e);
      commandLine.getErr().println("Failed unexpectedly: " + Errors.maskEmails(e.toString())
          + " (stack trace in the log above)");
      return EXIT_FAILED;
    });
    return cli.execute(args);
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand");
  }

  /** Reports the version from the jar manifest, or "development" when run from classes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"customer-value " + (v == null ? "development" : v)};
    }
  }
}

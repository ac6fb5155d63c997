package com.customervalue.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The command line as a user runs it: {@code com.customervalue.Main} in a JVM of its own, with the
 * flags of jobs/spark-jvm.args and the test classpath, so exit codes, printed output and the
 * stopping of Spark are the real ones, and a test can kill it.
 */
public final class ChildCli {
  /** The HMAC key the child runs with. */
  public static final String HASH_KEY = "child-cli-test-hash-key";

  /** What a finished command printed. */
  public record Result(int exit, String out, String err) {}

  private final Path workDir;
  private final String name;
  private final Process process;

  private ChildCli(Path workDir, String name, Process process) {
    this.workDir = workDir;
    this.name = name;
    this.process = process;
  }

  /** Starts {@code args}; its output goes to {@code workDir/NAME.out} and {@code .err}. */
  public static ChildCli start(Path workDir, String name, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "@" + Path.of("jobs/spark-jvm.args").toAbsolutePath(), "@" + Path.of("jobs/local-jvm.args").toAbsolutePath(),
        "-Xmx2g",
        "-cp", System.getProperty("java.class.path"), "com.customervalue.Main"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectOutput(workDir.resolve(name + ".out").toFile())
        .redirectError(workDir.resolve(name + ".err").toFile());
    builder.environment().put("CUSTOMER_VALUE_HASH_KEY", HASH_KEY);
    return new ChildCli(workDir, name, builder.start());
  }

  /** Runs {@code args} to the end (at most {@code minutes}). */
  public static Result run(Path workDir, String name, long minutes, String... args)
      throws IOException, InterruptedException {
    return start(workDir, name, args).await(minutes);
  }

  public Process process() {
    return process;
  }

  /** Waits for the end; a command still running after {@code minutes} is killed and fails the test. */
  public Result await(long minutes) throws IOException, InterruptedException {
    if (!process.waitFor(minutes, TimeUnit.MINUTES)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError(name + " did not finish in " + minutes + " minutes; its log: "
          + workDir.resolve(name + ".err"));
    }
    return new Result(process.exitValue(), Files.readString(workDir.resolve(name + ".out")),
        Files.readString(workDir.resolve(name + ".err")));
  }
}

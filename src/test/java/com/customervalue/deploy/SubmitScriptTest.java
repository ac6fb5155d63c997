package com.customervalue.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.customervalue.Main;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * jobs/submit.sh in dry-run mode: the spark-submit command it would run, for each kind of master.
 * Cheap (no Spark, no build): the script never builds on a dry run, and the test hands it a
 * classpath file and a jar of its own so a clean checkout works before `package` ran.
 */
class SubmitScriptTest {
  private static final String SECRET = "submit-test-secret-key-3141";

  private record Result(int exit, List<String> lines, String err) {}

  private static Result submit(Path dir, String... args) throws IOException, InterruptedException {
    Path classpathFile = Files.writeString(dir.resolve("classpath.txt"), "/opt/spark/jars/spark-core.jar");
    List<String> command = new ArrayList<>(List.of("bash", "jobs/submit.sh", "--dry-run"));
    command.addAll(List.of(args));
    Path out = dir.resolve("stdout.txt");
    Path err = dir.resolve("stderr.txt");
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().put("CUSTOMER_VALUE_HASH_KEY", SECRET);
    builder.environment().put("SUBMIT_CLASSPATH_FILE", classpathFile.toString());
    builder.environment().remove("SPARK_HOME");
    builder.environment().remove("SPARK_MASTER");
    // No spark-submit on the PATH, so the no-download fallback is what runs unless a test says otherwise.
    builder.environment().put("PATH", "/usr/bin:/bin:" + Path.of(System.getProperty("java.home"), "bin"));
    Process process = builder.start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("submit.sh finished").isTrue();
    return new Result(process.exitValue(), Files.readAllLines(out), Files.readString(err));
  }

  /** A Spark home whose bin/spark-submit exists (a dry run never starts it). */
  private static Path fakeSparkHome(Path dir) throws IOException {
    Path bin = Files.createDirectories(dir.resolve("spark/bin"));
    Path script = Files.writeString(bin.resolve("spark-submit"), "#!/bin/sh\nexit 0\n");
    assertThat(script.toFile().setExecutable(true)).isTrue();
    return dir.resolve("spark");
  }

  /** The dry-run prints one %q-quoted argument per line; these tests use no characters needing more than \ . */
  private static List<String> unquote(List<String> lines) {
    return lines.stream().map(l -> l.replaceAll("\\\\(.)", "$1")).toList();
  }

  private static String after(List<String> args, String option) {
    int i = args.indexOf(option);
    assertThat(i).as("%s in %s", option, args).isNotNegative();
    return args.get(i + 1);
  }

  @Test
  void standaloneCommandNamesTheJarTheMainClassTheJobAndItsArguments(@TempDir Path dir) throws Exception {
    Result r = submit(dir, "--jar", "target/app-emr.jar", "--master", "spark://127.0.0.1:7077",
        "ingest", "--run-id", "x");

    assertThat(r.exit()).as(r.err()).isZero();
    List<String> args = unquote(r.lines());
    assertThat(args.get(0)).isEqualTo("java");
    assertThat(args).contains("org.apache.spark.deploy.SparkSubmit", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED");
    assertThat(after(args, "-cp")).isEqualTo("/opt/spark/jars/spark-core.jar:target/app-emr.jar");
    assertThat(after(args, "--master")).isEqualTo("spark://127.0.0.1:7077");
    // The application and its arguments come last, in this order, unchanged.
    int mainAt = args.indexOf("--class");
    assertThat(args.subList(mainAt, args.size())).containsExactly("--class", "com.customervalue.Main",
        "target/app-emr.jar", "ingest", "--run-id", "x", "--config", "conf/local.conf");
    List<String> javaOptions = args.stream().filter(a -> a.startsWith("spark.executor.extraJavaOptions=")
        || a.startsWith("spark.driver.extraJavaOptions=")).toList();
    assertThat(javaOptions).hasSize(2).allSatisfy(o -> assertThat(o).contains(
        "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED", "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED"));
    assertThat(String.join("\n", r.lines())).doesNotContain(SECRET);
  }

  @Test
  void defaultMasterIsLocalAndTheBuiltJarIsFoundByItsPattern(@TempDir Path dir) throws Exception {
    Result r = submit(dir, "score", "--config", "conf/emr.conf");

    assertThat(r.exit()).as(r.err()).isZero();
    List<String> args = unquote(r.lines());
    assertThat(after(args, "--master")).isEqualTo("local[*]");
    assertThat(args.get(args.indexOf("--class") + 2)).matches("target/customer-value-.*-emr\\.jar");
    // The job's own --config wins: the wrapper adds none.
    assertThat(args.subList(args.indexOf("--class") + 3, args.size()))
        .containsExactly("score", "--config", "conf/emr.conf");
  }

  @Test
  void yarnClusterModeShipsTheConfigWithFilesAndReadsItByName(@TempDir Path dir) throws Exception {
    Path sparkHome = fakeSparkHome(dir);
    Path props = Files.writeString(dir.resolve("spark.properties"), "spark.executor.memory 2g\n");

    Result r = submit(dir, "--spark-home", sparkHome.toString(), "--master", "yarn", "--deploy-mode", "cluster",
        "--properties-file", props.toString(), "--config", "conf/emr.conf", "run", "--run-id", "2024-05-01",
        "--as-of", "2024-05-01");

    assertThat(r.exit()).as(r.err()).isZero();
    List<String> args = unquote(r.lines());
    assertThat(args.get(0)).isEqualTo(sparkHome.resolve("bin/spark-submit").toString());
    assertThat(after(args, "--master")).isEqualTo("yarn");
    assertThat(after(args, "--deploy-mode")).isEqualTo("cluster");
    assertThat(after(args, "--properties-file")).isEqualTo(props.toString());
    assertThat(after(args, "--files")).isEqualTo(Path.of("conf/emr.conf").toAbsolutePath().toString());
    assertThat(args.subList(args.indexOf("--class"), args.size())).containsExactly("--class",
        "com.customervalue.Main", args.get(args.indexOf("--class") + 2), "run", "--run-id", "2024-05-01",
        "--as-of", "2024-05-01", "--config", "emr.conf");
    assertThat(args).anyMatch(a -> a.startsWith("spark.executor.extraJavaOptions=--add-opens="));
    assertThat(String.join("\n", r.lines()) + r.err()).doesNotContain(SECRET);
  }

  @Test
  void yarnClientModeKeepsTheLocalConfigPathAndShipsNothing(@TempDir Path dir) throws Exception {
    Result r = submit(dir, "--spark-home", fakeSparkHome(dir).toString(), "--master", "yarn", "features");

    assertThat(r.exit()).as(r.err()).isZero();
    List<String> args = unquote(r.lines());
    assertThat(args).doesNotContain("--files", "--deploy-mode");
    assertThat(args.subList(args.indexOf("--class") + 3, args.size()))
        .containsExactly("features", "--config", "conf/local.conf");
  }

  @Test
  void argumentsWithSpacesAreQuotedAndTheSecretIsNeverPrinted(@TempDir Path dir) throws Exception {
    Result r = submit(dir, "query", "SELECT * FROM t WHERE k = '" + SECRET + "'");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.lines()).contains("SELECT\\ \\*\\ FROM\\ t\\ WHERE\\ k\\ =\\ \\'\\*\\*\\*\\'");
    assertThat(String.join("\n", r.lines()) + r.err()).doesNotContain(SECRET);
  }

  @Test
  void unknownJobIsRejectedWithExitTwoAndTheListOfJobs(@TempDir Path dir) throws Exception {
    Result r = submit(dir, "--master", "local[2]", "ingset", "--run-id", "x");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.lines()).isEmpty();
    assertThat(r.err()).contains("unknown JOB 'ingset'", "generate-sample", "ingest", "run");
  }

  @Test
  void badOptionsAreRejectedWithExitTwo(@TempDir Path dir) throws Exception {
    assertThat(submit(dir).exit()).isEqualTo(2);
    assertThat(submit(dir, "--master").exit()).isEqualTo(2);
    assertThat(submit(dir, "--deploy-mode", "sideways", "ingest").exit()).isEqualTo(2);
    assertThat(submit(dir, "--config", "conf/does-not-exist.conf", "ingest").err())
        .contains("config file 'conf/does-not-exist.conf' does not exist");
    // Cluster mode puts the driver elsewhere: the no-download fallback cannot do that.
    Result cluster = submit(dir, "--master", "spark://127.0.0.1:7077", "--deploy-mode", "cluster", "ingest");
    assertThat(cluster.exit()).isEqualTo(2);
    assertThat(cluster.err()).contains("--deploy-mode cluster needs a Spark installation");
  }

  @Test
  void theScriptsJobListIsTheCommandLinesSubcommands() throws Exception {
    Matcher m = Pattern.compile("(?m)^JOBS=\\(([^)]*)\\)").matcher(Files.readString(Path.of("jobs/submit.sh")));
    assertThat(m.find()).as("JOBS=(...) in jobs/submit.sh").isTrue();
    Set<String> script = new TreeSet<>(List.of(m.group(1).trim().split("\\s+")));
    Set<String> cli = new TreeSet<>(new CommandLine(new Main()).getSubcommands().keySet());
    cli.remove("help");

    assertThat(script).isEqualTo(cli);
  }
}

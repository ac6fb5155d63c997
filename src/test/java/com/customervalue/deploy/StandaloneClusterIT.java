package com.customervalue.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.customervalue.testing.SparkExtension;
import com.customervalue.testing.TableComparison;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The product on a real standalone cluster: a master and two 1-core workers on 127.0.0.1, started
 * from the project's own Maven jars (a SPARK_HOME holding only jars/), the job submitted through
 * jobs/submit.sh as on EMR. The run must write the same features and scores as local mode (the
 * {@link LocalReferenceRun}, same sample and settings), also when one worker and its executor are
 * killed while a features task runs on them.
 * Runs in the {@code cluster} Maven profile (active in {@code mvn -B verify} unless {@code -DskipITs}), after {@code package}.
 */
@ExtendWith(SparkExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StandaloneClusterIT {
  private static final String RUN_ID = LocalReferenceRun.RUN_ID;
  private static final List<String> COMPARED_TABLES = List.of("customer_features", "customer_scores");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long RUN_LIMIT_MINUTES = LocalReferenceRun.RUN_LIMIT_MINUTES;

  // Kept when a test fails: the daemons' and runs' logs are in it.
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  static Path dir;

  private LocalReferenceRun local;
  private int masterPort;
  private int masterUiPort;
  private int worker1UiPort;
  private final List<Process> daemons = new ArrayList<>();
  private Process worker1;
  /** Stops the daemons if the test JVM ends before {@link #stopCluster()} runs (a killed build). */
  private final Thread stopOnExit = new Thread(this::stopCluster, "StandaloneClusterIT-stop-cluster");

  @BeforeAll
  void runLocallyAndStartCluster() throws Exception {
    // First, so the daemons do not wait beside it.
    local = LocalReferenceRun.get();
    Path sparkHome = sparkHomeOfMavenJars();
    Runtime.getRuntime().addShutdownHook(stopOnExit);
    masterPort = freePort();
    masterUiPort = freePort();
    daemons.add(daemon(sparkHome, "master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
        "--port", String.valueOf(masterPort), "--webui-port", String.valueOf(masterUiPort)));
    awaitAliveWorkers(0);
    for (int i = 1; i <= 2; i++) {
      int uiPort = freePort();
      Process worker = daemon(sparkHome, "worker" + i, "org.apache.spark.deploy.worker.Worker", "--host",
          "127.0.0.1", "--cores", "1", "--memory", "1g", "--webui-port", String.valueOf(uiPort),
          "--work-dir", Files.createDirectories(dir.resolve("work" + i)).toString(),
          "spark://127.0.0.1:" + masterPort);
      daemons.add(worker);
      if (i == 1) {
        worker1 = worker;
        worker1UiPort = uiPort;
      }
    }
    awaitAliveWorkers(2);
  }

  @AfterAll
  void stopClusterAndForgetTheHook() {
    stopCluster();
    try {
      Runtime.getRuntime().removeShutdownHook(stopOnExit);
    } catch (IllegalStateException jvmAlreadyExiting) {
      // The hook is running or about to: nothing left to undo.
    }
  }

  private synchronized void stopCluster() {
    // Workers first, so the master does not log them as lost; each by the PID this test started.
    for (int i = daemons.size() - 1; i >= 0; i--) {
      Process p = daemons.get(i);
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroy();
      try {
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * One run on the cluster, which loses a worker during features: every stage before features ran on
   * two workers, features and the rest lost one. A run on an intact cluster is not run as well: it
   * would check nothing this run does not (it took about 190 s of CI).
   */
  @Test
  void runOnTwoWorkersSurvivesLosingOneWhileFeaturesAreBuiltAndWritesWhatLocalModeWrites(SparkSession spark)
      throws Exception {
    long start = System.nanoTime();
    Path err = dir.resolve("fault-stderr.txt");
    // The driver's UI is on for this run only: its REST API tells which executor runs a task, and when.
    int driverUiPort = freePort();
    String[] config = config("fault", "\"spark.ui.enabled\" = \"true\", \"spark.ui.port\" = \"" + driverUiPort + "\"");
    Process run = start("spark://127.0.0.1:" + masterPort, err, "run", config[0], config[1], "--run-id", RUN_ID);
    Kill kill;
    JsonNode lostTask;
    try {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(RUN_LIMIT_MINUTES);
      while (!Files.readString(err).contains("features: starting run")) {
        assertThat(run.isAlive()).as("run still going before features start: %s", Files.readString(err)).isTrue();
        assertThat(System.nanoTime()).as("features started within %d minutes", RUN_LIMIT_MINUTES).isLessThan(deadline);
        Thread.sleep(200);
      }
      kill = killWorker1WhileItRunsAFeaturesTask(run, driverUiPort, deadline);
      lostTask = awaitTaskLostWithTheExecutor(run, kill);
      assertThat(run.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS))
          .as("run finished within %d minutes", RUN_LIMIT_MINUTES).isTrue();
    } finally {
      run.descendants().forEach(ProcessHandle::destroyForcibly);
      run.destroyForcibly();
    }
    String log = Files.readString(err);
    assertThat(run.exitValue()).as(log).isZero();
    assertThat(log).contains("master spark://127.0.0.1:" + masterPort);
    System.err.printf("StandaloneClusterIT: the cluster run took %d s%n",
        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start));
    System.err.printf("StandaloneClusterIT: killed worker1 and executor %s while stage(s) %s ran; the run ended"
        + " %d s later%n", kill.executorId(), kill.stages(), TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - kill.at()));
    System.err.printf("StandaloneClusterIT: the driver's record of a task on it: %s%n", lostTask);

    // The driver noticed the executor go during features, not after them (WARN and ERROR lines only:
    // the per-task lines of a loss unrelated to the task are at INFO).
    Matcher lost = Pattern.compile("(?m)^.*Lost executor " + Pattern.quote(kill.executorId()) + " on .*$").matcher(log);
    assertThat(lost.find()).as("the driver log names executor %s lost: %s", kill.executorId(), log).isTrue();
    System.err.printf("StandaloneClusterIT: driver log: %s%n", lost.group());
    assertThat(log.indexOf("features: starting run")).isLessThan(lost.start());
    assertThat(log.indexOf("features: finished run")).isGreaterThan(lost.start());
    JsonNode master = getJson("http://127.0.0.1:" + masterUiPort + "/json/");
    assertThat(master.path("aliveworkers").asInt()).as("alive workers after the kill: %s", master).isEqualTo(1);
    assertThat(master.path("workers").findValuesAsText("state")).as("worker states: %s", master).contains("DEAD");
    assertSameTables(spark, "fault");
  }

  /** When worker1 was killed, which of the app's executors it held, and the stages the driver was running. */
  private record Kill(String api, String appId, String executorId, List<Stage> stages, long at) {}

  /** A stage attempt as the driver's REST API names it. */
  private record Stage(int id, int attempt, String description) {
    @Override
    public String toString() {
      return id + "." + attempt + " \"" + description + "\"";
    }
  }

  /**
   * The driver's own record (REST API, while the run goes on) of a task of the stages active at the
   * kill that failed because the killed executor was lost while the task ran on it.
   */
  private static JsonNode awaitTaskLostWithTheExecutor(Process run, Kill kill) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    List<String> seen = new ArrayList<>();
    while (System.nanoTime() < deadline && run.isAlive()) {
      seen.clear();
      for (Stage stage : kill.stages()) {
        JsonNode tasks = getJson(kill.api() + "/" + kill.appId() + "/stages/" + stage.id() + "/" + stage.attempt()
            + "/taskList?length=100000");
        for (JsonNode task : tasks) {
          seen.add(task.path("taskId").asText() + "@" + task.path("executorId").asText() + ":" + task.path("status").asText());
          if (task.path("executorId").asText().equals(kill.executorId()) && task.path("status").asText().equals("FAILED")
              && task.path("errorMessage").asText().startsWith("ExecutorLostFailure")) {
            return task;
          }
        }
      }
      Thread.sleep(500);
    }
    throw new AssertionError("no task of stages " + kill.stages() + " failed with the loss of executor "
        + kill.executorId() + " (tasks: " + seen + ")");
  }

  /**
   * Kills worker1 and its executor at a moment the executor runs a task of the features stage. The
   * executor is frozen (SIGSTOP) first and the driver asked again: a frozen executor cannot finish its
   * task, so when the driver still counts a task on it, the kill (SIGKILL) lands in a running stage and
   * not between two jobs. Otherwise the executor is thawed and the test waits for the next task.
   */
  private Kill killWorker1WhileItRunsAFeaturesTask(Process run, int driverUiPort, long deadline) throws Exception {
    String api = "http://127.0.0.1:" + driverUiPort + "/api/v1/applications";
    while (true) {
      assertThat(run.isAlive()).as("run still going while features run").isTrue();
      assertThat(System.nanoTime()).as("a features task on worker1's executor within the deadline").isLessThan(deadline);
      String log = Files.readString(dir.resolve("fault-stderr.txt"));
      assertThat(log).as("the kill must land before features end").doesNotContain("features: finished run");
      try {
        String appId = getJson(api).path(0).path("id").asText();
        Optional<String> executor = worker1ExecutorOf(appId);
        List<ProcessHandle> executorProcesses = worker1.descendants().toList();
        if (executor.isPresent() && !executorProcesses.isEmpty()
            && activeTasks(api, appId, executor.get()) > 0 && !activeFeaturesStages(api, appId).isEmpty()) {
          List<ProcessHandle> frozen = new ArrayList<>(executorProcesses);
          frozen.add(worker1.toHandle());
          signal("STOP", frozen);
          boolean killed = false;
          try {
            Thread.sleep(1000);
            List<Stage> stages = activeFeaturesStages(api, appId);
            if (activeTasks(api, appId, executor.get()) > 0 && !stages.isEmpty()) {
              long at = System.nanoTime();
              // The worker and the executor it launched, as a lost machine would take them.
              frozen.forEach(ProcessHandle::destroyForcibly);
              killed = true;
              assertThat(worker1.waitFor(20, TimeUnit.SECONDS)).as("worker1 killed").isTrue();
              for (ProcessHandle p : executorProcesses) {
                assertThat(p.onExit().get(20, TimeUnit.SECONDS).isAlive()).as("executor process killed").isFalse();
              }
              return new Kill(api, appId, executor.get(), stages, at);
            }
          } finally {
            if (!killed) {
              signal("CONT", frozen);
            }
          }
        }
      } catch (IOException driverUiNotUpYet) {
        // The driver starts its UI with the session; features start well after that.
      }
      Thread.sleep(100);
    }
  }

  /** The id of the executor worker1 runs for the application, from the worker's own JSON page. */
  private Optional<String> worker1ExecutorOf(String appId) throws IOException {
    for (JsonNode executor : getJson("http://127.0.0.1:" + worker1UiPort + "/json/").path("executors")) {
      if (executor.path("appid").asText().equals(appId)) {
        return Optional.of(executor.path("id").asText());
      }
    }
    return Optional.empty();
  }

  private static int activeTasks(String api, String appId, String executorId) throws IOException {
    for (JsonNode executor : getJson(api + "/" + appId + "/executors")) {
      if (executor.path("id").asText().equals(executorId)) {
        return executor.path("activeTasks").asInt();
      }
    }
    return 0;
  }

  /** The active stages of jobs the features stage named (StageDescription). */
  private static List<Stage> activeFeaturesStages(String api, String appId) throws IOException {
    List<Stage> stages = new ArrayList<>();
    for (JsonNode stage : getJson(api + "/" + appId + "/stages?status=active")) {
      String description = stage.path("description").asText();
      if (description.startsWith("features: ")) {
        stages.add(new Stage(stage.path("stageId").asInt(), stage.path("attemptId").asInt(), description));
      }
    }
    return stages;
  }

  private static void signal(String signal, List<ProcessHandle> processes) throws Exception {
    List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
    processes.forEach(p -> command.add(String.valueOf(p.pid())));
    Process kill = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).as("kill -%s finished", signal).isTrue();
    assertThat(kill.exitValue()).as("kill -%s %s: %s", signal, command, new String(kill.getInputStream().readAllBytes(),
        StandardCharsets.UTF_8)).isZero();
  }

  private static JsonNode getJson(String url) throws IOException {
    HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
    c.setConnectTimeout(1000);
    c.setReadTimeout(5000);
    try (var in = c.getInputStream()) {
      return JSON.readTree(in);
    }
  }

  private void assertSameTables(SparkSession spark, String name) {
    for (String table : COMPARED_TABLES) {
      Dataset<Row> expected = TableComparison.comparable(spark.read().format("delta")
          .load(local.warehouse.resolve(table).toString()));
      Dataset<Row> actual = TableComparison.comparable(spark.read().format("delta")
          .load(dir.resolve(name + "/warehouse").resolve(table).toString()));
      assertThat(expected.count()).as("%s rows", table).isPositive();
      assertThat(actual.exceptAll(expected).count()).as("%s rows only the %s run wrote", table, name).isZero();
      assertThat(expected.exceptAll(actual).count()).as("%s rows only the local run wrote", table).isZero();
    }
  }

  /**
   * The --config argument pair of a run writing under dir/NAME, reading the reference run's input, with
   * more Spark properties (HOCON map entries, comma-separated).
   */
  private String[] config(String name, String sparkProperties) throws IOException {
    Path root = Files.createDirectories(dir.resolve(name));
    Path conf = LocalReferenceRun.config(root.resolve("test.conf"), "  input-root = \"" + local.input + "\"\n"
        + "  warehouse.root = \"" + root.resolve("warehouse") + "\"\n"
        + "  spark.properties { " + sparkProperties + ","
        + " \"spark.driver.host\" = \"127.0.0.1\", \"spark.driver.bindAddress\" = \"127.0.0.1\","
        + " \"spark.executor.memory\" = \"768m\", \"spark.sql.warehouse.dir\" = \"" + root.resolve("catalog") + "\" }\n");
    return new String[] {"--config", conf.toString()};
  }

  /** jobs/submit.sh without a Spark installation: it runs SparkSubmit from the Maven jars. */
  private Process start(String master, Path err, String... jobAndArgs) throws IOException {
    List<String> command = new ArrayList<>(List.of("bash", "jobs/submit.sh", "--master", master,
        "--jar", local.jar.toString()));
    command.addAll(List.of(jobAndArgs));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(false)
        .redirectOutput(dir.resolve("stdout-" + System.nanoTime() + ".txt").toFile()).redirectError(err.toFile());
    LocalReferenceRun.submitEnvironment(builder);
    return builder.start();
  }

  /**
   * A SPARK_HOME holding every runtime jar Maven resolved (links, not copies). The AWS SDK bundle
   * stays out: it carries old SLF4J classes that silence the daemons' logs, and S3 is not used.
   */
  private Path sparkHomeOfMavenJars() throws IOException {
    Path jars = Files.createDirectories(dir.resolve("spark-home/jars"));
    for (String entry : Files.readString(Path.of("target/local-classpath.txt")).trim().split(":")) {
      Path source = Path.of(entry);
      if (!source.getFileName().toString().startsWith("bundle-")) {
        Files.createSymbolicLink(jars.resolve(source.getFileName()), source);
      }
    }
    return jars.getParent();
  }

  private Process daemon(Path sparkHome, String name, String mainClass, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "@" + Path.of("jobs/spark-jvm.args").toAbsolutePath(), "-Xmx512m",
        "-Dlog4j.configurationFile=" + Path.of("conf/log4j2.properties").toAbsolutePath(),
        "-cp", sparkHome.resolve("jars") + "/*", mainClass));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve(name + ".log").toFile());
    builder.environment().put("SPARK_HOME", sparkHome.toString());
    // Without it every executor fails with "Cannot find any build directories".
    builder.environment().put("SPARK_SCALA_VERSION", "2.13");
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    return builder.start();
  }

  /** Waits for the master's web UI to report exactly {@code count} alive workers. */
  private void awaitAliveWorkers(int count) throws Exception {
    Pattern alive = Pattern.compile("\"aliveworkers\"\\s*:\\s*(\\d+)");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    String last = "";
    while (System.nanoTime() < deadline) {
      for (Process p : daemons) {
        assertThat(p.isAlive()).as("cluster daemon exited; see the logs under %s", dir).isTrue();
      }
      try {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + masterUiPort + "/json/")
            .toURL().openConnection();
        c.setConnectTimeout(1000);
        c.setReadTimeout(2000);
        try (var in = c.getInputStream()) {
          last = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Matcher m = alive.matcher(last);
        if (m.find() && Integer.parseInt(m.group(1)) == count) {
          return;
        }
      } catch (IOException notUpYet) {
        last = notUpYet.toString();
      }
      Thread.sleep(500);
    }
    throw new AssertionError("the master did not report " + count + " alive workers in 90 s: " + last);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}

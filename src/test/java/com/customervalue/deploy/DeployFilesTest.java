package com.customervalue.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.customervalue.Main;
import com.customervalue.config.AppConfig;
import com.customervalue.config.ConfigLoader;
import com.customervalue.job.RunContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The files under {@code deploy/} run the real command line: every EMR step and every Airflow task runs a
 * subcommand of {@link Main} with options it has, in pipeline order, never continues after a failure, and
 * the cluster is torn down even when a step fails. Airflow is not installed here: {@code dag_structure.py} runs the
 * DAG file with recording stand-ins for the Airflow names it imports and reports the tasks, steps and
 * dependencies it built.
 */
class DeployFilesTest {
  private static final Path DEPLOY = Path.of("deploy");
  private static final Path STEPS = DEPLOY.resolve("emr/steps.json");
  private static final Path CLUSTER = DEPLOY.resolve("emr/cluster.json");
  private static final Path POLICY = DEPLOY.resolve("emr/iam-policy.json");
  private static final Path DAG = DEPLOY.resolve("airflow/customer_value_dag.py");
  private static final List<String> PIPELINE =
      List.of("ingest", "clean", "identity", "features", "train", "score", "report");
  private static final List<String> DAILY = List.of("ingest", "clean", "identity", "features", "score", "report");
  private static final String MAIN_CLASS = Main.class.getName();
  private static final String SAMPLE_DATE = "2026-11-23";
  private static final Pattern TEMPLATE = Pattern.compile("\\{\\{.*?}}");
  private static final Pattern ACCESS_KEY_ID = Pattern.compile("(A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}");
  private static final Pattern SECRET_ASSIGNMENT = Pattern.compile(
      "(?i)(aws_secret_access_key|secret_access_key|aws_session_token|secretaccesskey)\\s*[\"']?\\s*[=:]");
  private static final Pattern HASH_KEY_LITERAL =
      Pattern.compile("CUSTOMER_VALUE_HASH_KEY\\s*[=:]\\s*[\"']?(?![\"']?\\$)[^\\s\"'$]{4,}");

  private final ObjectMapper json = new ObjectMapper();

  private static CommandLine cli() {
    return new CommandLine(new Main());
  }

  // ---- EMR steps ----

  @Test
  void stepsRunTheJobsInPipelineOrder() throws IOException {
    assertThat(steps().stream().map(DeployFilesTest::commandOf).toList()).isEqualTo(PIPELINE);
  }

  @Test
  void everyStepIsASparkSubmitOfTheMainClassWithRealSubcommandAndOptions() throws IOException {
    for (JsonNode step : steps()) {
      String name = step.path("Name").asText();
      assertThat(step.path("HadoopJarStep").path("Jar").asText()).as(name).isEqualTo("command-runner.jar");
      List<String> args = argsOf(step);
      assertThat(args).as(name).contains("spark-submit", "--class", MAIN_CLASS);
      assertThat(args.get(args.indexOf("--class") + 1)).as(name).isEqualTo(MAIN_CLASS);
      assertThat(jarOf(args)).as(name).startsWith("s3://").endsWith("-emr.jar");
      List<String> jobArgs = jobArgsOf(args);
      assertRealCommandLine(name, jobArgs);
      assertThat(jobArgs).as(name).contains("--config", "--run-id");
      // cluster deploy mode: --files puts emr.conf in the driver's working directory, where --config finds it.
      String config = jobArgs.get(jobArgs.indexOf("--config") + 1);
      assertThat(args.get(args.indexOf("--deploy-mode") + 1)).as(name).isEqualTo("cluster");
      assertThat(args.get(args.indexOf("--files") + 1)).as(name).startsWith("s3://").endsWith("/" + config);
    }
  }

  @Test
  void noStepContinuesAfterAFailure() throws IOException {
    for (JsonNode step : steps()) {
      assertThat(step.path("ActionOnFailure").asText()).as(step.path("Name").asText())
          .isIn("CANCEL_AND_WAIT", "TERMINATE_CLUSTER");
    }
  }

  @Test
  void onlyTheIdentityStepGetsTheHashKeyAndOnlyThroughTheWrapper() throws IOException {
    for (JsonNode step : steps()) {
      List<String> args = argsOf(step);
      boolean wrapped = args.get(0).endsWith("/customer-value-with-hash-key");
      assertThat(wrapped).as(step.path("Name").asText()).isEqualTo(commandOf(step).equals("identity"));
      assertThat(String.join(" ", args)).doesNotContain("CUSTOMER_VALUE_HASH_KEY");
    }
    assertThat(Files.readString(DEPLOY.resolve("emr/bootstrap.sh")))
        .contains("secretsmanager get-secret-value", "spark.yarn.appMasterEnv.CUSTOMER_VALUE_HASH_KEY");
  }

  // ---- cluster ----

  @Test
  void clusterIsEmrSparkWithDeltaAndTheGlueCatalog() throws IOException {
    JsonNode cluster = json.readTree(CLUSTER.toFile());
    assertThat(cluster.path("ReleaseLabel").asText()).startsWith("emr-spark-8.");
    assertThat(cluster.path("Applications").findValuesAsText("Name")).contains("Spark");
    assertThat(cluster.path("LogUri").asText()).startsWith("s3://");
    assertThat(cluster.path("Instances").path("KeepJobFlowAliveWhenNoSteps").isBoolean()).isTrue();
    assertThat(classification(cluster, "delta-defaults").path("delta.enabled").asText()).isEqualTo("true");
    assertThat(classification(cluster, "spark-hive-site").path("hive.metastore.client.factory.class").asText())
        .isEqualTo("com.amazonaws.glue.catalog.metastore.AWSGlueDataCatalogHiveClientFactory");
    assertThat(cluster.path("BootstrapActions").findValuesAsText("Path"))
        .anyMatch(p -> p.startsWith("s3://") && p.endsWith("/bootstrap.sh"));
  }

  // ---- IAM ----

  @Test
  void policyIsScopedToTheBucketsAndDatabaseOfEmrConf() throws IOException {
    AppConfig emr = ConfigLoader.load(Optional.of(Path.of("conf/emr.conf")));
    JsonNode policy = json.readTree(POLICY.toFile());
    List<String> actions = new ArrayList<>();
    List<String> resources = new ArrayList<>();
    for (JsonNode statement : policy.path("Statement")) {
      assertThat(statement.path("Effect").asText()).isEqualTo("Allow");
      actions.addAll(texts(statement.path("Action")));
      resources.addAll(texts(statement.path("Resource")));
    }
    assertThat(actions).isNotEmpty().noneMatch(a -> a.equals("*") || a.endsWith(":*"));
    assertThat(resources).isNotEmpty().doesNotContain("*");

    String exports = s3Location(emr.inputRoot());
    String warehouse = s3Location(emr.warehouse().root());
    assertThat(resources).contains("arn:aws:s3:::" + bucket(exports), "arn:aws:s3:::" + bucket(warehouse));
    assertThat(resources).as("read the exports prefix").contains("arn:aws:s3:::" + exports + "/*");
    assertThat(resources).as("read/write the warehouse prefix").contains("arn:aws:s3:::" + warehouse + "/*");
    assertThat(resources).filteredOn(r -> r.startsWith("arn:aws:s3:::"))
        .allMatch(r -> r.contains(bucket(exports)) || r.contains(bucket(warehouse)));
    assertThat(resources).anyMatch(r -> r.matches("arn:aws:glue:.*:database/" + emr.warehouse().database()));
    assertThat(resources).filteredOn(r -> r.startsWith("arn:aws:secretsmanager:"))
        .singleElement().asString().contains(":secret:customer-value/hash-key");
    for (JsonNode statement : policy.path("Statement")) {
      List<String> stmtActions = texts(statement.path("Action"));
      if (stmtActions.stream().anyMatch(a -> a.equals("s3:PutObject") || a.equals("s3:DeleteObject"))) {
        assertThat(texts(statement.path("Resource"))).as(statement.path("Sid").asText())
            .noneMatch(r -> r.contains(exports));
      }
    }
  }

  // ---- secrets ----

  @Test
  void noFileUnderDeployHoldsAnAccessKeyOrSecret() throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(DEPLOY)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    assertThat(files).contains(STEPS, CLUSTER, POLICY, DAG);
    for (Path file : files) {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      assertThat(ACCESS_KEY_ID.matcher(text).find()).as(file + " holds an AWS access key id").isFalse();
      assertThat(SECRET_ASSIGNMENT.matcher(text).find()).as(file + " sets AWS secret credentials").isFalse();
      Matcher key = HASH_KEY_LITERAL.matcher(text);
      assertThat(key.find()).as(file + " sets the HMAC key in plain text: " + (key.find(0) ? key.group() : ""))
          .isFalse();
    }
  }

  // ---- Airflow ----

  @Test
  void weeklyDagRunsTheWholePipelineAndTearsTheClusterDown() throws Exception {
    JsonNode dag = dag("customer_value_weekly");
    assertThat(stepOrder(dag)).isEqualTo(PIPELINE);
    assertTeardown(dag);
  }

  @Test
  void dailyDagScoresWithoutTraining() throws Exception {
    JsonNode dag = dag("customer_value_daily");
    assertThat(stepOrder(dag)).isEqualTo(DAILY);
    assertTeardown(dag);
  }

  @Test
  void dagStepsRunRealSubcommandsWithRealOptions() throws Exception {
    JsonNode structure = dagStructure();
    List<String> prefix = texts(structure.path("step_prefix"));
    assertThat(prefix).contains("spark-submit", "--class", MAIN_CLASS, "--deploy-mode", "cluster", "--files");
    assertThat(prefix.get(prefix.indexOf("--class") + 1)).isEqualTo(MAIN_CLASS);
    assertThat(prefix).anyMatch(a -> a.endsWith("-emr.jar"));
    for (JsonNode dag : structure.path("dags")) {
      for (JsonNode task : dag.path("tasks")) {
        if (task.path("args").isNull()) {
          continue;
        }
        String name = dag.path("dag_id").asText() + "." + task.path("task_id").asText();
        List<String> args = texts(task.path("args"));
        assertThat(args.get(0)).as(name).isEqualTo(task.path("task_id").asText());
        assertThat(texts(task.path("prefix"))).as(name + ": spark-submit up to the jar").isEqualTo(prefix);
        assertThat(task.path("action_on_failure").asText()).as(name).isEqualTo("CANCEL_AND_WAIT");
        assertRealCommandLine(name, args);
        assertThat(args).as(name).contains("--config", "--run-id");
        assertThat(args.get(args.indexOf("--config") + 1)).as(name).isEqualTo("emr.conf");
        assertThat(prefix.get(prefix.indexOf("--files") + 1)).endsWith("/emr.conf");
        assertAsOf(name, args, trains(dag));
        assertThat(task.path("hash_key").asBoolean()).as(name).isEqualTo(args.get(0).equals("identity"));
        List<String> launcher = texts(task.path("launcher"));
        assertThat(launcher).as(name + ": what runs spark-submit").isEqualTo(args.get(0).equals("identity")
            ? List.of("/usr/local/bin/customer-value-with-hash-key") : List.of());
      }
    }
  }

  @Test
  void aRunThatTrainsBuildsEverySnapshot() throws IOException {
    boolean trains = false;
    for (JsonNode step : steps()) {
      trains |= commandOf(step).equals("train");
    }
    assertThat(trains).isTrue();
    for (JsonNode step : steps()) {
      assertAsOf(step.path("Name").asText(), jobArgsOf(argsOf(step)), true);
    }
  }

  /** Whether a parsed DAG has a train task. */
  private static boolean trains(JsonNode dag) {
    for (JsonNode task : dag.path("tasks")) {
      if (task.path("task_id").asText().equals("train")) {
        return true;
      }
    }
    return false;
  }

  /**
   * --as-of goes to every job that takes one, except features in a run that trains: features --as-of
   * builds that one snapshot, and train needs at least two labelled ones.
   */
  private static void assertAsOf(String name, List<String> jobArgs, boolean trains) {
    String command = jobArgs.get(0);
    boolean expected = optionNames(command).contains("--as-of") && !(trains && command.equals("features"));
    assertThat(jobArgs.contains("--as-of")).as(name + " passes --as-of").isEqualTo(expected);
  }

  // ---- helpers ----

  /** Parses the job's arguments with the real command line, the run date templates filled in. */
  private static void assertRealCommandLine(String name, List<String> jobArgs) {
    String command = jobArgs.get(0);
    assertThat(cli().getSubcommands()).as(name + ": not a subcommand of " + MAIN_CLASS).containsKey(command);
    List<String> options = optionNames(command);
    for (String arg : jobArgs.subList(1, jobArgs.size())) {
      if (arg.startsWith("--")) {
        assertThat(options).as(name + ": option " + arg + " of " + command).contains(arg);
      }
    }
    List<String> filled = new ArrayList<>();
    for (int i = 0; i < jobArgs.size(); i++) {
      String arg = jobArgs.get(i);
      boolean date = i > 0 && jobArgs.get(i - 1).equals("--as-of");
      filled.add(date ? SAMPLE_DATE : TEMPLATE.matcher(arg.replace("YYYY-MM-DD", SAMPLE_DATE)).replaceAll("t"));
    }
    try {
      CommandLine.ParseResult parsed = cli().parseArgs(filled.toArray(String[]::new));
      assertThat(parsed.hasSubcommand()).as(name).isTrue();
    } catch (CommandLine.ParameterException e) {
      fail(name + ": " + filled + " does not parse: " + e.getMessage());
    }
    int runId = filled.indexOf("--run-id");
    if (runId > 0) {
      assertThat(filled.get(runId + 1)).as(name + " run id").matches(RunContext.RUN_ID);
    }
  }

  private static List<String> optionNames(String command) {
    return cli().getSubcommands().get(command).getCommandSpec().options().stream()
        .flatMap(o -> Stream.of(o.names())).toList();
  }

  private List<JsonNode> steps() throws IOException {
    List<JsonNode> steps = new ArrayList<>();
    json.readTree(STEPS.toFile()).forEach(steps::add);
    assertThat(steps).isNotEmpty();
    return steps;
  }

  private static List<String> argsOf(JsonNode step) {
    return texts(step.path("HadoopJarStep").path("Args"));
  }

  private static String jarOf(List<String> args) {
    return args.stream().filter(a -> a.endsWith(".jar")).findFirst()
        .orElseThrow(() -> new AssertionError("no application jar in " + args));
  }

  /** What follows the application jar: the subcommand and its options. */
  private static List<String> jobArgsOf(List<String> args) {
    List<String> rest = args.subList(args.indexOf(jarOf(args)) + 1, args.size());
    assertThat(rest).as("arguments after the jar in " + args).isNotEmpty();
    return rest;
  }

  private static String commandOf(JsonNode step) {
    return jobArgsOf(argsOf(step)).get(0);
  }

  private static List<String> texts(JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(n -> out.add(n.asText()));
    } else if (!node.isMissingNode() && !node.isNull()) {
      out.add(node.asText());
    }
    return out;
  }

  private static JsonNode classification(JsonNode cluster, String name) {
    for (JsonNode c : cluster.path("Configurations")) {
      if (c.path("Classification").asText().equals(name)) {
        return c.path("Properties");
      }
    }
    throw new AssertionError("cluster.json has no " + name + " classification");
  }

  /** "bucket/prefix" of an s3:// or s3a:// URI. */
  private static String s3Location(String uri) {
    try {
      URI u = new URI(uri);
      assertThat(u.getScheme()).as(uri).isIn("s3", "s3a");
      return u.getHost() + u.getPath().replaceAll("/+$", "");
    } catch (URISyntaxException e) {
      throw new AssertionError("not a URI: " + uri, e);
    }
  }

  private static String bucket(String location) {
    return location.substring(0, location.indexOf('/'));
  }

  private static void assertTeardown(JsonNode dag) {
    JsonNode terminate = task(dag, "EmrTerminateJobFlowOperator");
    assertThat(terminate.path("trigger_rule").asText()).isEqualTo("ALL_DONE");
    JsonNode create = task(dag, "EmrCreateJobFlowOperator");
    List<String> steps = stepOrder(dag);
    assertThat(edges(dag)).contains(
        Map.entry(create.path("task_id").asText(), steps.get(0)),
        Map.entry(steps.get(steps.size() - 1), terminate.path("task_id").asText()));
  }

  private static JsonNode task(JsonNode dag, String operator) {
    List<JsonNode> found = new ArrayList<>();
    dag.path("tasks").forEach(t -> {
      if (t.path("operator").asText().equals(operator)) {
        found.add(t);
      }
    });
    assertThat(found).as(dag.path("dag_id").asText() + " " + operator).hasSize(1);
    return found.get(0);
  }

  private static List<Map.Entry<String, String>> edges(JsonNode dag) {
    List<Map.Entry<String, String>> edges = new ArrayList<>();
    dag.path("edges").forEach(e -> edges.add(Map.entry(e.get(0).asText(), e.get(1).asText())));
    return edges;
  }

  /** The step tasks in dependency order; fails unless they form one chain. */
  private static List<String> stepOrder(JsonNode dag) {
    List<String> steps = new ArrayList<>();
    dag.path("tasks").forEach(t -> {
      if (!t.path("args").isNull()) {
        steps.add(t.path("task_id").asText());
      }
    });
    List<Map.Entry<String, String>> edges = edges(dag);
    List<String> order = new ArrayList<>();
    List<String> heads = steps.stream()
        .filter(s -> edges.stream().noneMatch(e -> e.getValue().equals(s) && steps.contains(e.getKey()))).toList();
    assertThat(heads).as(dag.path("dag_id").asText() + ": first step").hasSize(1);
    String current = heads.get(0);
    while (current != null) {
      order.add(current);
      String from = current;
      List<String> next = edges.stream().filter(e -> e.getKey().equals(from) && steps.contains(e.getValue()))
          .map(Map.Entry::getValue).toList();
      assertThat(next).as(dag.path("dag_id").asText() + ": steps after " + from).hasSizeLessThanOrEqualTo(1);
      current = next.isEmpty() ? null : next.get(0);
    }
    assertThat(order).as(dag.path("dag_id").asText() + ": every step on the chain").hasSameSizeAs(steps);
    return order;
  }

  private JsonNode dag(String dagId) throws Exception {
    for (JsonNode dag : dagStructure().path("dags")) {
      if (dag.path("dag_id").asText().equals(dagId)) {
        return dag;
      }
    }
    throw new AssertionError(DAG + " has no DAG " + dagId);
  }

  private JsonNode dagStructure() throws Exception {
    assumeTrue(python3Available(), "python3 is not installed: the Airflow DAG checks are skipped");
    Path helper = Path.of(getClass().getResource("dag_structure.py").toURI());
    // cluster.json goes along: the DAG reads it next to itself, as when both are copied to the DAGs folder.
    Process process = new ProcessBuilder("python3", helper.toString(), DAG.toString(), CLUSTER.toString())
        .redirectError(ProcessBuilder.Redirect.PIPE).start();
    byte[] out = process.getInputStream().readAllBytes();
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("dag_structure.py finished").isTrue();
    assertThat(process.exitValue()).as("dag_structure.py failed: " + err).isZero();
    return json.readTree(out);
  }

  private static boolean python3Available() {
    try {
      Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}

package com.customervalue.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.customervalue.errors.ConfigException;
import com.customervalue.sources.Source;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  private static ConfigException problemsOf(String hocon) {
    try {
      ConfigLoader.loadFromString(hocon);
    } catch (ConfigException e) {
      return e;
    }
    throw new AssertionError("expected the config to be rejected:\n" + hocon);
  }

  @Test
  void defaultsLoadIntoTypedRecords() {
    AppConfig config = ConfigLoader.load(Optional.empty());

    assertThat(config.warehouse()).isEqualTo(new WarehouseSettings("warehouse", "customer_value", true, false));
    assertThat(config.sources()).containsOnlyKeys(Source.values());
    SourceConfig invoices = config.source(Source.INVOICES);
    assertThat(invoices.path()).isEqualTo("sample-data/invoices.csv");
    assertThat(invoices.format()).isEqualTo(SourceFormat.CSV);
    assertThat(invoices.userColumn("invoice_date")).isEqualTo("Invoice Date");
    assertThat(invoices.userColumn("country")).as("unmapped columns keep their contract name").isEqualTo("country");
    assertThat(invoices.timeZone()).isEqualTo(ZoneId.of("America/Detroit"));
    assertThat(config.source(Source.SUPPORT_TICKETS).userColumn("email")).isEqualTo("customer.email");
    assertThat(config.sample().startDate()).isEqualTo(LocalDate.of(2014, 1, 1));
    assertThat(config.sample().outputDir()).as("substitution of input-root").isEqualTo("sample-data");
    assertThat(config.snapshots().horizonDays()).isEqualTo(365);
    assertThat(config.snapshots().asOf()).isEmpty();
    assertThat(config.features().processes()).containsExactly("SLS", "FDM", "MJF", "SLA");
  }

  @Test
  void shippedConfigFilesAreValid() {
    for (String file : new String[] {"conf/local.conf", "conf/emr.conf", "conf/examples/online-retail.conf",
        "conf/examples/telco-churn.conf", "conf/examples/s3a.conf"}) {
      AppConfig config = ConfigLoader.load(Optional.of(Path.of(file)));
      assertThat(config.source(Source.INVOICES).enabled()).as(file).isTrue();
    }
    AppConfig emr = ConfigLoader.load(Optional.of(Path.of("conf/emr.conf")));
    assertThat(emr.source(Source.CUSTOMERS).path()).startsWith("s3a://");
    assertThat(emr.warehouse().root()).startsWith("s3a://");
    AppConfig s3a = ConfigLoader.load(Optional.of(Path.of("conf/examples/s3a.conf")));
    assertThat(s3a.source(Source.INVOICES).path()).startsWith("s3a://");
    assertThat(s3a.warehouse().root()).startsWith("s3a://");
    assertThat(s3a.spark().properties()).containsKey("spark.hadoop.fs.s3a.endpoint")
        .allSatisfy((key, v) -> assertThat(key).doesNotContainIgnoringCase("secret").doesNotContain("access.key"));
  }

  @Test
  void trainGridsAreCheckedAgainstTheEstimatorsParams() {
    assertThat(ConfigLoader.load(Optional.empty()).train().grids().get("gbt")).containsKey("maxDepth");
    assertThatThrownBy(() -> ConfigLoader.loadFromString("customer-value.train {\n"
        + "  grid.gbt { maxDepht = [3] }\n  grid.logistic { regParam = [-1] }\n  grid.forest { numTrees = [5] }\n"
        + "  selection-metric = accuracy\n  threshold-rule = 1.5\n  classifiers = [svm]\n}"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'customer-value.train.grid.gbt': 'maxDepht' is not a param of GBTClassifier")
        .hasMessageContaining("'regParam' = -1 is out of range")
        .hasMessageContaining("'customer-value.train.grid.forest': unknown model family")
        .hasMessageContaining("selection-metric' = \"accuracy\"")
        .hasMessageContaining("expected max_f1 or a probability between 0 and 1")
        .hasMessageContaining("'svm' is not one of logistic, gbt, random_forest");
  }

  @Test
  void theTrainingRowCapIsZeroOrAtLeastAThousand() {
    assertThat(ConfigLoader.load(Optional.empty()).train().maxTrainingRows()).isEqualTo(250_000);
    assertThat(ConfigLoader.loadFromString("customer-value.train.max-training-rows = 0").train().maxTrainingRows())
        .isZero();
    assertThat(problemsOf("customer-value.train.max-training-rows = 999").problems()).anySatisfy(p -> assertThat(p)
        .startsWith("'customer-value.train.max-training-rows' = 999").contains("0 (train on every row) or at least 1000"));
    assertThat(problemsOf("customer-value.train.max-training-rows = -1").problems()).anySatisfy(p -> assertThat(p)
        .startsWith("'customer-value.train.max-training-rows' = -1").contains("expected an integer from 0"));
  }

  @Test
  void lifetimeSettingsLoadAndBadValuesAreNamed() {
    LifetimeSettings defaults = ConfigLoader.load(Optional.empty()).lifetime();
    assertThat(defaults).isEqualTo(new LifetimeSettings(true, LifetimeSettings.TimeUnit.WEEKS, 12, 0.10, 250_000, 30,
        10, 1e-10, 20_000, false));
    assertThat(ConfigLoader.loadFromString("customer-value.lifetime.on-fit-failure = fail").lifetime()
        .failOnFitError()).isTrue();
    assertThat(defaults.monthlyDiscountRate())
        .isCloseTo(Math.pow(1.1, 1.0 / 12) - 1, org.assertj.core.api.Assertions.within(1e-15));
    assertThat(ConfigLoader.loadFromString("customer-value.lifetime.time-unit = days").lifetime().timeUnit())
        .isEqualTo(LifetimeSettings.TimeUnit.DAYS);
    ConfigException e = problemsOf("customer-value.lifetime {\n time-unit = months\n clv-horizon-months = 0\n"
        + " annual-discount-rate = -0.1\n fit-max-customers = 1\n min-customers = 5\n min-repeat-customers = 9\n"
        + " tolerance = 0.5\n max-evaluations = 10\n enabled = maybe\n}");
    assertThat(e.problems()).anySatisfy(p -> assertThat(p)
        .startsWith("'customer-value.lifetime.time-unit' = \"months\"").contains("expected one of days, weeks"));
    assertThat(e.problems()).anySatisfy(p -> assertThat(p)
        .startsWith("'customer-value.lifetime.clv-horizon-months' = 0").contains("expected an integer from 1 to 1200"));
    assertThat(e.problems()).anySatisfy(p -> assertThat(p)
        .startsWith("'customer-value.lifetime.annual-discount-rate' = -0.1"));
    assertThat(e.problems())
        .anySatisfy(p -> assertThat(p).startsWith("'customer-value.lifetime.fit-max-customers' = 1"));
    assertThat(problemsOf("customer-value.lifetime { fit-max-customers = 20, min-customers = 30 }").problems())
        .anySatisfy(p -> assertThat(p).startsWith("'customer-value.lifetime.min-customers' = 30")
            .contains("fit-max-customers' (20)"));
    assertThat(e.problems()).anySatisfy(p -> assertThat(p)
        .startsWith("'customer-value.lifetime.min-repeat-customers' = 9").contains("min-customers' (5)"));
    assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("'customer-value.lifetime.tolerance' = 0.5"));
    assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("'customer-value.lifetime.max-evaluations' = 10"));
    assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("'customer-value.lifetime.enabled' = \"maybe\""));
  }

  @Test
  void driftSettingsLoadAndBadValuesAreNamed() {
    assertThat(ConfigLoader.load(Optional.empty()).score().drift())
        .isEqualTo(new ScoreSettings.Drift(true, 10, 0.25, 0.05));
    assertThat(ConfigLoader.loadFromString("customer-value.score.drift { enabled = false, bins = 20 }").score().drift())
        .isEqualTo(new ScoreSettings.Drift(false, 20, 0.25, 0.05));
    ConfigException e = problemsOf("customer-value.score.drift {\n enabled = maybe\n bins = 1\n psi-warn = 0\n"
        + " unseen-warn = 1.5\n}");
    assertThat(e.problems()).containsExactlyInAnyOrder(
        "'customer-value.score.drift.enabled' = \"maybe\" (String: 2): expected true or false",
        "'customer-value.score.drift.bins' = 1 (String: 3): expected an integer from 2 to 100",
        "'customer-value.score.drift.psi-warn' = 0 (String: 4): expected a number above 0 (0.25 flags a shift worth"
            + " retraining for)",
        "'customer-value.score.drift.unseen-warn' = 1.5 (String: 5): expected a fraction from 0 to 1");
    assertThat(problemsOf("customer-value.score.drift.psi-warn = high").problems()).as("one problem per key")
        .containsExactly("'customer-value.score.drift.psi-warn' = \"high\" (String: 1): expected a number from 0.0"
            + " to 100.0");
    assertThat(problemsOf("customer-value.score.drift.psi-warning = 0.3").problems()).singleElement().asString()
        .startsWith("unknown key 'customer-value.score.drift.psi-warning'")
        .endsWith("known keys under 'customer-value.score.drift': bins, enabled, psi-warn, unseen-warn");
  }

  @Test
  void inputRootAppliesToRelativePathsOnly() {
    AppConfig config = ConfigLoader.loadFromString("customer-value { input-root = \"s3a://b/x/\"\n"
        + " sources.customers.path = \"/abs/customers.csv\"\n"
        + " sources.web_analytics.path = \"file:///data/web\" }");
    assertThat(config.source(Source.INVOICES).path()).isEqualTo("s3a://b/x/invoices.csv");
    assertThat(config.source(Source.CUSTOMERS).path()).isEqualTo("/abs/customers.csv");
    assertThat(config.source(Source.WEB_ANALYTICS).path()).isEqualTo("file:///data/web");
  }

  @Test
  void unknownKeyIsNamedWithItsKnownSiblings() {
    ConfigException e = problemsOf("customer-value.warehouse { roots = \"x\" }");
    assertThat(e.problems()).singleElement().asString()
        .startsWith("unknown key 'customer-value.warehouse.roots'")
        .endsWith("known keys under 'customer-value.warehouse': database, register, root, symlink-manifest");
  }

  @Test
  void unknownSourceAndTopLevelKeysAreRejected() {
    ConfigException e = problemsOf("customer-value.sources.crm { path = x }\ncustomer_value { x = 1 }");
    assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("unknown key 'customer-value.sources.crm.path'")
        .contains("invoices"));
    assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("unknown top-level key 'customer_value'"));
  }

  @Test
  void wrongTypesAndBadValuesNameKeyValueAndExpectation() {
    ConfigException e = problemsOf("customer-value {\n"
        + " sample.customers = many\n"
        + " sample.years = 40\n"
        + " ingest.max-quarantine-fraction = 1.5\n"
        + " sources.invoices.format = xlsx\n"
        + " sources.invoices.time-zone = \"Mars/Olympus\"\n"
        + " sources.invoices.enabled = maybe\n"
        + " sample.start-date = \"01/02/2014\"\n"
        + " warehouse.database = \"my-db\"\n"
        + "}");
    assertThat(e.problems()).containsExactlyInAnyOrder(
        "'customer-value.sample.customers' = \"many\" (String: 2): expected an integer from 10 to 10000000",
        "'customer-value.sample.years' = 40 (String: 3): expected an integer from 1 to 10",
        "'customer-value.ingest.max-quarantine-fraction' = 1.5 (String: 4): expected a fraction from 0 to 1",
        "'customer-value.sources.invoices.format' = \"xlsx\" (String: 5): expected one of csv, json, parquet",
        "'customer-value.sources.invoices.time-zone' = \"Mars/Olympus\" (String: 6): expected a time-zone id such"
            + " as UTC or Europe/London",
        "'customer-value.sources.invoices.enabled' = \"maybe\" (String: 7): expected true or false",
        "'customer-value.sample.start-date' = \"01/02/2014\" (String: 8): expected a date as yyyy-MM-dd",
        "'customer-value.warehouse.database' = \"my-db\" (String: 9): expected a database name of letters, digits"
            + " and underscores");
    assertThat(e.getMessage()).startsWith("Invalid configuration (8 problems):");
  }

  @Test
  void columnMappingMustNameContractColumns() {
    ConfigException e = problemsOf("customer-value.sources.invoices.columns { invoice_no = \"No\", email = \"\" }");
    assertThat(e.problems()).containsExactlyInAnyOrder(
        "'customer-value.sources.invoices.columns.invoice_no' (String: 1): 'invoice_no' is not a column of source"
            + " 'invoices' (its columns: invoice_id, invoice_date, customer_id, customer_name, company, email, product,"
            + " product_description, process, license_tier, quantity, unit_price, amount, currency, status, country)",
        "'customer-value.sources.invoices.columns.email' (String: 1) is empty: expected the name of a column in the"
            + " file");
  }

  @Test
  void invoicesCannotBeDisabledAndPathsCannotBeEmpty() {
    ConfigException e = problemsOf("customer-value.sources { invoices.enabled = false, customers.path = \"\" }");
    assertThat(e.problems()).containsExactlyInAnyOrder(
        "'customer-value.sources.invoices.enabled' = false: source 'invoices' is required and cannot be disabled",
        "'customer-value.sources.customers.path' is empty: expected a non-empty value");
  }

  @Test
  void secretsAreRefusedWherever() {
    ConfigException e = problemsOf("customer-value.spark.properties {\n"
        + " \"spark.hadoop.fs.s3a.secret.key\" = \"abc\"\n"
        + " \"spark.hadoop.fs.s3a.aws.credentials.provider\" = \"com.amazonaws.auth.InstanceProfileCredentialsProvider\"\n"
        + "}");
    assertThat(e.problems()).singleElement().asString()
        .startsWith("key 'customer-value.spark.properties.\"spark.hadoop.fs.s3a.secret.key\"'")
        .contains("looks like a secret")
        .doesNotContain("abc");
  }

  @Test
  void s3CredentialsInAConfigFileAreRefusedNamingTheKeyNeverTheValue(@TempDir Path dir) throws Exception {
    String value = "wJalrXUtnFEMI-K7MDENG-not-a-real-secret";
    Path conf = Files.writeString(dir.resolve("s3.conf"), "customer-value.spark.properties {\n"
        + "  \"spark.hadoop.fs.s3a.endpoint\" = \"http://127.0.0.1:9000\"\n"
        + "  \"spark.hadoop.fs.s3a.secret.key\" = \"" + value + "\"\n"
        + "  \"spark.hadoop.fs.s3a.access.key\" = \"AKIA-" + value + "\"\n"
        + "  \"spark.hadoop.fs.s3a.bucket.lake.session.token\" = \"token-" + value + "\"\n"
        + "}\n");

    assertThatThrownBy(() -> ConfigLoader.load(Optional.of(conf)))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).problems()).hasSize(3)
            .anySatisfy(p -> assertThat(p).startsWith(
                "key 'customer-value.spark.properties.\"spark.hadoop.fs.s3a.secret.key\"' (" + conf + ": 3)"))
            .anySatisfy(p -> assertThat(p).startsWith(
                "key 'customer-value.spark.properties.\"spark.hadoop.fs.s3a.access.key\"' (" + conf + ": 4)"))
            .anySatisfy(p -> assertThat(p).startsWith(
                "key 'customer-value.spark.properties.\"spark.hadoop.fs.s3a.bucket.lake.session.token\"' (" + conf
                    + ": 5)"))
            .allSatisfy(p -> assertThat(p).contains("looks like a secret", "AWS credential chain")))
        .message().doesNotContain(value);
  }

  @Test
  void sparkPropertiesAndReaderOptionsAreFreeForm() {
    AppConfig config = ConfigLoader.loadFromString("customer-value {\n"
        + " spark.properties { \"spark.executor.memory\" = \"4g\" }\n"
        + " sources.invoices.options { delimiter = \";\", encoding = \"ISO-8859-1\" }\n"
        + "}");
    assertThat(config.spark().properties()).containsEntry("spark.executor.memory", "4g")
        .as("a file's properties add to the defaults, they do not replace them")
        .containsEntry("spark.databricks.delta.snapshotPartitions", "2")
        .containsEntry("spark.sql.codegen.cache.maxEntries", "1000");
    assertThat(config.source(Source.INVOICES).options()).containsEntry("delimiter", ";").containsEntry("header", "true");
  }

  @Test
  void missingOrUnparseableFileIsAConfigError(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> ConfigLoader.load(Optional.of(dir.resolve("nope.conf"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("nope.conf does not exist");
    Path broken = Files.writeString(dir.resolve("broken.conf"), "customer-value { warehouse { root = \n");
    assertThatThrownBy(() -> ConfigLoader.load(Optional.of(broken)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cannot parse " + broken);
  }

  @Test
  void problemsFromAFileNameTheFileAndLine(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("mine.conf"), "customer-value {\n  snapshots.horizon-days = -3\n}\n");
    assertThatThrownBy(() -> ConfigLoader.load(Optional.of(file)))
        .isInstanceOf(ConfigException.class)
        .hasMessage("Invalid configuration: 'customer-value.snapshots.horizon-days' = -3 (" + file
            + ": 2): expected an integer from 1 to 3660");
  }
}

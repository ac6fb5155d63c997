package com.customervalue.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.customervalue.config.AppConfig;
import com.customervalue.config.ConfigLoader;
import com.customervalue.errors.CustomerValueException;
import com.customervalue.testing.SparkExtension;
import com.customervalue.warehouse.JobRuns;
import com.customervalue.warehouse.Tables;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** What job_runs tells an operator about a job that worked and one that failed. */
@ExtendWith(SparkExtension.class)
class JobRunnerTest {
  private static AppConfig config(Path warehouse, String extra) {
    return ConfigLoader.loadFromString("customer-value { warehouse.root = \"" + warehouse + "\"\n"
        + " warehouse.register = false\n" + extra + " }");
  }

  /** A job that reads {@code input} and {@code absent}, then writes nothing or fails with {@code failure}. */
  private record FakeJob(String failure) implements Job {
    @Override
    public String name() {
      return "features";
    }

    @Override
    public JobResult run(SparkSession spark, AppConfig config, RunContext context) {
      if (failure != null) {
        throw new CustomerValueException(failure);
      }
      return new JobResult(name(), Map.of("customer_features", 42L));
    }

    @Override
    public List<String> inputTables(AppConfig config) {
      return List.of("input", "absent");
    }
  }

  @Test
  void aRunRecordsItsConfigurationInputVersionsAndRows(SparkSession spark, @TempDir Path dir) {
    Path warehouse = dir.resolve("warehouse");
    for (int i = 0; i < 3; i++) {
      spark.range(2).write().format("delta").mode(SaveMode.Append).save(warehouse.resolve("input").toString());
    }
    AppConfig config = config(warehouse, "");
    RunContext context = new RunContext("r1", Optional.empty(), Instant.parse("2026-11-23T00:00:00Z"));

    JobRunner.run(new FakeJob(null), spark, config, context);

    Row row = spark.read().format("delta").load(warehouse.resolve(Tables.JOB_RUNS).toString()).first();
    assertThat(row.<String>getAs(JobRuns.STATUS)).isEqualTo(JobRuns.SUCCEEDED);
    assertThat(row.<String>getAs(JobRuns.CONFIG_HASH)).matches("[0-9a-f]{64}");
    assertThat(row.getJavaMap(row.fieldIndex(JobRuns.INPUT_VERSIONS))).as("the third commit is version 2")
        .isEqualTo(Map.of("input", 2L));
    assertThat(row.getJavaMap(row.fieldIndex(JobRuns.ROWS_WRITTEN))).isEqualTo(Map.of("customer_features", 42L));
    assertThat(row.<String>getAs(JobRuns.ERROR)).isNull();
    assertThat(row.<java.sql.Timestamp>getAs(JobRuns.FINISHED_AT))
        .isAfterOrEqualTo(row.<java.sql.Timestamp>getAs(JobRuns.STARTED_AT));
  }

  @Test
  void theHashFollowsTheSettingsAndNothingElse() {
    Path warehouse = Path.of("/tmp/w");
    assertThat(JobRunner.configHash(config(warehouse, ""))).isEqualTo(JobRunner.configHash(config(warehouse, "")));
    assertThat(JobRunner.configHash(config(warehouse, "snapshots.horizon-days = 30")))
        .isNotEqualTo(JobRunner.configHash(config(warehouse, "")));
  }

  @Test
  void aFailureIsRecordedWithItsMessageAndNoEmailAddress(SparkSession spark, @TempDir Path dir) {
    Path warehouse = dir.resolve("warehouse");
    AppConfig config = config(warehouse, "");
    RunContext context = new RunContext("r2", Optional.empty(), Instant.now());

    assertThatThrownBy(() -> JobRunner.run(new FakeJob("features: source 'customers', column 'email', value"
        + " 'Jane.Doe+vip@mail.example.com' is not usable"), spark, config, context))
        .isInstanceOf(CustomerValueException.class);

    Row row = spark.read().format("delta").load(warehouse.resolve(Tables.JOB_RUNS).toString()).first();
    assertThat(row.<String>getAs(JobRuns.STATUS)).isEqualTo(JobRuns.FAILED);
    assertThat(row.<String>getAs(JobRuns.ERROR))
        .isEqualTo("CustomerValueException: features: source 'customers', column 'email', value '<e-mail>' is not"
            + " usable");
    assertThat(row.<String>getAs(JobRuns.DETAIL)).isEqualTo(row.<String>getAs(JobRuns.ERROR));
    assertThat(row.getJavaMap(row.fieldIndex(JobRuns.ROWS_WRITTEN))).isEmpty();
    assertThat(row.getJavaMap(row.fieldIndex(JobRuns.INPUT_VERSIONS))).as("no input table exists").isEmpty();
  }

  /** A job that caches rows, as the cleaners and the features job do, and leaves them cached. */
  private static final class CachingJob implements Job {
    Dataset<Long> cached;

    @Override
    public String name() {
      return "clean";
    }

    @Override
    public JobResult run(SparkSession spark, AppConfig config, RunContext context) {
      cached = spark.range(5).persist();
      return new JobResult(name(), Map.of("silver_invoices", cached.count()));
    }
  }

  @Test
  void aJobsCacheIsDroppedAfterItButNeverWhatTheCallerCached(SparkSession spark, @TempDir Path dir) {
    AppConfig config = config(dir.resolve("warehouse"), "");
    spark.catalog().clearCache();
    CachingJob alone = new CachingJob();
    JobRunner.run(alone, spark, config, new RunContext("r3", Optional.empty(), Instant.now()));
    assertThat(alone.cached.storageLevel()).as("the job's rows, with nothing cached before it")
        .isEqualTo(StorageLevel.NONE());
    assertThat(JobRunner.nothingCached(spark)).isTrue();

    Dataset<Long> callers = spark.range(3).persist();
    callers.count();
    try {
      CachingJob afterCaller = new CachingJob();
      JobRunner.run(afterCaller, spark, config, new RunContext("r4", Optional.empty(), Instant.now()));
      assertThat(callers.storageLevel()).as("the caller's rows").isNotEqualTo(StorageLevel.NONE());
    } finally {
      spark.catalog().clearCache();
    }
  }
}

package com.customervalue.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.customervalue.config.SparkSettings;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

class SparkSessionsTest {
  private static final SparkSettings SETTINGS = new SparkSettings("customer-value", "local[*]",
      Map.of("spark.sql.shuffle.partitions", "8", "spark.executor.memory", "2g"));

  @Test
  void onALaptopTheConfiguredMasterAndPropertiesApply() {
    Map<String, String> effective = SparkSessions.effectiveSettings(new SparkConf(false), SETTINGS);

    assertThat(effective).containsEntry("spark.master", "local[*]")
        .containsEntry("spark.app.name", "customer-value")
        .containsEntry("spark.sql.shuffle.partitions", "8")
        .containsEntry("spark.executor.memory", "2g")
        .containsAllEntriesOf(SparkSessions.REQUIRED);
  }

  @Test
  void whatSparkSubmitSetWinsOverTheConfig() {
    SparkConf submitted = new SparkConf(false).setMaster("yarn").setAppName("nightly")
        .set("spark.sql.shuffle.partitions", "400");

    Map<String, String> effective = SparkSessions.effectiveSettings(submitted, SETTINGS);

    assertThat(effective).doesNotContainKeys("spark.master", "spark.app.name", "spark.sql.shuffle.partitions")
        .containsEntry("spark.executor.memory", "2g");
  }

  @Test
  void deltaAndUtcAreAlwaysOn() {
    SparkConf submitted = new SparkConf(false).set("spark.sql.session.timeZone", "Europe/Paris");

    assertThat(SparkSessions.effectiveSettings(submitted, SETTINGS))
        .containsEntry("spark.sql.session.timeZone", "UTC")
        .containsEntry("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .containsEntry("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
  }

  @Test
  void deltaJoinsExtensionsSparkSubmitSetAndIsNotAddedTwice() {
    SparkConf other = new SparkConf(false).set("spark.sql.extensions", "com.example.MyExtension");
    assertThat(SparkSessions.effectiveSettings(other, SETTINGS))
        .containsEntry("spark.sql.extensions", "com.example.MyExtension,io.delta.sql.DeltaSparkSessionExtension");

    SparkConf both = new SparkConf(false)
        .set("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension, com.example.MyExtension");
    assertThat(SparkSessions.effectiveSettings(both, SETTINGS)).doesNotContainKey("spark.sql.extensions");
  }
}

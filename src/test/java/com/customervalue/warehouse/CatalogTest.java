package com.customervalue.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.customervalue.config.WarehouseSettings;
import com.customervalue.testing.SparkExtension;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SparkExtension.class)
class CatalogTest {
  private static void writeTable(SparkSession spark, WarehouseSettings w, String table, int value) {
    spark.sql("SELECT " + value + " AS v").write().format("delta").mode("overwrite").save(w.tablePath(table));
  }

  @Test
  void registersOnlyTheBiTablesThatExistAndFollowsTheWarehouseWhenItMoves(SparkSession spark, @TempDir Path dir) {
    WarehouseSettings first = new WarehouseSettings(dir.resolve("first").toString(), "catalog_test", true, false);
    WarehouseSettings second = new WarehouseSettings(dir.resolve("second").toString(), "catalog_test", true, false);
    writeTable(spark, first, Tables.JOB_RUNS, 1);
    writeTable(spark, first, Tables.QUARANTINE, 1);
    writeTable(spark, second, Tables.JOB_RUNS, 2);

    assertThat(Catalog.registerAll(spark, first)).containsExactly("catalog_test.job_runs");
    assertThat(spark.sql("SELECT v FROM catalog_test.job_runs").first().getInt(0)).isEqualTo(1);
    assertThat(spark.catalog().tableExists("catalog_test", Tables.QUARANTINE)).isFalse();

    Catalog.publish(spark, second, Tables.JOB_RUNS);
    assertThat(spark.sql("SELECT v FROM catalog_test.job_runs").first().getInt(0)).isEqualTo(2);
    // Dropping the first registration removed only the catalog entry, never the data.
    assertThat(spark.read().format("delta").load(first.tablePath(Tables.JOB_RUNS)).count()).isEqualTo(1);
    spark.sql("DROP DATABASE catalog_test CASCADE");
  }

  @Test
  void writesTheSymlinkManifestWhenAsked(SparkSession spark, @TempDir Path dir) {
    WarehouseSettings w = new WarehouseSettings(dir.toString(), "catalog_manifest_test", false, true);
    writeTable(spark, w, Tables.JOB_RUNS, 1);

    Catalog.publish(spark, w, Tables.JOB_RUNS);

    assertThat(dir.resolve(Tables.JOB_RUNS).resolve("_symlink_format_manifest/manifest")).exists();
    assertThat(spark.catalog().databaseExists("catalog_manifest_test")).isFalse();
  }

  @Test
  void refusesToPublishARawTable(SparkSession spark, @TempDir Path dir) {
    WarehouseSettings w = new WarehouseSettings(dir.toString(), "catalog_test", true, false);
    assertThatThrownBy(() -> Catalog.publish(spark, w, Tables.QUARANTINE)).hasMessageContaining("not a BI table");
    assertThat(List.of(Catalog.BI_TABLES.toArray())).doesNotContain(Tables.QUARANTINE);
  }
}

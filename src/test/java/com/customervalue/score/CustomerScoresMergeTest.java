package com.customervalue.score;

import static org.assertj.core.api.Assertions.assertThat;

import com.customervalue.testing.SparkExtension;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SparkExtension.class)
class CustomerScoresMergeTest {
  private static final LocalDate DAY_1 = LocalDate.of(2024, 5, 1);
  private static final LocalDate DAY_2 = LocalDate.of(2024, 6, 1);

  /** customer_scores rows with everything but the date, account, p_return and run id left empty. */
  private static Dataset<Row> scores(SparkSession spark, LocalDate date, String run, Object... accountAndP) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < accountAndP.length; i += 2) {
      Object[] values = new Object[CustomerScores.SCHEMA.size()];
      StructField[] fields = CustomerScores.SCHEMA.fields();
      for (int f = 0; f < fields.length; f++) {
        values[f] = switch (fields[f].name()) {
          case CustomerScores.SCORE_DATE -> Date.valueOf(date);
          case CustomerScores.ACCOUNT -> accountAndP[i];
          case CustomerScores.P_RETURN -> accountAndP[i + 1];
          case CustomerScores.SCORING_RUN_ID -> run;
          default -> null;
        };
      }
      rows.add(RowFactory.create(values));
    }
    return spark.createDataFrame(rows, CustomerScores.SCHEMA);
  }

  private static List<String> table(SparkSession spark, Path path) {
    return spark.read().format("delta").load(path.toString())
        .selectExpr("concat_ws('|', score_date, account_key_hash, p_return, scoring_run_id)")
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList().stream().sorted().toList();
  }

  @Test
  void rescoringADateReplacesItsRowsAndLeavesOtherDatesAlone(SparkSession spark, @TempDir Path dir) {
    Path path = dir.resolve(CustomerScores.NAME);
    ScoreJob.merge(spark, scores(spark, DAY_1, "r1", "a", 0.1, "b", 0.2), path.toString(), DAY_1);
    ScoreJob.merge(spark, scores(spark, DAY_2, "r2", "a", 0.3, "b", 0.4, "c", 0.5), path.toString(), DAY_2);
    // Day 2 again: b left the population, a's score changed.
    long written = ScoreJob.merge(spark, scores(spark, DAY_2, "r3", "a", 0.35, "c", 0.5), path.toString(), DAY_2);

    assertThat(written).isEqualTo(2);
    assertThat(table(spark, path)).containsExactly(
        "2024-05-01|a|0.1|r1", "2024-05-01|b|0.2|r1", "2024-06-01|a|0.35|r3", "2024-06-01|c|0.5|r3");
  }

  @Test
  void scoringTheSameRowsTwiceLeavesTheSameTable(SparkSession spark, @TempDir Path dir) {
    Path path = dir.resolve(CustomerScores.NAME);
    ScoreJob.merge(spark, scores(spark, DAY_1, "r1", "a", 0.1, "b", 0.2), path.toString(), DAY_1);
    List<String> first = table(spark, path);
    ScoreJob.merge(spark, scores(spark, DAY_1, "r1", "a", 0.1, "b", 0.2), path.toString(), DAY_1);

    assertThat(table(spark, path)).isEqualTo(first).hasSize(2);
  }

  @Test
  void theTableCarriesItsCommentsPartitioningAndProducer(SparkSession spark, @TempDir Path dir) {
    Path path = dir.resolve(CustomerScores.NAME);
    ScoreJob.merge(spark, scores(spark, DAY_1, "r1", "a", 0.1), path.toString(), DAY_1);

    Row detail = spark.sql("DESCRIBE DETAIL delta.`" + path + "`").first();
    assertThat(detail.<String>getAs("partitionColumns") == null ? List.of()
        : scala.jdk.javaapi.CollectionConverters.asJava(detail.<scala.collection.Seq<String>>getAs("partitionColumns")))
        .containsExactly(CustomerScores.SCORE_DATE);
    assertThat(scala.jdk.javaapi.CollectionConverters.asJava(
        detail.<scala.collection.Map<String, String>>getAs("properties")))
        .containsEntry(CustomerScores.PRODUCER_PROPERTY, ScoreJob.NAME);
    StructField[] fields = spark.read().format("delta").load(path.toString()).schema().fields();
    assertThat(fields).hasSize(CustomerScores.SCHEMA.size());
    for (StructField f : fields) {
      assertThat(f.getComment().isDefined()).as("comment on %s", f.name()).isTrue();
    }
  }

  @Test
  void twoRowsForOneAccountAreRefusedBeforeAnythingIsWritten(SparkSession spark, @TempDir Path dir) {
    Path path = dir.resolve(CustomerScores.NAME);
    org.assertj.core.api.Assertions.assertThatThrownBy(() ->
            ScoreJob.merge(spark, scores(spark, DAY_1, "r1", "a", 0.1, "a", 0.2), path.toString(), DAY_1))
        .hasMessageContaining("1 of 2 accounts").hasMessageContaining("2024-05-01");
    assertThat(spark.read().format("delta").load(path.toString()).count()).isZero();
  }

  @Test
  void anAccountWithoutItsHashIsRefusedBeforeAnythingIsWritten(SparkSession spark, @TempDir Path dir) {
    Path path = dir.resolve(CustomerScores.NAME);
    org.assertj.core.api.Assertions.assertThatThrownBy(() ->
            ScoreJob.merge(spark, scores(spark, DAY_1, "r1", "a", 0.1, null, 0.2), path.toString(), DAY_1))
        .hasMessageContaining("1 of 2 accounts of the 2024-05-01 snapshot have no account_key_hash")
        .hasMessageContaining("nothing was written");
    assertThat(spark.read().format("delta").load(path.toString()).count()).isZero();
  }
}

package com.customervalue.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.apache.spark.sql.functions.lit;

import com.customervalue.errors.StorageException;
import com.customervalue.testing.SparkExtension;
import io.delta.exceptions.ConcurrentAppendException;
import io.delta.tables.DeltaTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Two runs writing one table at once: both finish, and the table holds one writer's rows, whole. */
@ExtendWith(SparkExtension.class)
class ConcurrentWritesTest {
  private static Dataset<Row> rows(SparkSession spark, String writer) {
    return spark.range(500).selectExpr("id", "'r1' AS run_id").withColumn("writer", lit(writer));
  }

  @Test
  void twoRunsReplacingTheSameRowsAtOnceLeaveOneWritersRows(SparkSession spark, @TempDir Path dir) throws Exception {
    String path = dir.resolve("t").toString();
    DeltaTables.replace(rows(spark, "setup"), path, List.of("run_id"), "run_id", "r1");
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 3; round++) {
        long before = DeltaTable.forPath(spark, path).history().count();
        CyclicBarrier start = new CyclicBarrier(2);
        List<Future<?>> writes = new ArrayList<>();
        for (String writer : List.of("a" + round, "b" + round)) {
          Dataset<Row> mine = rows(spark, writer);
          writes.add(pool.submit(() -> {
            start.await();
            DeltaTables.replace(mine, path, List.of("run_id"), "run_id", "r1");
            return null;
          }));
        }
        for (Future<?> write : writes) {
          write.get(5, TimeUnit.MINUTES);
        }
        Dataset<Row> table = spark.read().format("delta").load(path);
        assertThat(table.count()).as("round %d: one writer's 500 rows, no duplicates", round).isEqualTo(500);
        assertThat(table.select("id").distinct().count()).isEqualTo(500);
        assertThat(table.select("writer").distinct().collectAsList()).as("round %d: rows of one writer only", round)
            .hasSize(1);
        assertThat(DeltaTable.forPath(spark, path).history().count()).as("both writes committed")
            .isEqualTo(before + 2);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aConflictIsWrittenAgainAndAnEndlessOneFailsWithAMessage() {
    AtomicInteger calls = new AtomicInteger();
    DeltaTables.retryingConflicts("/w/t", () -> {
      if (calls.incrementAndGet() == 1) {
        // As Spark hands it over: wrapped.
        throw new RuntimeException(new SparkException("job aborted", new ConcurrentAppendException("files were added")));
      }
    });
    assertThat(calls).hasValue(2);

    calls.set(0);
    assertThatThrownBy(() -> DeltaTables.retryingConflicts("/w/t", () -> {
      calls.incrementAndGet();
      throw new ConcurrentAppendException("files were added");
    })).isInstanceOf(StorageException.class)
        .hasMessage("Cannot write /w/t: other writers changed the same rows " + DeltaTables.ATTEMPTS + " times while"
            + " this run wrote them (ConcurrentAppendException); run the job again when the other run has finished");
    assertThat(calls).hasValue(DeltaTables.ATTEMPTS);

    calls.set(0);
    assertThatThrownBy(() -> DeltaTables.retryingConflicts("/w/t", () -> {
      calls.incrementAndGet();
      throw new IllegalStateException("not a conflict");
    })).hasMessage("not a conflict");
    assertThat(calls).as("anything else is not tried again").hasValue(1);
  }
}

package com.customervalue.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.customervalue.testing.SparkExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SparkExtension.class)
class OnlineRetailReplicaTest {
  private static final String HEADER = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country";
  @TempDir Path dir;

  /** Three lines in the file's own format: a sale, its cancellation, and a line without a customer. */
  private Dataset<Row> lines(SparkSession spark) throws Exception {
    Path file = dir.resolve("retail.csv");
    Files.writeString(file, HEADER + "\n"
        + "536365,85123A,\"WHITE HANGING HEART, T-LIGHT \"\"HOLDER\"\" \",6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom\n"
        + "C536379,D,Discount,-1,2010-12-01 09:41:00,27.5,17850.0,United Kingdom\n"
        + "536414,22139,,56,2010-12-01 11:52:00,0.0,,United Kingdom\n");
    return OnlineRetailReplica.read(spark, file.toString());
  }

  private static List<String> column(Dataset<Row> rows, String name) {
    return rows.select(name).collectAsList().stream().map(r -> r.isNullAt(0) ? null : r.getString(0))
        .collect(Collectors.toList());
  }

  @Test
  void copiesAreDistinctCustomersAndInvoicesWithTheSameHistory(SparkSession spark) throws Exception {
    Dataset<Row> original = lines(spark);
    Dataset<Row> copies = OnlineRetailReplica.replicate(original, 3);

    assertThat(copies.count()).isEqualTo(9);
    assertThat(column(copies, "CustomerID")).containsExactlyInAnyOrder("17850.0", "17850.0", null,
        "1017850.0", "1017850.0", null, "2017850.0", "2017850.0", null);
    assertThat(column(copies, "InvoiceNo")).containsExactlyInAnyOrder("536365", "C536379", "536414",
        "536365-1", "C536379-1", "536414-1", "536365-2", "C536379-2", "536414-2")
        .as("a cancellation keeps its prefix in every copy").filteredOn(i -> i.startsWith("C")).hasSize(3);
    assertThat(copies.select("StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "Country")
        .exceptAll(original.union(original).union(original)
            .select("StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "Country")).count())
        .as("every other column is copied unchanged").isZero();
  }

  @Test
  void oneCopyIsTheFileUnchanged(SparkSession spark) throws Exception {
    Dataset<Row> original = lines(spark);
    Dataset<Row> one = OnlineRetailReplica.replicate(original, 1);
    assertThat(one.exceptAll(original).count()).isZero();
    assertThat(original.exceptAll(one).count()).isZero();
  }

  @Test
  void writtenCopiesReadBackAsTheyWereIncludingQuotesCommasAndSpaces(SparkSession spark) throws Exception {
    Dataset<Row> copies = OnlineRetailReplica.replicate(lines(spark), 2);
    String folder = dir.resolve("x2").toString();
    OnlineRetailReplica.write(copies, folder);
    Dataset<Row> back = OnlineRetailReplica.read(spark, folder);

    assertThat(back.columns()).containsExactly(HEADER.split(","));
    assertThat(back.exceptAll(copies).count()).isZero();
    assertThat(copies.exceptAll(back).count()).isZero();
    assertThat(column(back, "Description")).contains("WHITE HANGING HEART, T-LIGHT \"HOLDER\" ");
  }

  @Test
  void refusesIdsThatWouldCollideWithTheNextCopy(SparkSession spark) throws Exception {
    Path file = dir.resolve("big-ids.csv");
    Files.writeString(file, HEADER + "\n536365,85123A,X,6,2010-12-01 08:26:00,2.55,1017850.0,United Kingdom\n");
    Dataset<Row> lines = OnlineRetailReplica.read(spark, file.toString());
    assertThatThrownBy(() -> OnlineRetailReplica.replicate(lines, 2))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1017850");
    assertThatThrownBy(() -> OnlineRetailReplica.replicate(lines, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
  }
}

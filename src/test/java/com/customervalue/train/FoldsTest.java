package com.customervalue.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.customervalue.testing.SparkExtension;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SparkExtension.class)
class FoldsTest {
  private static final StructType SCHEMA = new StructType().add("id", DataTypes.StringType)
      .add("snapshot", DataTypes.IntegerType).add("label", DataTypes.DoubleType);

  /** 60 customers with 3 rows each; the first 15 are positive in their last row. */
  private static Dataset<Row> rows(SparkSession spark) {
    List<Row> rows = new ArrayList<>();
    for (int c = 0; c < 60; c++) {
      for (int s = 0; s < 3; s++) {
        rows.add(RowFactory.create("c" + c, s, c < 15 && s == 2 ? 1.0 : 0.0));
      }
    }
    return spark.createDataFrame(rows, SCHEMA);
  }

  @Test
  void everyRowOfACustomerSitsInOneFoldAndEachFoldGetsItsShareOfPositives(SparkSession spark) {
    List<Row> assigned = Folds.assign(rows(spark), "id", "label", 3, 7).collectAsList();

    assertThat(assigned).hasSize(180);
    Map<String, Integer> foldOf = new HashMap<>();
    for (Row r : assigned) {
      Integer fold = r.getInt(r.fieldIndex(TrainColumns.FOLD));
      assertThat(fold).isBetween(0, 2);
      Integer earlier = foldOf.putIfAbsent(r.getString(r.fieldIndex("id")), fold);
      assertThat(earlier == null || earlier.equals(fold)).as("customer %s in one fold", r.getString(0)).isTrue();
    }
    int[] positives = new int[3];
    int[] customers = new int[3];
    foldOf.forEach((id, fold) -> {
      customers[fold]++;
      if (Integer.parseInt(id.substring(1)) < 15) {
        positives[fold]++;
      }
    });
    assertThat(positives).containsExactly(5, 5, 5);
    assertThat(customers).containsExactly(20, 20, 20);
  }

  @Test
  void theSameSeedGivesTheSameFoldsAndAnotherSeedOthers(SparkSession spark) {
    Map<String, Integer> a = folds(spark, 7);
    assertThat(folds(spark, 7)).isEqualTo(a);
    assertThat(folds(spark, 8)).isNotEqualTo(a);
  }

  @Test
  void withoutALabelFoldsAreOnlyGrouped(SparkSession spark) {
    List<Row> assigned = Folds.assign(rows(spark), "id", null, 4, 1).collectAsList();
    int[] sizes = new int[4];
    assigned.forEach(r -> sizes[r.getInt(r.fieldIndex(TrainColumns.FOLD))]++);
    assertThat(sizes).containsExactly(45, 45, 45, 45);
  }

  private static Map<String, Integer> folds(SparkSession spark, long seed) {
    Map<String, Integer> m = new HashMap<>();
    Folds.assign(rows(spark), "id", "label", 3, seed).collectAsList()
        .forEach(r -> m.put(r.getString(r.fieldIndex("id")), r.getInt(r.fieldIndex(TrainColumns.FOLD))));
    return m;
  }
}

package com.customervalue.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.xxhash64;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;

/**
 * Cross-validation folds that keep every row of a customer in one fold and keep the label balance.
 *
 * <p>Customers are put in strata by their label (for classification: whether any of their rows is
 * positive), ordered within a stratum by a seeded hash of their id and dealt round-robin into
 * {@code k} folds, so each fold gets the same share of every stratum and the same seed always
 * gives the same folds. MLlib's {@code CrossValidator} reads the result through {@code foldCol}.
 */
public final class Folds {
  private Folds() {}

  /**
   * Adds an integer column {@link TrainColumns#FOLD} in [0, k).
   *
   * @param rows training rows, several per customer allowed
   * @param idColumn the customer id
   * @param labelColumn the 0/1 label to stratify on, or null for no stratification (regression)
   */
  public static Dataset<Row> assign(Dataset<Row> rows, String idColumn, String labelColumn, int k, long seed) {
    String stratum = "_stratum";
    Dataset<Row> customers = rows.groupBy(col(idColumn))
        .agg((labelColumn == null ? lit(0) : max(col(labelColumn))).as(stratum));
    Dataset<Row> folds = customers
        .withColumn(TrainColumns.FOLD, pmod(row_number().over(Window.partitionBy(col(stratum))
            .orderBy(xxhash64(col(idColumn), lit(seed)), col(idColumn))).minus(1), lit(k))
            .cast(DataTypes.IntegerType))
        .select(col(idColumn), col(TrainColumns.FOLD));
    return rows.join(folds, idColumn);
  }
}

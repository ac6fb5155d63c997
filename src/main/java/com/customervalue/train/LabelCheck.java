package com.customervalue.train;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import com.customervalue.errors.CustomerValueException;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Refuses a 0/1 target whose training rows or out-of-time rows hold one class only. A model fitted
 * on one class learns nothing, and figures computed on one class (ROC-AUC, PR-AUC, lift) are
 * meaningless; either would be saved and reported as if it meant something.
 */
final class LabelCheck {
  private LabelCheck() {}

  /**
   * @param train the training rows with {@link TrainColumns#LABEL}
   * @param test the out-of-time rows, or null (a prepared table)
   * @param trainDates the training snapshots (empty for a prepared table)
   * @param testDate the out-of-time snapshot, or null
   */
  static void requireBothClasses(String target, Dataset<Row> train, Dataset<Row> test, List<LocalDate> trainDates,
      LocalDate testDate) {
    long[] training = counts(train);
    if (training[0] > 0 && (training[1] == 0 || training[1] == training[0])) {
      String snapshots = trainDates.isEmpty() ? "the prepared table"
          : "training snapshot" + (trainDates.size() == 1 ? " " : "s ")
              + trainDates.stream().map(LocalDate::toString).collect(Collectors.joining(", "));
      throw new CustomerValueException(String.format(Locale.ROOT, "train: target '%s' cannot be modelled: its %d"
          + " training rows hold %d with label 1 and %d with label 0 (%s): every label is %d, so a model would learn"
          + " nothing. Drop it from customer-value.train.targets, or add as_of dates where both outcomes occur",
          target, training[0], training[1], training[0] - training[1], snapshots, training[1] == 0 ? 0 : 1));
    }
    if (test == null) {
      return;
    }
    long[] outOfTime = counts(test);
    if (outOfTime[0] > 0 && (outOfTime[1] == 0 || outOfTime[1] == outOfTime[0])) {
      throw new CustomerValueException(String.format(Locale.ROOT, "train: target '%s' cannot be evaluated: on its"
          + " out-of-time snapshot %s, %d rows hold %d with label 1 and %d with label 0: with one class, ROC-AUC,"
          + " PR-AUC and lift mean nothing. Add a later labelled as_of date (customer-value.snapshots) or drop the"
          + " target from customer-value.train.targets", target, testDate, outOfTime[0], outOfTime[1],
          outOfTime[0] - outOfTime[1]));
    }
  }

  /** rows, rows with label 1. */
  private static long[] counts(Dataset<Row> rows) {
    Row r = rows.agg(count(lit(1)), sum(when(col(TrainColumns.LABEL).equalTo(1.0), 1L).otherwise(0L))).first();
    return new long[] {r.getLong(0), r.isNullAt(1) ? 0L : r.getLong(1)};
  }
}

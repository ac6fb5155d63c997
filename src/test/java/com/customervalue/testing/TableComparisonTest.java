package com.customervalue.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The rounding that decides whether two runs wrote the same numbers. */
@ExtendWith(SparkExtension.class)
class TableComparisonTest {
  private static Dataset<Row> values(SparkSession spark, String... doubles) {
    return TableComparison.comparable(spark.sql("SELECT CAST(v AS DOUBLE) AS v FROM VALUES "
        + String.join(", ", java.util.Arrays.stream(doubles).map(d -> "(" + d + ")").toList()) + " AS t(v)"));
  }

  private static long differing(SparkSession spark, String[] a, String[] b) {
    return values(spark, a).exceptAll(values(spark, b)).count();
  }

  @Test
  void noiseInTheLastDigitsIsEqualAndRealDifferencesAreNot(SparkSession spark) {
    // A sum of a few million summed in another order; a probability; noise around zero.
    assertThat(differing(spark, new String[] {"3456789.1234567891", "0.123456789012345", "4e-13", "NULL"},
        new String[] {"3456789.1234567896", "0.123456789012349", "-2e-12", "NULL"})).isZero();
    assertThat(differing(spark, new String[] {"3456789.12"}, new String[] {"3456789.13"})).isOne();
    assertThat(differing(spark, new String[] {"0.12345678"}, new String[] {"0.12345679"})).isOne();
    assertThat(differing(spark, new String[] {"1e-6"}, new String[] {"0"})).isOne();
    assertThat(differing(spark, new String[] {"double('NaN')"}, new String[] {"double('NaN')"})).isZero();
  }
}

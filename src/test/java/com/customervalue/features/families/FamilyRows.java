package com.customervalue.features.families;

import static org.assertj.core.api.Assertions.assertThat;

import com.customervalue.features.FeatureFamily;
import com.customervalue.features.FeatureSettings;
import com.customervalue.features.FeatureSpec;
import com.customervalue.features.Snapshots;
import com.customervalue.identity.Keyed;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;

/** Tiny builders and comparisons shared by the family tests. */
final class FamilyRows {
  static final FeatureSettings SETTINGS = new FeatureSettings(365, 365, 0d, 0d, 10d, 3);

  private FamilyRows() {}

  static Timestamp ts(String instant) {
    return Timestamp.from(Instant.parse(instant));
  }

  static Date date(String day) {
    return Date.valueOf(LocalDate.parse(day));
  }

  static Dataset<Row> grid(SparkSession spark, String... asOf) {
    return Snapshots.of(spark, Arrays.stream(asOf).map(LocalDate::parse).toList(), 365);
  }

  /** Each row as "v1 v2 ...", doubles to 4 decimals, sorted: a comparison that notices duplicates. */
  static List<String> rendered(Dataset<Row> result) {
    return result.collectAsList().stream()
        .map(r -> IntStream.range(0, r.length()).mapToObj(i -> render(r.get(i))).collect(Collectors.joining(" ")))
        .sorted()
        .toList();
  }

  private static String render(Object value) {
    if (value instanceof Double d) {
      return String.format(Locale.ROOT, "%.4f", d);
    }
    return String.valueOf(value);
  }

  /** The output contract: account_key, as_of, then exactly the specs' columns with their types. */
  static void assertSchema(Dataset<Row> result, FeatureFamily family) {
    List<String> names = new ArrayList<>(List.of(Keyed.ACCOUNT_KEY, Snapshots.AS_OF));
    family.specs().forEach(s -> names.add(s.name()));
    assertThat(result.columns()).containsExactlyElementsOf(names);
    for (FeatureSpec spec : family.specs()) {
      StructField field = result.schema().apply(spec.name());
      assertThat(field.dataType()).as(spec.name()).isEqualTo(spec.type());
    }
  }

  /**
   * Same rows, duplicates included. Compared rendered, so a sum added up in another order
   * does not differ in its last bit.
   */
  static void assertSameRows(Dataset<Row> actual, Dataset<Row> expected) {
    List<String> expectedRows = rendered(expected);
    assertThat(expectedRows).isNotEmpty();
    assertThat(rendered(actual)).containsExactlyElementsOf(expectedRows);
  }
}

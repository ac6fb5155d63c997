package com.customervalue.clean;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.udf;

import com.customervalue.identity.keys.EmailNormalizer;
import com.customervalue.identity.keys.NormalizedEmail;
import com.customervalue.sources.Source;
import com.customervalue.warehouse.Lineage;
import com.customervalue.warehouse.Quarantine;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;

/** Pieces every source's rule set uses: duplicate flags, reason counts, quarantine rows. */
final class Rules {
  /** The rule that removed a row, or null for a kept row. */
  static final String DROP_REASON = "_drop_reason";
  static final String DUPLICATE_LINES = "duplicate_lines";

  private Rules() {}

  static Column[] contractColumns(Source source) {
    return source.fields().stream().map(f -> col(f.name())).toArray(Column[]::new);
  }

  /** True on every copy of a row after the first, comparing the contract columns only. */
  static Column duplicateFlag(Source source) {
    return copyNumber(source).gt(1);
  }

  /** 1 for the first row with its contract values (by source file), 2, 3, ... for its exact copies. */
  static Column copyNumber(Source source) {
    return row_number().over(Window.partitionBy(contractColumns(source)).orderBy(col(Lineage.SOURCE_FILE)));
  }

  /** Counts rows per {@link #DROP_REASON}; the kept rows are counted under the key "". */
  static Map<String, Long> countByReason(Dataset<Row> flagged) {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (Row r : flagged.groupBy(col(DROP_REASON)).count().collectAsList()) {
      counts.put(r.isNullAt(0) ? "" : r.getString(0), r.getLong(1));
    }
    return counts;
  }

  /** The rule that quarantines rows whose required e-mail column holds no usable address. */
  static final String INVALID_EMAIL = "invalid_email";

  /**
   * Why the e-mail in {@code column} is no address (the normaliser's sentence, quoting the value), or
   * null when it is one. For sources whose only key is a required e-mail column (support tickets,
   * marketing events) such a row can never reach an account.
   */
  static Column emailProblem(String column) {
    UDF1<String, String> check = value -> {
      NormalizedEmail email = EmailNormalizer.normalize(value);
      return email.valid() ? null : email.rejectReason();
    };
    return udf(check, DataTypes.StringType).apply(col(column));
  }

  /** Whether {@code source} has a required e-mail column, its only customer key. */
  static boolean requiresEmail(Source source) {
    return source.field("email").map(f -> f.required()).orElse(false);
  }

  /** Rows of {@code rows} as quarantine rows of the clean stage. */
  static Dataset<Row> quarantine(Dataset<Row> rows, Source source, String runId, Timestamp at, String code,
      String column, Column value, Column reason) {
    return rows.select(
        lit(runId).as(Quarantine.RUN_ID),
        lit(CleanJob.NAME).as(Quarantine.STAGE),
        lit(source.id()).as(Quarantine.SOURCE),
        col(Lineage.SOURCE_FILE).as(Quarantine.SOURCE_FILE),
        lit(code).as(Quarantine.REASON_CODE),
        lit(column).as(Quarantine.COLUMN),
        value.cast("string").as(Quarantine.VALUE),
        reason.as(Quarantine.REASON),
        to_json(struct(contractColumns(source))).as(Quarantine.RAW_RECORD),
        lit(at).as(Quarantine.QUARANTINED_AT));
  }
}

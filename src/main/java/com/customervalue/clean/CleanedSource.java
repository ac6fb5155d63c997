package com.customervalue.clean;

import com.customervalue.sources.Source;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One source after its rules ran, before anything is written.
 *
 * @param source the source
 * @param silver the rows kept (some changed), with the silver columns
 * @param quarantine rows set aside with a reason, in the quarantine table's schema
 * @param rowsIn bronze rows of the run
 * @param dropped rule -> rows the rule removed on purpose (duplicates, tests, netted returns)
 * @param changed rule -> rows the rule changed and kept
 * @param extraTables further tables the rules write (name -> rows), e.g. the netted returns
 * @param cached rows the rules persisted because the writes read them more than once; {@link #release()}
 *     drops them once everything is written
 */
record CleanedSource(Source source, Dataset<Row> silver, Dataset<Row> quarantine, long rowsIn,
    Map<String, Long> dropped, Map<String, Long> changed, Map<String, Dataset<Row>> extraTables,
    List<Dataset<Row>> cached) {

  CleanedSource(Source source, Dataset<Row> silver, Dataset<Row> quarantine, long rowsIn, Map<String, Long> dropped,
      Map<String, Long> changed, List<Dataset<Row>> cached) {
    this(source, silver, quarantine, rowsIn, dropped, changed, Map.of(), cached);
  }

  /** Unpersists what the rules cached; the silver, quarantine and extra rows must not be read after it. */
  void release() {
    cached.forEach(Dataset::unpersist);
  }
}

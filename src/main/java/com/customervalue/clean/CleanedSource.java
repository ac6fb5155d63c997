package com.customervalue.clean;

import com.customervalue.sources.Source;
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
 */
record CleanedSource(Source source, Dataset<Row> silver, Dataset<Row> quarantine, long rowsIn,
    Map<String, Long> dropped, Map<String, Long> changed) {}

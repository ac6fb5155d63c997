package com.customervalue.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import com.customervalue.config.AppConfig;
import com.customervalue.config.SourceConfig;
import com.customervalue.errors.Errors;
import com.customervalue.job.Job;
import com.customervalue.job.JobResult;
import com.customervalue.job.RunContext;
import com.customervalue.sources.FieldSpec;
import com.customervalue.sources.Source;
import com.customervalue.spark.StageDescription;
import com.customervalue.warehouse.DataQuality;
import com.customervalue.warehouse.DataQuality.Check;
import com.customervalue.warehouse.DataQuality.Level;
import com.customervalue.warehouse.DeltaTables;
import com.customervalue.warehouse.Lineage;
import com.customervalue.warehouse.Quarantine;
import com.customervalue.warehouse.RunCounts;
import com.customervalue.warehouse.Tables;
import io.delta.tables.DeltaTable;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every enabled source into a bronze Delta table per source, typed by the data contract,
 * with lineage columns. Rows that cannot be parsed or break the contract go to {@code quarantine}
 * with the reason; {@code data_quality} records, per source, rows read = kept + quarantined.
 *
 * <p>All sources are opened (paths, headers, required columns) and parsed and counted before
 * anything is written, so a structural problem in any source leaves the warehouse untouched.
 */
public final class IngestJob implements Job {
  public static final String NAME = "ingest";
  private static final Logger log = LoggerFactory.getLogger(IngestJob.class);
  /** Contract columns holding personal data: their values never go into data_quality or job_runs. */
  private static final java.util.Set<String> PERSONAL_COLUMNS = java.util.Set.of(Source.Invoices.EMAIL,
      Source.Invoices.CUSTOMER_NAME, Source.Customers.CONTACT_NAME);

  @Override
  public String name() {
    return NAME;
  }

  /**
   * One parsed source, held in memory until every source is known to be readable.
   *
   * @param commonest the commonest problem in words (reason, column, count, an example value); empty when none
   */
  private record Parsed(Source source, String path, Dataset<Row> rows, long read, long kept,
      Map<String, Long> quarantinedByReason, long unkeyed, String commonest) {
    long quarantined() {
      return read - kept;
    }
  }

  @Override
  public JobResult run(SparkSession spark, AppConfig config, RunContext context) {
    SourceReader reader = new SourceReader(spark);
    List<RawSource> opened = new ArrayList<>();
    List<Source> skipped = new ArrayList<>();
    try (var stage = StageDescription.of(spark, "ingest: open sources")) {
      for (SourceConfig source : config.sources().values()) {
        if (!source.enabled()) {
          log.info("ingest: source '{}' is disabled in config", source.source().id());
          skipped.add(source.source());
          continue;
        }
        reader.open(source).ifPresentOrElse(opened::add, () -> skipped.add(source.source()));
      }
    }
    List<Check> skipChecks = new ArrayList<>();
    reader.skipped().forEach((source, why) ->
        skipChecks.add(new Check(source.id(), "source_skipped", Level.WARNING, false, 0, why)));
    List<Parsed> parsed = new ArrayList<>();
    try {
      for (RawSource raw : opened) {
        parsed.add(parseAndCount(spark, raw, context));
      }
      return write(spark, config, context, parsed, skipped, skipChecks);
    } finally {
      parsed.forEach(p -> p.rows().unpersist());
    }
  }

  private Parsed parseAndCount(SparkSession spark, RawSource raw, RunContext context) {
    Source source = raw.config().source();
    try (var stage = StageDescription.of(spark, "ingest: parse and count " + source.id())) {
      Dataset<Row> rows = RecordParser.parse(raw, context.startedAt()).persist(StorageLevel.MEMORY_AND_DISK());
      Column unkeyed = source == Source.INVOICES
          ? col(Source.Invoices.CUSTOMER_ID).isNull().and(col(Source.Invoices.EMAIL).isNull())
          : lit(false);
      String problem = RecordParser.PROBLEM + ".";
      List<Row> stats;
      try {
        stats = rows
            .groupBy(col(problem + RecordParser.CODE).as("code"), col(problem + RecordParser.COLUMN).as("column"))
            .agg(count(lit(1)).as("n"), sum(when(unkeyed, 1).otherwise(0)).as("unkeyed"),
                min(RecordParser.excerpt(col(problem + RecordParser.VALUE))).as("example"))
            .collectAsList();
      } catch (Exception e) {
        // Reading the rows is the first time every byte is decoded: a cut-off gzip file fails here.
        // (Exception: Spark's Scala code throws checked exceptions undeclared.)
        rows.unpersist();
        throw Errors.sourceUnreadable(source.id(), raw.config().path(), "Spark cannot read its rows as "
            + raw.config().format().sparkName() + ": " + Errors.describe(e), e);
      }
      long read = 0;
      long kept = 0;
      long unkeyedRows = 0;
      Map<String, Long> byReason = new TreeMap<>();
      Row commonest = null;
      for (Row r : stats) {
        long n = r.getLong(2);
        read += n;
        if (r.isNullAt(0)) {
          kept = n;
          unkeyedRows = r.getLong(3);
        } else {
          byReason.merge(r.getString(0), n, Long::sum);
          if (commonest == null || n > commonest.getLong(2)) {
            commonest = r;
          }
        }
      }
      if (source.isRequired() && read == 0) {
        rows.unpersist();
        throw Errors.emptyRequiredSource(source.id(), raw.config().path());
      }
      log.info("ingest: {}: read {} rows, kept {}, quarantined {} {}", source.id(), read, kept, read - kept,
          byReason.isEmpty() ? "" : byReason);
      return new Parsed(source, raw.config().path(), rows, read, kept, byReason, unkeyedRows, describe(commonest));
    }
  }

  /**
   * "most often bad_value in column 'invoice_date' (2 rows), e.g. 'tomorrow'". The example goes into
   * data_quality and job_runs, which BI users read: values of personal columns stay in quarantine.
   */
  private static String describe(Row commonest) {
    if (commonest == null) {
      return "";
    }
    long n = commonest.getLong(2);
    String column = commonest.isNullAt(1) ? null : commonest.getString(1);
    String example = commonest.isNullAt(4) ? "" : column != null && PERSONAL_COLUMNS.contains(column)
        ? " (personal data: the values are in the quarantine table)" : ", e.g. '" + commonest.getString(4) + "'";
    return "most often " + commonest.getString(0) + (column == null ? "" : " in column '" + column + "'")
        + " (" + n + (n == 1 ? " row)" : " rows)") + example;
  }

  private JobResult write(SparkSession spark, AppConfig config, RunContext context, List<Parsed> parsed,
      List<Source> skipped, List<Check> skipChecks) {
    String runId = context.runId();
    Timestamp at = context.startedAtTimestamp();
    List<Check> checks = new ArrayList<>(skipChecks);
    List<String> errors = new ArrayList<>();
    for (Parsed p : parsed) {
      checks.addAll(countsAndLimits(config, p, errors));
    }
    Map<String, Long> written = new LinkedHashMap<>();
    if (errors.isEmpty()) {
      for (Parsed p : parsed) {
        String table = Tables.bronze(p.source());
        try (var stage = StageDescription.of(spark, "ingest: write " + table)) {
          DeltaTables.replace(bronzeRows(p, runId, at), config.warehouse().tablePath(table), List.of(Lineage.RUN_ID),
              Lineage.RUN_ID, runId);
        }
        written.put(table, p.kept());
        log.info("ingest: wrote {} rows to {}", p.kept(), table);
      }
      for (Source source : skipped) {
        clearRun(spark, config.warehouse().tablePath(Tables.bronze(source)), runId);
      }
    }
    Dataset<Row> quarantine = spark.createDataFrame(List.of(), Quarantine.SCHEMA);
    for (Parsed p : parsed) {
      quarantine = quarantine.unionByName(quarantineRows(p, runId, at));
    }
    String quarantinePath = config.warehouse().tablePath(Tables.QUARANTINE);
    try (var stage = StageDescription.of(spark, "ingest: write quarantine")) {
      DeltaTables.replace(quarantine, quarantinePath, List.of(), Quarantine.RUN_ID, runId, Quarantine.STAGE, NAME);
    }
    long quarantined = parsed.stream().mapToLong(Parsed::quarantined).sum();
    written.put(Tables.QUARANTINE, quarantined);
    log.info("ingest: wrote {} rows to {}", quarantined, Tables.QUARANTINE);

    if (errors.isEmpty()) {
      checks.addAll(verifyWritten(spark, config, runId, parsed, errors));
    }
    try (var stage = StageDescription.of(spark, "ingest: write data_quality")) {
      DeltaTables.replace(DataQuality.toRows(spark, runId, NAME, at, checks),
          config.warehouse().tablePath(Tables.DATA_QUALITY), List.of(), DataQuality.RUN_ID, runId,
          DataQuality.STAGE, NAME);
    }
    written.put(Tables.DATA_QUALITY, (long) checks.size());
    if (!errors.isEmpty()) {
      throw Errors.dataQualityFailed(String.join("; ", errors)
          + " (see the quarantine and data_quality tables for run " + runId + ")");
    }
    return new JobResult(NAME, written);
  }

  private static List<Check> countsAndLimits(AppConfig config, Parsed p, List<String> errors) {
    String id = p.source().id();
    List<Check> checks = new ArrayList<>();
    checks.add(Check.count(id, "rows_read", p.read()));
    checks.add(Check.count(id, "rows_kept", p.kept()));
    checks.add(Check.count(id, "rows_quarantined", p.quarantined()));
    p.quarantinedByReason().forEach((reason, n) -> checks.add(Check.count(id, "quarantined_" + reason, n)));

    double limit = config.ingest().maxQuarantineFraction();
    double share = p.read() == 0 ? 0 : (double) p.quarantined() / p.read();
    boolean ok = share <= limit;
    String detail = String.format(java.util.Locale.ROOT, "%d of %d rows (%.2f%%) quarantined; limit %.2f%%",
        p.quarantined(), p.read(), 100 * share, 100 * limit) + (p.commonest().isEmpty() ? "" : "; " + p.commonest());
    checks.add(new Check(id, "quarantine_fraction", Level.ERROR, ok, p.quarantined(), detail));
    if (!ok) {
      errors.add(Errors.dataQuality(id, "quarantine_fraction", detail).getMessage());
    }
    if (p.source() == Source.INVOICES) {
      double unkeyedLimit = config.ingest().maxUnkeyedInvoiceFraction();
      double unkeyedShare = p.kept() == 0 ? 0 : (double) p.unkeyed() / p.kept();
      boolean tooMany = unkeyedShare > unkeyedLimit;
      String unkeyedDetail = String.format(java.util.Locale.ROOT,
          "%d of %d kept lines (%.2f%%) have neither customer id nor e-mail; they are kept and reported as"
              + " unmatched by identity; limit %.2f%%", p.unkeyed(), p.kept(), 100 * unkeyedShare, 100 * unkeyedLimit);
      checks.add(new Check(id, "unkeyed_invoice_lines", tooMany ? Level.ERROR : Level.WARNING, p.unkeyed() == 0,
          p.unkeyed(), unkeyedDetail));
      if (tooMany) {
        errors.add(Errors.dataQuality(id, "unkeyed_invoice_lines", unkeyedDetail).getMessage());
      } else if (p.unkeyed() > 0) {
        log.warn("ingest: invoices: {}", unkeyedDetail);
      }
    }
    return checks;
  }

  /** Reads back what was written, so "read = kept + quarantined" is checked against the tables themselves. */
  private static List<Check> verifyWritten(SparkSession spark, AppConfig config, String runId, List<Parsed> parsed,
      List<String> errors) {
    List<Check> checks = new ArrayList<>();
    try (var stage = StageDescription.of(spark, "ingest: verify row counts")) {
      Map<String, Long> quarantinedBySource = RunCounts.quarantinedBySource(spark,
          config.warehouse().tablePath(Tables.QUARANTINE), runId, NAME);
      for (Parsed p : parsed) {
        long inBronze = RunCounts.rowsOfRun(spark, config.warehouse().tablePath(Tables.bronze(p.source())), runId);
        long inQuarantine = quarantinedBySource.getOrDefault(p.source().id(), 0L);
        boolean ok = inBronze + inQuarantine == p.read();
        String detail = "read " + p.read() + ", bronze " + inBronze + ", quarantine " + inQuarantine;
        checks.add(new Check(p.source().id(), "read_equals_kept_plus_quarantined", Level.ERROR, ok, p.read(), detail));
        if (!ok) {
          errors.add(Errors.dataQuality(p.source().id(), "read_equals_kept_plus_quarantined", detail).getMessage());
        }
      }
    }
    return checks;
  }

  private static Dataset<Row> bronzeRows(Parsed p, String runId, Timestamp at) {
    List<Column> columns = new ArrayList<>();
    for (FieldSpec field : p.source().fields()) {
      columns.add(col(field.name()).as(field.name(), new MetadataBuilder().putString("comment", field.doc()).build()));
    }
    columns.add(lit(runId).as(Lineage.RUN_ID));
    columns.add(col(Lineage.SOURCE_FILE));
    columns.add(lit(at).as(Lineage.INGESTED_AT));
    return p.rows().where(col(RecordParser.PROBLEM).isNull()).select(columns.toArray(Column[]::new));
  }

  private static Dataset<Row> quarantineRows(Parsed p, String runId, Timestamp at) {
    String problem = RecordParser.PROBLEM + ".";
    return p.rows().where(col(RecordParser.PROBLEM).isNotNull()).select(
        lit(runId).as(Quarantine.RUN_ID),
        lit(NAME).as(Quarantine.STAGE),
        lit(p.source().id()).as(Quarantine.SOURCE),
        col(Lineage.SOURCE_FILE).as(Quarantine.SOURCE_FILE),
        col(problem + RecordParser.CODE).as(Quarantine.REASON_CODE),
        col(problem + RecordParser.COLUMN).as(Quarantine.COLUMN),
        col(problem + RecordParser.VALUE).as(Quarantine.VALUE),
        col(problem + RecordParser.MESSAGE).as(Quarantine.REASON),
        col(RecordParser.RAW_RECORD).as(Quarantine.RAW_RECORD),
        lit(at).as(Quarantine.QUARANTINED_AT));
  }

  /** A source skipped on a re-run must not keep rows an earlier attempt of the same run wrote. */
  private static void clearRun(SparkSession spark, String path, String runId) {
    if (DeltaTable.isDeltaTable(spark, path)) {
      DeltaTable.forPath(spark, path).delete(col(Lineage.RUN_ID).equalTo(runId));
    }
  }
}

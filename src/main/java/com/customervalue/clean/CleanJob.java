package com.customervalue.clean;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;

import com.customervalue.config.AppConfig;
import com.customervalue.errors.CustomerValueException;
import com.customervalue.errors.Errors;
import com.customervalue.job.Job;
import com.customervalue.job.JobResult;
import com.customervalue.job.RunContext;
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
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the run's bronze tables into silver tables, one rule set per source (see
 * {@link InvoiceCleaner}, {@link TicketCleaner}, {@link DuplicateCleaner}). Every removed or
 * changed row is counted per rule in {@code data_quality}; rows set aside with a reason go to
 * {@code quarantine}; rows in = rows out + removed + quarantined is checked against the tables.
 */
public final class CleanJob implements Job {
  public static final String NAME = "clean";
  private static final Logger log = LoggerFactory.getLogger(CleanJob.class);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> inputTables(AppConfig config) {
    return java.util.Arrays.stream(Source.values()).map(Tables::bronze).toList();
  }

  @Override
  public JobResult run(SparkSession spark, AppConfig config, RunContext context) {
    String runId = context.runId();
    Timestamp at = context.startedAtTimestamp();
    Map<Source, Dataset<Row>> bronze = readBronze(spark, config, runId);
    LocalDate asOf = context.asOf().orElseGet(() -> defaultAsOf(bronze));
    log.info("clean: run {}, as_of {} (open tickets count up to it)", runId, asOf);

    List<CleanedSource> cleaned = new ArrayList<>();
    Map<String, Long> written = new LinkedHashMap<>();
    try {
      applyAndWrite(spark, config, bronze, asOf, runId, at, cleaned, written);
    } finally {
      // The writes were the last readers of what the rules cached; a failed run releases it too.
      cleaned.forEach(CleanedSource::release);
    }

    List<Check> checks = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    try (var stage = StageDescription.of(spark, "clean: verify row counts")) {
      Map<String, Long> quarantinedBySource = RunCounts.quarantinedBySource(spark,
          config.warehouse().tablePath(Tables.QUARANTINE), runId, NAME);
      for (CleanedSource c : cleaned) {
        String id = c.source().id();
        String table = Silver.table(c.source());
        long out = RunCounts.rowsOfRun(spark, config.warehouse().tablePath(table), runId);
        long quarantined = quarantinedBySource.getOrDefault(id, 0L);
        long removed = c.dropped().values().stream().mapToLong(Long::longValue).sum();
        written.put(table, out);
        checks.add(Check.count(id, "rows_in", c.rowsIn()));
        checks.add(Check.count(id, "rows_out", out));
        c.dropped().forEach((rule, n) -> checks.add(Check.count(id, "removed_" + rule, n)));
        c.changed().forEach((rule, n) -> checks.add(Check.count(id, "changed_" + rule, n)));
        checks.add(Check.count(id, "quarantined", quarantined));
        boolean ok = c.rowsIn() == out + removed + quarantined;
        String detail = "in " + c.rowsIn() + ", out " + out + ", removed " + removed + " " + c.dropped()
            + ", quarantined " + quarantined;
        checks.add(new Check(id, "in_equals_out_plus_removed_plus_quarantined", Level.ERROR, ok, c.rowsIn(), detail));
        if (!ok) {
          errors.add(Errors.dataQuality(id, "in_equals_out_plus_removed_plus_quarantined", detail).getMessage());
        }
        log.info("clean: {}: {} rows in, {} out, removed {}, changed {}, quarantined {}", id, c.rowsIn(), out,
            c.dropped(), c.changed(), quarantined);
      }
      written.put(Tables.QUARANTINE, quarantinedBySource.values().stream().mapToLong(Long::longValue).sum());
    }
    DeltaTables.replace(DataQuality.toRows(spark, runId, NAME, at, checks),
        config.warehouse().tablePath(Tables.DATA_QUALITY), List.of(), DataQuality.RUN_ID, runId,
        DataQuality.STAGE, NAME);
    written.put(Tables.DATA_QUALITY, (long) checks.size());
    if (!errors.isEmpty()) {
      throw Errors.dataQualityFailed(String.join("; ", errors));
    }
    return new JobResult(NAME, written);
  }

  /** Runs each source's rules, adding to {@code cleaned} as it goes, and writes silver, extra and quarantine rows. */
  private static void applyAndWrite(SparkSession spark, AppConfig config, Map<Source, Dataset<Row>> bronze,
      LocalDate asOf, String runId, Timestamp at, List<CleanedSource> cleaned, Map<String, Long> written) {
    for (Map.Entry<Source, Dataset<Row>> e : bronze.entrySet()) {
      try (var stage = StageDescription.of(spark, "clean: apply the rules of " + e.getKey().id())) {
        CleanedSource result = switch (e.getKey()) {
          case INVOICES -> new InvoiceCleaner(config.clean()).clean(e.getValue(), runId, at);
          case SUPPORT_TICKETS -> new TicketCleaner(config.clean()).clean(e.getValue(), asOf, runId, at);
          default -> new DuplicateCleaner(config.clean()).clean(spark, e.getKey(), e.getValue(), runId, at);
        };
        cleaned.add(result);
      }
    }

    Dataset<Row> quarantine = spark.createDataFrame(List.of(), Quarantine.SCHEMA);
    for (CleanedSource c : cleaned) {
      String table = Silver.table(c.source());
      try (var stage = StageDescription.of(spark, "clean: write " + table)) {
        DeltaTables.replace(c.silver(), config.warehouse().tablePath(table), List.of(Lineage.RUN_ID),
            Lineage.RUN_ID, runId);
      }
      for (Map.Entry<String, Dataset<Row>> extra : c.extraTables().entrySet()) {
        try (var stage = StageDescription.of(spark, "clean: write " + extra.getKey())) {
          DeltaTables.replace(extra.getValue(), config.warehouse().tablePath(extra.getKey()),
              List.of(Lineage.RUN_ID), Lineage.RUN_ID, runId);
        }
        written.put(extra.getKey(), RunCounts.rowsOfRun(spark, config.warehouse().tablePath(extra.getKey()), runId));
      }
      quarantine = quarantine.unionByName(c.quarantine());
    }
    try (var stage = StageDescription.of(spark, "clean: write quarantine")) {
      DeltaTables.replace(quarantine, config.warehouse().tablePath(Tables.QUARANTINE), List.of(),
          Quarantine.RUN_ID, runId, Quarantine.STAGE, NAME);
    }
  }

  /** The bronze rows of this run, per source present; invoices must be there. */
  private static Map<Source, Dataset<Row>> readBronze(SparkSession spark, AppConfig config, String runId) {
    Map<Source, Dataset<Row>> out = new LinkedHashMap<>();
    for (Source source : Source.values()) {
      String path = config.warehouse().tablePath(Tables.bronze(source));
      if (!DeltaTable.isDeltaTable(spark, path)) {
        continue;
      }
      Dataset<Row> rows = spark.read().format("delta").load(path).where(col(Lineage.RUN_ID).equalTo(runId));
      if (source.isRequired() && rows.isEmpty()) {
        throw new CustomerValueException("clean: " + Tables.bronze(source) + " has no rows for run '" + runId
            + "' (runs there: " + runsIn(spark, path) + "); run ingest with --run-id " + runId + " first");
      }
      out.put(source, rows);
    }
    if (!out.containsKey(Source.INVOICES)) {
      throw new CustomerValueException("clean: there is no bronze_invoices table under "
          + config.warehouse().root() + "; run ingest with --run-id " + runId + " first");
    }
    return out;
  }

  private static String runsIn(SparkSession spark, String path) {
    return spark.read().format("delta").load(path).select(Lineage.RUN_ID).distinct().orderBy(Lineage.RUN_ID)
        .limit(20).collectAsList().stream().map(r -> r.getString(0)).toList().toString();
  }

  /** The day after the newest invoice or ticket event: what "now" is for data exported at once. */
  static LocalDate defaultAsOf(Map<Source, Dataset<Row>> bronze) {
    LocalDate newest = null;
    Map<Source, List<String>> timestamps = Map.of(
        Source.INVOICES, List.of(Source.Invoices.INVOICE_DATE),
        Source.SUPPORT_TICKETS, List.of(Source.SupportTickets.CREATED_AT, Source.SupportTickets.CLOSED_AT));
    for (Map.Entry<Source, List<String>> e : timestamps.entrySet()) {
      Dataset<Row> rows = bronze.get(e.getKey());
      if (rows == null) {
        continue;
      }
      for (String column : e.getValue()) {
        Row r = rows.agg(max(col(column))).first();
        if (!r.isNullAt(0)) {
          LocalDate d = r.getTimestamp(0).toInstant().atZone(java.time.ZoneOffset.UTC).toLocalDate();
          newest = newest == null || d.isAfter(newest) ? d : newest;
        }
      }
    }
    return Optional.ofNullable(newest).map(d -> d.plusDays(1))
        .orElseThrow(() -> new CustomerValueException("clean: no invoice has a date; cannot choose an as_of"));
  }
}

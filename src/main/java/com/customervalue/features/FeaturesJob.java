package com.customervalue.features;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.when;

import com.customervalue.clean.Silver;
import com.customervalue.config.AppConfig;
import com.customervalue.errors.CustomerValueException;
import com.customervalue.features.families.MarketingFeatures;
import com.customervalue.features.families.PressReleaseFeatures;
import com.customervalue.features.families.SupportFeatures;
import com.customervalue.features.families.TextFeatures;
import com.customervalue.features.families.WebFeatures;
import com.customervalue.identity.Keyed;
import com.customervalue.job.Job;
import com.customervalue.job.JobResult;
import com.customervalue.job.RunContext;
import com.customervalue.sources.Source;
import com.customervalue.spark.StageDescription;
import com.customervalue.warehouse.DeltaTables;
import com.customervalue.warehouse.Lineage;
import io.delta.tables.DeltaTable;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds {@code customer_features}: per snapshot, the accounts that bought within the lookback
 * before as_of, their features from events strictly before as_of and their labels from
 * [as_of, as_of + horizon). A source that is absent drops its features; invoices alone suffice.
 */
public final class FeaturesJob implements Job {
  public static final String NAME = "features";
  private static final Logger log = LoggerFactory.getLogger(FeaturesJob.class);
  /**
   * Returns up to this many lines are broadcast to the join that gives them their account: about 40 bytes a
   * row once projected (a line id, a time, an amount), so at most about 80 MB on the driver.
   */
  static final long BROADCAST_RETURNS_MAX_ROWS = 2_000_000L;
  static final String REQUIRE_ALL_CLUSTER_KEYS = "spark.sql.requireAllClusterKeysForCoPartition";

  /** Families of the sources besides invoices and customers, with the table each reads. */
  private static List<Map.Entry<String, FeatureFamily>> sideFamilies() {
    return List.of(
        Map.entry(Keyed.table(Source.SUPPORT_TICKETS), new SupportFeatures()),
        Map.entry(Keyed.table(Source.WEB_ANALYTICS), new WebFeatures()),
        Map.entry(Keyed.table(Source.MARKETING_EVENTS), new MarketingFeatures()),
        Map.entry(Silver.table(Source.PRESS_RELEASES), new PressReleaseFeatures()),
        Map.entry(Keyed.table(Source.SUPPORT_TICKETS), new TextFeatures()));
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> inputTables(AppConfig config) {
    List<String> tables = new ArrayList<>();
    tables.add(Keyed.table(Source.INVOICES));
    tables.add(Silver.INVOICE_RETURNS);
    tables.add(Keyed.table(Source.CUSTOMERS));
    tables.add(Keyed.table(Source.SITE_CATEGORIES));
    sideFamilies().forEach(e -> {
      if (!tables.contains(e.getKey())) {
        tables.add(e.getKey());
      }
    });
    return tables;
  }

  @Override
  public JobResult run(SparkSession spark, AppConfig config, RunContext context) {
    // The tables of this job are partitioned by account (see byAccount) and joined on (account, as_of). Spark's
    // default asks a join's sides to be hash-partitioned on all its keys, so it would shuffle both sides of every
    // join again. Set for this job only, so the other jobs keep what they had: getAll holds only what was set
    // explicitly (get would return Spark's default for an unset key, and restoring that would set it).
    scala.Option<String> previous = spark.conf().getAll().get(REQUIRE_ALL_CLUSTER_KEYS);
    spark.conf().set(REQUIRE_ALL_CLUSTER_KEYS, "false");
    try {
      return build(spark, config, context);
    } finally {
      if (previous.isEmpty()) {
        spark.conf().unset(REQUIRE_ALL_CLUSTER_KEYS);
      } else {
        spark.conf().set(REQUIRE_ALL_CLUSTER_KEYS, previous.get());
      }
    }
  }

  private JobResult build(SparkSession spark, AppConfig config, RunContext context) {
    String runId = context.runId();
    FeatureSettings settings = new FeatureSettings(config.snapshots().horizonDays(),
        config.snapshots().lookbackDays(), config.features().officeLatitude(), config.features().officeLongitude(),
        config.features().supportCostPerDay(), config.features().topTier());
    Dataset<Row> keyedInvoices = read(spark, config, Keyed.table(Source.INVOICES), runId)
        .orElseThrow(() -> new CustomerValueException("features: keyed_invoices has no rows for run '" + runId
            + "'; run identity with --run-id " + runId + " first"));
    List<String> processes = config.features().processes();
    Dataset<Row> purchases = InvoiceFeatures.purchases(keyedInvoices);
    Dataset<Row> baskets = byAccount(InvoiceFeatures.baskets(purchases, processes, settings.topTier()))
        .persist(StorageLevel.MEMORY_AND_DISK());
    Row span = baskets.agg(min(col(InvoiceFeatures.TS)), max(col(InvoiceFeatures.TS))).first();
    if (span.isNullAt(0)) {
      throw new CustomerValueException("features: run '" + runId + "' has no valid purchase (status paid, quantity"
          + " above zero) with an account key");
    }
    LocalDate first = span.getTimestamp(0).toInstant().atZone(ZoneOffset.UTC).toLocalDate();
    LocalDate dataEnd = span.getTimestamp(1).toInstant().atZone(ZoneOffset.UTC).toLocalDate().plusDays(1);
    List<LocalDate> dates = SnapshotDates.resolve(config.snapshots(), context.asOf(), first, dataEnd);
    if (context.asOf().isPresent() || !config.snapshots().asOf().isEmpty()) {
      SnapshotDates.requireData(dates, span.getTimestamp(0).toInstant(), span.getTimestamp(1).toInstant(),
          settings.lookbackDays(), runId);
    }
    log.info("features: run {}, {} snapshots from {} to {}, horizon {} days, data ends {}", runId, dates.size(),
        dates.get(0), dates.get(dates.size() - 1), settings.horizonDays(), dataEnd);
    Dataset<Row> snapshots = Snapshots.of(spark, dates, settings.horizonDays()).persist();

    // Cached: the features and the labels both read them, and each pass streams every keyed invoice line.
    Dataset<Row> returns = read(spark, config, Silver.INVOICE_RETURNS, runId)
        .map(r -> returnsWithAccount(r, keyedInvoices).persist(StorageLevel.MEMORY_AND_DISK())).orElse(null);

    Dataset<Row> invoiceFeatures;
    try (var stage = StageDescription.of(spark, "features: invoices and population")) {
      invoiceFeatures = InvoiceFeatures.compute(baskets, InvoiceFeatures.firstPurchases(purchases),
          returns != null ? returns : spark.createDataFrame(List.of(), new StructType()
              .add(Keyed.ACCOUNT_KEY, DataTypes.StringType).add(InvoiceFeatures.TS, DataTypes.TimestampType)
              .add(InvoiceFeatures.AMOUNT, DataTypes.DoubleType)), snapshots, processes)
          .where(col("recency_days").lt(settings.lookbackDays()))
          .persist(StorageLevel.MEMORY_AND_DISK());
      // Materialised here: the plans that read a cached table know its partitioning (by account) only once it
      // has been computed, and without that every later join shuffled these rows again.
      log.info("features: {} (account, as_of) rows in the population", invoiceFeatures.count());
    }
    Dataset<Row> population =
        invoiceFeatures.select(Keyed.ACCOUNT_KEY, Snapshots.AS_OF, InvoiceFeatures.LAST_PURCHASE_TS);
    Optional<Dataset<Row>> tickets = read(spark, config, Keyed.table(Source.SUPPORT_TICKETS), runId);
    Dataset<Row> labels = Labels.compute(population.select(Keyed.ACCOUNT_KEY, Snapshots.AS_OF), baskets, returns,
        tickets.orElse(null), snapshots, Snapshots.start(dataEnd), settings);
    Dataset<Row> features = invoiceFeatures.join(labels, seq(Keyed.ACCOUNT_KEY, Snapshots.AS_OF));

    List<List<FeatureSpec>> families = new ArrayList<>();
    families.add(InvoiceFeatures.specs(processes));
    LifetimeFeatures.Computed lifetime = null;
    if (config.lifetime().enabled()) {
      // Fitted on every account with a purchase before as_of, not only the population: the models
      // learn dropout from the accounts that stopped buying long ago too.
      try (var stage = StageDescription.of(spark, "features: lifetime value (BG/NBD, Gamma-Gamma)")) {
        lifetime = LifetimeFeatures.compute(spark, baskets, snapshots, config.lifetime(), settings.horizonDays());
        features = features.join(lifetime.columns(), seq(Keyed.ACCOUNT_KEY, Snapshots.AS_OF), "left");
      }
      families.add(LifetimeFeatures.specs(config.lifetime(), settings.horizonDays()));
    } else {
      log.info("features: customer-value.lifetime.enabled = false; the lifetime-value columns are left out");
    }
    families.add(CustomerFeatures.specs());
    Optional<Dataset<Row>> customers = read(spark, config, Keyed.table(Source.CUSTOMERS), runId);
    if (customers.isPresent()) {
      features = features.join(CustomerFeatures.customers(customers.get(), settings), seq(Keyed.ACCOUNT_KEY), "left");
    }
    Optional<Dataset<Row>> sites = read(spark, config, Keyed.table(Source.SITE_CATEGORIES), runId);
    if (sites.isPresent()) {
      features = features.join(CustomerFeatures.siteCategories(sites.get()), seq(Keyed.ACCOUNT_KEY), "left");
    }
    features = features.withColumn("free_mail_account", when(col(Keyed.ACCOUNT_KEY).contains("@"), 1).otherwise(0));
    for (Map.Entry<String, FeatureFamily> entry : sideFamilies()) {
      FeatureFamily family = entry.getValue();
      families.add(family.specs());
      Optional<Dataset<Row>> rows = read(spark, config, entry.getKey(), runId);
      if (rows.isEmpty()) {
        log.warn("features: {} is absent for run {}; its {} features are left at their defaults", entry.getKey(),
            runId, family.specs().size());
        continue;
      }
      try (var stage = StageDescription.of(spark, "features: " + family.source())) {
        features = features.join(family.compute(rows.get(), snapshots, population, settings),
            seq(Keyed.ACCOUNT_KEY, Snapshots.AS_OF), "left");
      }
    }
    // From here on a person's e-mail is replaced by its HMAC: customer_features is a BI table.
    features = features.withColumn(Keyed.ACCOUNT_KEY, Keyed.publishedAccountKey());

    List<FeatureSpec> columns = CustomerFeaturesTable.columns(families);
    List<String> present = List.of(features.columns());
    List<Column> select = new ArrayList<>();
    for (FeatureSpec spec : columns) {
      Column c = (present.contains(spec.name()) ? col(spec.name()) : lit(null)).cast(spec.type());
      if (spec.fill() != null) {
        c = org.apache.spark.sql.functions.coalesce(c, lit(spec.fill()).cast(spec.type()));
      }
      select.add(c.as(spec.name(), new MetadataBuilder().putString("comment",
          spec.meaning() + " (" + spec.source() + ")").build()));
    }
    select.add(lit(runId).as(CustomerFeaturesTable.RUN_ID, new MetadataBuilder().putString("comment",
        "run id of the features run that wrote the snapshot").build()));
    Dataset<Row> table = features.select(select.toArray(Column[]::new)).persist(StorageLevel.MEMORY_AND_DISK());

    String path = config.warehouse().tablePath(CustomerFeaturesTable.NAME);
    String condition = "`" + Snapshots.AS_OF + "` IN (" + dates.stream().map(d -> "DATE'" + d + "'")
        .collect(Collectors.joining(", ")) + ")";
    try (var stage = StageDescription.of(spark, "features: write customer_features")) {
      DeltaTables.replaceWhere(table, path, List.of(Snapshots.AS_OF), condition);
    }
    long rows = logSnapshots(table);
    writeRegistry(spark, config, columns);
    Map<String, Long> written = new LinkedHashMap<>();
    written.put(CustomerFeaturesTable.NAME, rows);
    written.put(CustomerFeaturesTable.REGISTRY, (long) columns.size());
    table.unpersist();
    invoiceFeatures.unpersist();
    if (returns != null) {
      returns.unpersist();
    }
    if (lifetime != null) {
      lifetime.cache().unpersist();
    }
    baskets.unpersist();
    snapshots.unpersist();
    return new JobResult(NAME, written);
  }

  /**
   * (account_key, _ts, _amount) of the returns, amounts positive, with the account of the sale line each was
   * netted against. The returns are broadcast when they are few enough: the join then streams the keyed
   * invoices' two columns instead of shuffling every line of them.
   */
  private static Dataset<Row> returnsWithAccount(Dataset<Row> returns, Dataset<Row> keyedInvoices) {
    Dataset<Row> slim = returns.select(col(Silver.Invoices.RETURNED_LINE_ID),
        col(Source.Invoices.INVOICE_DATE).as(InvoiceFeatures.TS),
        col(Source.Invoices.AMOUNT).cast(DataTypes.DoubleType).multiply(-1).as(InvoiceFeatures.AMOUNT));
    long rows = slim.count();
    Dataset<Row> small = rows <= BROADCAST_RETURNS_MAX_ROWS ? broadcast(slim) : slim;
    log.info("features: {} return lines{}", rows, rows <= BROADCAST_RETURNS_MAX_ROWS ? " (broadcast)" : "");
    return keyedInvoices
        .select(col(Silver.Invoices.LINE_ID).as(Silver.Invoices.RETURNED_LINE_ID), col(Keyed.ACCOUNT_KEY))
        .join(small, Silver.Invoices.RETURNED_LINE_ID)
        .select(col(Keyed.ACCOUNT_KEY), col(InvoiceFeatures.TS), col(InvoiceFeatures.AMOUNT));
  }

  private static long logSnapshots(Dataset<Row> table) {
    long total = 0;
    for (Row r : table.groupBy(Snapshots.AS_OF).agg(count(lit(1)), max(col(Labels.LABELLED)),
        avg(col(Labels.RETURNED)), avg(col(Labels.BOUGHT_TOP_TIER)), avg(col(Labels.REVENUE_NEXT)))
        .orderBy(Snapshots.AS_OF).collectAsList()) {
      total += r.getLong(1);
      if (r.getBoolean(2)) {
        log.info("features: as_of {}: {} accounts; returned {}, bought_top_tier {}, mean revenue_next {}",
            r.getDate(0), r.getLong(1), percent(r, 3), percent(r, 4),
            String.format(Locale.ROOT, "%.2f", r.isNullAt(5) ? 0.0 : r.getDouble(5)));
      } else {
        log.info("features: as_of {}: {} accounts; unlabelled (the label window runs past the data)",
            r.getDate(0), r.getLong(1));
      }
    }
    return total;
  }

  private static String percent(Row r, int i) {
    return r.isNullAt(i) ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100 * r.getDouble(i));
  }

  private static void writeRegistry(SparkSession spark, AppConfig config, List<FeatureSpec> columns) {
    StructType schema = new StructType().add("name", DataTypes.StringType, false, "column of customer_features")
        .add("source", DataTypes.StringType, false, "source (or stage) the column comes from")
        .add("meaning", DataTypes.StringType, false, "what the column holds")
        .add("type", DataTypes.StringType, false, "Spark SQL type");
    List<Row> rows = columns.stream()
        .map(s -> RowFactory.create(s.name(), s.source(), s.meaning(), s.type().simpleString())).toList();
    spark.createDataFrame(rows, schema).write().format("delta").mode(SaveMode.Overwrite)
        .option("overwriteSchema", "true").save(config.warehouse().tablePath(CustomerFeaturesTable.REGISTRY));
  }

  private static Optional<Dataset<Row>> read(SparkSession spark, AppConfig config, String table, String runId) {
    String path = config.warehouse().tablePath(table);
    if (!DeltaTable.isDeltaTable(spark, path)) {
      return Optional.empty();
    }
    Dataset<Row> rows = spark.read().format("delta").load(path).where(col(Lineage.RUN_ID).equalTo(runId));
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows);
  }

  /**
   * The rows hash-partitioned by account_key into the session's shuffle partitions. The baskets are partitioned
   * this way once, so the aggregations of the grid (baskets times snapshots) per (account, as_of) and the joins
   * of their results find each account's rows in one partition already, where each used to shuffle the grid again
   * by its own keys. The other sources' aggregates, a few rows per account, are shuffled to match.
   */
  static Dataset<Row> byAccount(Dataset<Row> rows) {
    return rows.repartition(rows.sparkSession().sessionState().conf().numShufflePartitions(),
        col(Keyed.ACCOUNT_KEY));
  }

  static scala.collection.immutable.Seq<String> seq(String... columns) {
    return scala.jdk.javaapi.CollectionConverters.asScala(List.of(columns)).toSeq();
  }
}

package com.customervalue.score;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.when;

import com.customervalue.config.AppConfig;
import com.customervalue.config.ScoreSettings;
import com.customervalue.errors.CustomerValueException;
import com.customervalue.features.CustomerFeaturesTable;
import com.customervalue.features.FeaturesJob;
import com.customervalue.features.Snapshots;
import com.customervalue.features.families.SupportFeatures;
import com.customervalue.identity.Keyed;
import com.customervalue.job.Job;
import com.customervalue.job.JobResult;
import com.customervalue.job.RunContext;
import com.customervalue.sources.Source;
import com.customervalue.spark.StageDescription;
import com.customervalue.train.SavedModel;
import com.customervalue.warehouse.Lineage;
import io.delta.tables.DeltaTable;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code score}: applies each target's saved model to the snapshot of the score date (by default
 * the newest snapshot of customer_features: the day after the last invoice) and MERGEs one row per
 * account into {@code customer_scores}, so scoring a date again replaces its rows. Then, unless
 * switched off, compares the scored features with each model's training snapshots and writes
 * {@code feature_drift} (see {@link DriftWatch}).
 */
public final class ScoreJob implements Job {
  public static final String NAME = "score";
  private static final Logger log = LoggerFactory.getLogger(ScoreJob.class);
  private static final String REASONS = "_reasons";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> inputTables(AppConfig config) {
    return List.of(CustomerFeaturesTable.NAME, Keyed.table(Source.INVOICES), Keyed.table(Source.CUSTOMERS));
  }

  @Override
  public JobResult run(SparkSession spark, AppConfig config, RunContext context) {
    ScoreSettings settings = config.score();
    String root = config.warehouse().root();
    SavedModel returnModel = SavedModel.find(spark, root, settings.returnTarget(), settings.modelRun())
        .orElseThrow(() -> new CustomerValueException("score: there is no saved model for target '"
            + settings.returnTarget() + "'" + settings.modelRun().map(r -> " from train run '" + r + "'").orElse("")
            + " under " + root + "/models; run train first" + (settings.modelRun().isPresent()
            ? " or set customer-value.score.model-run to a run that saved one" : "")));
    requireKind(returnModel, true);
    Optional<SavedModel> topTierModel = optionalModel(spark, root, settings.topTierTarget(), settings, true);
    Optional<SavedModel> revenueModel = optionalModel(spark, root, settings.revenueTarget(), settings, false);

    Dataset<Row> snapshot = snapshot(spark, config, context);
    LocalDate scoreDate = snapshot.select(Snapshots.AS_OF).first().getDate(0).toLocalDate();
    String featuresRun = snapshot.select(CustomerFeaturesTable.RUN_ID).first().getString(0);
    log.info("score: scoring the {} snapshot (features run {}) with {}", scoreDate, featuresRun,
        describe(returnModel, topTierModel, revenueModel));

    Dataset<Row> scored;
    try (var stage = StageDescription.of(spark, "score: apply the models")) {
      scored = returnModel.score(snapshot, CustomerScores.P_RETURN, REASONS, settings.reasons());
      if (topTierModel.isPresent()) {
        scored = topTierModel.get().score(scored, CustomerScores.P_TOP_TIER, null, 0);
      }
      if (revenueModel.isPresent()) {
        scored = revenueModel.get().score(scored, CustomerScores.EXPECTED_REVENUE, null, 0);
      }
    }
    Dataset<Row> rows = scoreRows(scored, contacts(spark, config, featuresRun), settings, returnModel,
        topTierModel, revenueModel, context.runId());
    String path = config.warehouse().tablePath(CustomerScores.NAME);
    long written;
    try (var stage = StageDescription.of(spark, "score: merge customer_scores")) {
      written = merge(spark, rows, path, scoreDate);
    }
    Map<String, Long> out = new LinkedHashMap<>();
    out.put(CustomerScores.NAME, written);
    List<String> report = summary(spark, path, scoreDate);
    if (settings.drift().enabled()) {
      List<SavedModel> models = new ArrayList<>();
      models.add(returnModel);
      topTierModel.ifPresent(models::add);
      revenueModel.ifPresent(models::add);
      DriftWatch.Outcome drift = DriftWatch.run(spark, config, context, snapshot, scoreDate, models);
      out.put(FeatureDrift.NAME, drift.rows());
      report.add(String.format(Locale.ROOT, "Feature drift (%s): %d of %d features above PSI %s or unseen share %s%s",
          FeatureDrift.NAME, drift.flagged(), drift.rows(), settings.drift().psiWarn(), settings.drift().unseenWarn(),
          drift.flagged() > 0 ? ": train again (the log names them)" : ""));
    } else {
      log.info("score: drift watch off (customer-value.score.drift.enabled = false); {} not written", FeatureDrift.NAME);
    }
    return new JobResult(NAME, out, report);
  }

  private static Optional<SavedModel> optionalModel(SparkSession spark, String root, String target,
      ScoreSettings settings, boolean classification) {
    Optional<SavedModel> model = SavedModel.find(spark, root, target, settings.modelRun());
    if (model.isEmpty()) {
      log.warn("score: no saved model for target '{}'{}; its columns of customer_scores stay empty", target,
          settings.modelRun().map(r -> " from train run " + r).orElse(""));
    }
    model.ifPresent(m -> requireKind(m, classification));
    return model;
  }

  private static void requireKind(SavedModel model, boolean classification) {
    if (model.classification() != classification) {
      throw new CustomerValueException("score: the model of target '" + model.target() + "' (train run "
          + model.runId() + ") is a " + (model.classification() ? "classifier" : "regressor") + ", but "
          + "customer-value.score uses that target for " + (classification ? "a probability" : "an amount"));
    }
  }

  private static String describe(SavedModel r, Optional<SavedModel> t, Optional<SavedModel> v) {
    List<String> parts = new ArrayList<>();
    parts.add(r.target() + "=" + modelId(r));
    t.ifPresent(m -> parts.add(m.target() + "=" + modelId(m)));
    v.ifPresent(m -> parts.add(m.target() + "=" + modelId(m)));
    return String.join(", ", parts);
  }

  private static String modelId(SavedModel m) {
    return m.name() + "@" + m.runId();
  }

  /**
   * The snapshot to score: customer_features at {@code --as-of} (built by the features job for the
   * run that wrote the newest snapshot when the table does not have it yet), else the newest snapshot.
   */
  static Dataset<Row> snapshot(SparkSession spark, AppConfig config, RunContext context) {
    String path = config.warehouse().tablePath(CustomerFeaturesTable.NAME);
    if (!DeltaTable.isDeltaTable(spark, path)) {
      throw new CustomerValueException("score: there is no customer_features table at " + path
          + "; run the features job first");
    }
    Dataset<Row> features = spark.read().format("delta").load(path);
    Row newest = features.orderBy(col(Snapshots.AS_OF).desc()).select(Snapshots.AS_OF, CustomerFeaturesTable.RUN_ID)
        .first();
    LocalDate date = context.asOf().orElse(newest.getDate(0).toLocalDate());
    Dataset<Row> rows = features.where(col(Snapshots.AS_OF).equalTo(Date.valueOf(date)));
    if (rows.isEmpty()) {
      String featuresRun = newest.getString(1);
      log.info("score: customer_features has no {} snapshot; building it from features run {}", date, featuresRun);
      new FeaturesJob().run(spark, config, new RunContext(featuresRun, Optional.of(date), context.startedAt()));
      rows = spark.read().format("delta").load(path).where(col(Snapshots.AS_OF).equalTo(Date.valueOf(date)));
      if (rows.isEmpty()) {
        throw new CustomerValueException("score: no account bought within customer-value.snapshots.lookback-days ("
            + config.snapshots().lookbackDays() + ") before " + date + ", so there is nothing to score on that date");
      }
    }
    return rows;
  }

  /**
   * Per account of features run {@code runId}: the hashes of its e-mail addresses and the newest
   * company name, from the keyed invoices and customer records.
   */
  static Dataset<Row> contacts(SparkSession spark, AppConfig config, String runId) {
    Dataset<Row> all = null;
    for (Source source : List.of(Source.INVOICES, Source.CUSTOMERS)) {
      String path = config.warehouse().tablePath(Keyed.table(source));
      if (!DeltaTable.isDeltaTable(spark, path)) {
        continue;
      }
      Dataset<Row> keyed = spark.read().format("delta").load(path).where(col(Lineage.RUN_ID).equalTo(runId));
      // Customer records carry no date: their company name counts only when no invoice names one.
      Column at = source == Source.INVOICES ? col(Source.Invoices.INVOICE_DATE).cast("timestamp")
          : lit(java.sql.Timestamp.valueOf("1900-01-01 00:00:00"));
      Column company = expr("trim(" + (source == Source.INVOICES ? Source.Invoices.COMPANY : Source.Customers.COMPANY)
          + ")");
      // Keyed the way customer_features is, so a person's account joins on its HMAC, not the e-mail.
      Dataset<Row> part = keyed.select(Keyed.publishedAccountKey().as(Keyed.ACCOUNT_KEY),
          when(col(Keyed.PERSON_KEY).contains("@"), col(Keyed.PERSON_KEY_HASH)).as("_email_hash"),
          company.as("_company"), when(company.notEqual(""), at).as("_at"));
      all = all == null ? part : all.unionByName(part);
    }
    if (all == null) {
      throw new CustomerValueException("score: run " + runId + " has no keyed_invoices table; run identity first");
    }
    return all.where(col(Keyed.ACCOUNT_KEY).isNotNull())
        .groupBy(Keyed.ACCOUNT_KEY)
        .agg(array_sort(collect_set(col("_email_hash"))).as(CustomerScores.EMAIL_HASHES),
            max_by(col("_company"), col("_at")).as(CustomerScores.COMPANY_NAME));
  }

  static Dataset<Row> scoreRows(Dataset<Row> scored, Dataset<Row> contacts, ScoreSettings settings,
      SavedModel returnModel, Optional<SavedModel> topTier, Optional<SavedModel> revenue, String runId) {
    Column pReturn = col(CustomerScores.P_RETURN);
    Column pChurn = lit(1.0).minus(pReturn);
    Column expected = revenue.isPresent() ? col(CustomerScores.EXPECTED_REVENUE) : lit(null).cast("double");
    Column revenue12 = col("revenue_365d");
    Column support12 = has(scored, SupportFeatures.SUPPORT_COST_365D) ? col(SupportFeatures.SUPPORT_COST_365D)
        : lit(0.0);
    // A reason that lowers the probability of returning raises the churn risk by the same amount.
    Column reasons = expr("transform(" + REASONS + ", r -> named_struct('feature', r.feature, 'direction',"
        + " CASE WHEN r.direction = 'up' THEN 'down' ELSE 'up' END, 'contribution', -r.contribution))");
    Column key = col(Keyed.ACCOUNT_KEY);
    Column isDomain = key.contains("@").or(key.startsWith(Keyed.CUSTOMER_ID_KEY_PREFIX))
        .or(key.startsWith(Keyed.PERSON_ACCOUNT_PREFIX)).unary_$bang();
    Dataset<Row> joined = scored.join(contacts, scala.jdk.javaapi.CollectionConverters.asScala(
        List.of(Keyed.ACCOUNT_KEY)).toSeq(), "left");
    List<Column> select = new ArrayList<>();
    for (StructField f : CustomerScores.SCHEMA.fields()) {
      Column c = switch (f.name()) {
        case CustomerScores.SCORE_DATE -> col(Snapshots.AS_OF);
        case CustomerScores.ACCOUNT -> col(Keyed.ACCOUNT_KEY_HASH);
        case CustomerScores.EMAIL_HASHES -> coalesce(col(CustomerScores.EMAIL_HASHES), expr("array()"));
        case CustomerScores.COMPANY_DOMAIN -> when(isDomain, key);
        case CustomerScores.COMPANY_NAME -> col(CustomerScores.COMPANY_NAME);
        case CustomerScores.INDUSTRY -> col("industry");
        case CustomerScores.REGION -> col("state");
        case CustomerScores.P_RETURN -> pReturn;
        case CustomerScores.P_CHURN -> pChurn;
        case CustomerScores.RISK_BAND -> when(pChurn.geq(settings.highRisk()), "high")
            .when(pChurn.geq(settings.mediumRisk()), "medium").otherwise("low");
        case CustomerScores.P_TOP_TIER -> topTier.isPresent() ? col(CustomerScores.P_TOP_TIER) : lit(null);
        case CustomerScores.EXPECTED_REVENUE -> expected;
        case CustomerScores.REVENUE_AT_RISK -> pChurn.multiply(expected);
        case CustomerScores.REVENUE_12M -> revenue12;
        case CustomerScores.SUPPORT_COST_12M -> support12;
        case CustomerScores.ADJUSTED_REVENUE_12M -> revenue12.minus(support12);
        case CustomerScores.P_ALIVE, CustomerScores.EXPECTED_PURCHASES_HORIZON, CustomerScores.EXPECTED_ORDER_VALUE,
            CustomerScores.CLV -> has(scored, f.name()) ? col(f.name()) : lit(null);
        case CustomerScores.TOP_REASONS -> reasons;
        case CustomerScores.RETURN_MODEL -> lit(modelId(returnModel));
        case CustomerScores.TOP_TIER_MODEL -> lit(topTier.map(ScoreJob::modelId).orElse(null));
        case CustomerScores.REVENUE_MODEL -> lit(revenue.map(ScoreJob::modelId).orElse(null));
        case CustomerScores.SCORING_RUN_ID -> lit(runId);
        default -> throw new IllegalStateException("no value for customer_scores." + f.name());
      };
      select.add(c.cast(f.dataType()).as(f.name(), f.metadata()));
    }
    return joined.select(select.toArray(Column[]::new));
  }

  private static boolean has(Dataset<Row> rows, String column) {
    return List.of(rows.columns()).contains(column);
  }

  /**
   * MERGEs the score date's rows into the table on (account, score date) and deletes that date's
   * rows for accounts no longer scored, so a re-run leaves exactly this run's rows for the date.
   */
  static long merge(SparkSession spark, Dataset<Row> rows, String path, LocalDate scoreDate) {
    // The builder reads a relative location as a table name: give it the qualified path.
    com.customervalue.warehouse.DeltaTables.retryingConflicts(path, () -> DeltaTable.createIfNotExists(spark)
        .location(com.customervalue.warehouse.Catalog.qualified(spark, path)).addColumns(CustomerScores.SCHEMA)
        .partitionedBy(CustomerScores.SCORE_DATE)
        .property(CustomerScores.PRODUCER_PROPERTY, NAME)
        .comment("Scores per account and score date: churn risk, top-tier propensity, expected and adjusted revenue")
        .execute());
    // MERGE reads its source more than once: score once and keep the rows.
    Dataset<Row> source = rows.persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
    long count = source.count();
    long unhashed = source.where(col(CustomerScores.ACCOUNT).isNull()).count();
    if (unhashed > 0) {
      throw new CustomerValueException("score: " + unhashed + " of " + count + " accounts of the " + scoreDate
          + " snapshot have no account_key_hash, and customer_scores never holds an unhashed account; run identity"
          + " (with the hash key set) and features again for that run; nothing was written");
    }
    long distinct = source.select(CustomerScores.ACCOUNT).distinct().count();
    if (distinct != count) {
      throw new CustomerValueException("score: " + (count - distinct) + " of " + count + " accounts of the " + scoreDate
          + " snapshot share an account_key_hash; customer_features must have one row per account and as_of");
    }
    String date = "DATE'" + scoreDate + "'";
    // The MERGE leaves exactly this run's rows for the date, so running it again after a conflict is safe.
    com.customervalue.warehouse.DeltaTables.retryingConflicts(path, () -> DeltaTable.forPath(spark, path).as("t")
        .merge(source.as("s"), "t." + CustomerScores.SCORE_DATE + " = " + date + " AND t." + CustomerScores.ACCOUNT
            + " = s." + CustomerScores.ACCOUNT + " AND s." + CustomerScores.SCORE_DATE + " = " + date)
        .whenMatched().updateAll()
        .whenNotMatched().insertAll()
        .whenNotMatchedBySource("t." + CustomerScores.SCORE_DATE + " = " + date).delete()
        // A table written before a column was added (the lifetime-value columns) gains it here.
        .withSchemaEvolution()
        .execute());
    source.unpersist();
    return count;
  }

  /** What the CLI prints: accounts per risk band and the revenue at risk. */
  private static List<String> summary(SparkSession spark, String path, LocalDate scoreDate) {
    List<String> lines = new ArrayList<>();
    lines.add("");
    lines.add("Scores for " + scoreDate + " (customer_scores):");
    lines.add(String.format(Locale.ROOT, "  %-8s %9s %12s %16s %16s", "risk", "accounts", "mean p_churn",
        "expected_revenue", "revenue_at_risk"));
    List<Row> bands = spark.read().format("delta").load(path)
        .where(col(CustomerScores.SCORE_DATE).equalTo(Date.valueOf(scoreDate)))
        .groupBy(CustomerScores.RISK_BAND)
        .agg(org.apache.spark.sql.functions.count(lit(1)), org.apache.spark.sql.functions.avg(CustomerScores.P_CHURN),
            org.apache.spark.sql.functions.sum(CustomerScores.EXPECTED_REVENUE),
            org.apache.spark.sql.functions.sum(CustomerScores.REVENUE_AT_RISK))
        .orderBy(expr("CASE " + CustomerScores.RISK_BAND + " WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END"))
        .collectAsList();
    for (Row r : bands) {
      lines.add(String.format(Locale.ROOT, "  %-8s %9d %12.3f %16.2f %16.2f", r.getString(0), r.getLong(1),
          r.getDouble(2), r.isNullAt(3) ? Double.NaN : r.getDouble(3), r.isNullAt(4) ? Double.NaN : r.getDouble(4)));
    }
    return lines;
  }
}

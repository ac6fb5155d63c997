package com.customervalue.features;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.min_by;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.unix_seconds;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import com.customervalue.config.LifetimeSettings;
import com.customervalue.errors.Errors;
import com.customervalue.errors.ModelFitException;
import com.customervalue.features.lifetime.BgNbd;
import com.customervalue.features.lifetime.Fit;
import com.customervalue.features.lifetime.GammaGamma;
import com.customervalue.identity.Keyed;
import com.customervalue.spark.JavaSerialized;
import com.customervalue.spark.StageDescription;
import java.io.Serializable;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * Probabilistic lifetime value per (account, as_of): a BG/NBD and a Gamma-Gamma model fitted per
 * as_of on every account's purchases before it.
 *
 * <p>Spark computes each account's summary for every snapshot in one pass. The distinct summaries
 * with their counts (not one row per customer) go to one task per as_of, which fits both models there;
 * only the parameters reach the driver, which sends them back to the tasks that predict per summary.
 * Nothing grows on the driver with the number of customers, and the as_of dates fit in parallel.
 *
 * <p>Time convention: a snapshot sees the days before as_of, so its observation ends with the day
 * before as_of. x counts the days with a purchase after the first (several purchases on one day
 * are one transaction, spend summed); t_x = last purchase day - first; T = (as_of - 1 day) - first;
 * all divided by the length of the time unit. This is the convention of Fader, Hardie and Lee's
 * CDNOW calibration period (1997-01-01 to 1997-09-30 inclusive) and of BTYD and lifetimes
 * (calibration period end inclusive): with it the published parameters are reproduced exactly.
 */
public final class LifetimeFeatures {
  public static final String P_ALIVE = "p_alive";
  public static final String EXPECTED_PURCHASES_HORIZON = "expected_purchases_horizon";
  public static final String EXPECTED_ORDER_VALUE = "expected_order_value";
  public static final String CLV = "clv";
  static final String SOURCE = "invoices (BG/NBD, Gamma-Gamma)";

  /** Summary columns: repeat transactions, last - first day, observed days, mean repeat spend. */
  static final String X = "_lt_x";
  static final String TX_DAYS = "_lt_tx_days";
  static final String T_DAYS = "_lt_t_days";
  static final String MEAN_SPEND = "_lt_mean_spend";
  private static final String DAY = "_lt_day";
  private static final String DAY_SPEND = "_lt_day_spend";
  private static final String AS_OF_DAY = "_lt_as_of_day";
  private static final String INDEX = "_lt_as_of_index";
  private static final String THRESHOLD = "_lt_sample_threshold";
  private static final String PREDICTION_FAILURE = "_lt_prediction_failure";
  /** Hash buckets of the fit sample: an account is in it when its bucket is below the as_of's threshold. */
  private static final long SAMPLE_BUCKETS = 1L << 30;
  private static final double SECONDS_PER_DAY = 86_400.0;
  /** Days in a month of the clv sum: a Julian year over twelve. */
  static final double DAYS_PER_MONTH = 365.25 / 12.0;
  private static final Logger log = LoggerFactory.getLogger(LifetimeFeatures.class);

  private LifetimeFeatures() {}

  /** Both models fitted for one as_of; null where a fit failed (on-fit-failure = warn). */
  record Models(Fit<BgNbd> bgNbd, Fit<GammaGamma> gammaGamma) implements Serializable {}

  /**
   * The lifetime columns, and the persisted predictions behind them, which the caller unpersists once the
   * features are written.
   */
  record Computed(Dataset<Row> columns, Dataset<Row> cache) {}

  /** What the fits of one as_of gave: each model's fit, or why it failed. */
  private record Outcome(int index, Fit<BgNbd> bgNbd, ModelFitException bgNbdFailure,
      Fit<GammaGamma> gammaGamma, ModelFitException gammaGammaFailure) implements Serializable {}

  static List<FeatureSpec> specs(LifetimeSettings settings, int horizonDays) {
    return List.of(
        new FeatureSpec(P_ALIVE, SOURCE, "probability the account is still active at as_of (BG/NBD fitted on every"
            + " account's purchases before as_of; 1 for an account with a single purchase day)",
            DataTypes.DoubleType, null),
        new FeatureSpec(EXPECTED_PURCHASES_HORIZON, SOURCE, "expected purchase days in the " + horizonDays
            + " days from as_of (BG/NBD)", DataTypes.DoubleType, null),
        new FeatureSpec(EXPECTED_ORDER_VALUE, SOURCE, "expected spend per purchase day (Gamma-Gamma: the account's"
            + " mean repeat spend shrunk towards the population mean)", DataTypes.DoubleType, null),
        new FeatureSpec(CLV, SOURCE, "expected spend in the " + settings.clvHorizonMonths() + " months from as_of,"
            + " discounted monthly at " + String.format(Locale.ROOT, "%.4g", settings.annualDiscountRate())
            + " a year (expected_order_value x discounted expected purchases)", DataTypes.DoubleType, null));
  }

  /**
   * Per account and snapshot, from the purchases strictly before as_of: (account_key, as_of,
   * {@link #X}, {@link #TX_DAYS}, {@link #T_DAYS}, {@link #MEAN_SPEND}). Days are UTC calendar days;
   * {@link #MEAN_SPEND} is null when x = 0.
   *
   * @param purchases (account_key, _ts, _amount): baskets ({@link InvoiceFeatures#baskets}) or lines
   */
  static Dataset<Row> summaries(Dataset<Row> purchases, Dataset<Row> snapshots) {
    // Day numbers since the epoch in UTC, whatever the session time zone.
    Dataset<Row> days = purchases
        .withColumn(DAY, floor(unix_seconds(col(InvoiceFeatures.TS)).divide(SECONDS_PER_DAY))
            .cast(DataTypes.IntegerType))
        .groupBy(col(Keyed.ACCOUNT_KEY), col(DAY))
        .agg(sum(col(InvoiceFeatures.AMOUNT)).as(DAY_SPEND));
    Dataset<Row> grid = snapshots.select(col(Snapshots.AS_OF),
        floor(unix_seconds(col(Snapshots.AS_OF_TS)).divide(SECONDS_PER_DAY)).cast(DataTypes.IntegerType).as(AS_OF_DAY));
    Column n = count(lit(1));
    Dataset<Row> perSnapshot = days.join(broadcast(grid), col(DAY).lt(col(AS_OF_DAY)))
        .groupBy(col(Keyed.ACCOUNT_KEY), col(Snapshots.AS_OF), col(AS_OF_DAY))
        .agg(n.minus(1).cast(DataTypes.IntegerType).as(X), min(col(DAY)).as("_first"), max(col(DAY)).as("_last"),
            sum(col(DAY_SPEND)).as("_total"), min_by(col(DAY_SPEND), col(DAY)).as("_first_spend"));
    return perSnapshot.select(col(Keyed.ACCOUNT_KEY), col(Snapshots.AS_OF), col(X),
        col("_last").minus(col("_first")).as(TX_DAYS),
        col(AS_OF_DAY).minus(1).minus(col("_first")).as(T_DAYS),
        when(col(X).gt(0), col("_total").minus(col("_first_spend")).divide(col(X))).as(MEAN_SPEND));
  }

  /**
   * Fits both models for every as_of of {@code summaries}, one Spark task per as_of: the distinct BG/NBD
   * and Gamma-Gamma groups with their counts go to the task of their as_of, never to the driver, and
   * only the fitted parameters come back. An as_of with more than {@code fit-max-customers} customers is
   * fitted on a sample of them, picked by a hash of the account key (so a re-run picks the same accounts).
   *
   * @return the models per as_of; a model whose fit failed is null (on-fit-failure = warn)
   * @throws ModelFitException when a fit fails and on-fit-failure = fail
   */
  static Map<LocalDate, Models> fit(SparkSession spark, Dataset<Row> summaries, LifetimeSettings settings) {
    List<Row> counts;
    try (var stage = StageDescription.of(spark, "features: lifetime customers per as_of")) {
      counts = summaries.groupBy(col(Snapshots.AS_OF)).agg(count(lit(1))).collectAsList();
    }
    TreeMap<LocalDate, Long> customers = new TreeMap<>();
    counts.forEach(r -> customers.put(r.getDate(0).toLocalDate(), r.getLong(1)));
    List<LocalDate> dates = new ArrayList<>(customers.keySet());
    if (dates.isEmpty()) {
      return Map.of();
    }
    List<Row> plan = new ArrayList<>();
    for (int i = 0; i < dates.size(); i++) {
      long n = customers.get(dates.get(i));
      long threshold = n <= settings.fitMaxCustomers() ? SAMPLE_BUCKETS
          : Math.round((double) settings.fitMaxCustomers() / n * SAMPLE_BUCKETS);
      plan.add(RowFactory.create(Date.valueOf(dates.get(i)), i, threshold));
    }
    Dataset<Row> sampled = summaries
        .join(broadcast(spark.createDataFrame(plan, new StructType().add(Snapshots.AS_OF, DataTypes.DateType)
            .add(INDEX, DataTypes.IntegerType).add(THRESHOLD, DataTypes.LongType))), FeaturesJob.seq(Snapshots.AS_OF))
        .where(pmod(xxhash64(col(Keyed.ACCOUNT_KEY)), lit(SAMPLE_BUCKETS)).lt(col(THRESHOLD)));
    Dataset<Row> bgGroups = sampled.groupBy(col(INDEX), col(X), col(TX_DAYS), col(T_DAYS)).agg(count(lit(1)).as("_n"));
    Dataset<Row> ggGroups = sampled.where(col(X).gt(0).and(col(MEAN_SPEND).gt(0)))
        .groupBy(col(INDEX), col(X), col(MEAN_SPEND)).agg(count(lit(1)).as("_n"));
    // Both kinds of group in one shuffle: (index, kind, x, u, v, n), u and v the model's summary values.
    Dataset<Row> both = bgGroups.select(col(INDEX), lit(0).as("_kind"), col(X),
            col(TX_DAYS).cast(DataTypes.DoubleType).as("_u"), col(T_DAYS).cast(DataTypes.DoubleType).as("_v"),
            col("_n"))
        .unionByName(ggGroups.select(col(INDEX), lit(1).as("_kind"), col(X), col(MEAN_SPEND).as("_u"),
            lit(0.0).as("_v"), col("_n")));
    List<JavaSerialized<Outcome>> outcomes;
    try (var stage = StageDescription.of(spark, "features: lifetime fits (BG/NBD, Gamma-Gamma), one task per as_of")) {
      // Keys 0..n-1 into n partitions: the hash partitioner puts each as_of alone in its own task.
      outcomes = both.javaRDD().mapToPair(r -> new Tuple2<>(r.getInt(0), r))
          .partitionBy(new HashPartitioner(dates.size()))
          .mapPartitions(rows -> fitOne(rows, dates, settings))
          .collect();
    }
    Map<Integer, Outcome> byIndex = new TreeMap<>();
    outcomes.stream().map(JavaSerialized::get).forEach(o -> byIndex.put(o.index(), o));
    Map<LocalDate, Models> models = new TreeMap<>();
    for (int i = 0; i < dates.size(); i++) {
      String what = "as_of " + dates.get(i);
      Outcome o = byIndex.get(i);
      if (o == null) {
        o = new Outcome(i, null, Errors.modelFit("BG/NBD", what, "no customer in the sample of "
            + customers.get(dates.get(i)) + " (customer-value.lifetime.fit-max-customers)", null, Double.NaN), null,
            null);
      }
      Fit<BgNbd> bgFit = accept(settings, o.bgNbd(), o.bgNbdFailure(),
          "p_alive, expected_purchases_horizon, expected_order_value and clv");
      if (bgFit != null) {
        String sample = bgFit.customers() < customers.get(dates.get(i))
            ? " (a sample of " + customers.get(dates.get(i)) + ", customer-value.lifetime.fit-max-customers)" : "";
        log.info("features: lifetime {}: BG/NBD {} (time in {}), log-likelihood {} over {} customers{}, {} evaluations",
            what, bgFit.model(), settings.timeUnit().id(), String.format(Locale.ROOT, "%.4f",
                bgFit.logLikelihood()), bgFit.customers(), sample, bgFit.evaluations());
        if (bgFit.model().noDropout()) {
          log.warn("features: lifetime {}: the BG/NBD likelihood is highest as a goes to 0, where nobody drops out:"
              + " p_alive is 1 for every account and expected purchases follow each account's own rate", what);
        }
      }
      Fit<GammaGamma> ggFit = bgFit == null ? null
          : accept(settings, o.gammaGamma(), o.gammaGammaFailure(), "expected_order_value and clv");
      if (ggFit != null) {
        log.info("features: lifetime {}: Gamma-Gamma {}, log-likelihood {} over {} repeat customers, {} evaluations",
            what, ggFit.model(), String.format(Locale.ROOT, "%.4f", ggFit.logLikelihood()), ggFit.customers(),
            ggFit.evaluations());
      }
      models.put(dates.get(i), new Models(bgFit, ggFit));
    }
    return models;
  }

  /**
   * The task of one as_of: its groups sorted (shuffles deliver them in any order; summed in a fixed order,
   * the same data give the same fit bit for bit), then the BG/NBD fit and, when it succeeds, Gamma-Gamma.
   */
  private static Iterator<JavaSerialized<Outcome>> fitOne(Iterator<Tuple2<Integer, Row>> rows, List<LocalDate> dates,
      LifetimeSettings settings) {
    if (!rows.hasNext()) {
      return Collections.emptyIterator();
    }
    List<Row> groups = new ArrayList<>();
    int index = -1;
    while (rows.hasNext()) {
      Tuple2<Integer, Row> next = rows.next();
      index = next._1();
      groups.add(next._2());
    }
    groups.sort(Comparator.<Row>comparingInt(r -> r.getInt(1)).thenComparingInt(r -> r.getInt(2))
        .thenComparingDouble(r -> r.getDouble(3)).thenComparingDouble(r -> r.getDouble(4)));
    double unit = settings.timeUnit().days();
    List<BgNbd.Group> bg = new ArrayList<>();
    List<GammaGamma.Group> gg = new ArrayList<>();
    for (Row r : groups) {
      if (r.getInt(1) == 0) {
        bg.add(new BgNbd.Group(r.getInt(2), r.getDouble(3) / unit, r.getDouble(4) / unit, r.getLong(5)));
      } else {
        gg.add(new GammaGamma.Group(r.getInt(2), r.getDouble(3), r.getLong(5)));
      }
    }
    String what = "as_of " + dates.get(index);
    Fit<BgNbd> bgFit = null;
    Fit<GammaGamma> ggFit = null;
    ModelFitException bgFailure = null;
    ModelFitException ggFailure = null;
    try {
      bgFit = BgNbd.fit(bg, what, settings.minCustomers(), settings.minRepeatCustomers(), settings.tolerance(),
          settings.maxEvaluations());
    } catch (ModelFitException e) {
      bgFailure = e;
    }
    if (bgFit != null) {
      try {
        ggFit = GammaGamma.fit(gg, what, settings.minRepeatCustomers(), settings.tolerance(),
            settings.maxEvaluations());
      } catch (ModelFitException e) {
        ggFailure = e;
      }
    }
    // Wrapped: the task result goes through spark.serializer, and Kryo cannot write the records inside.
    return List.of(JavaSerialized.of(new Outcome(index, bgFit, bgFailure, ggFit, ggFailure))).iterator();
  }

  /**
   * A fit, or when it failed: stops the job ({@code lifetime.on-fit-failure = fail}) or logs why and
   * returns null, so the columns the model feeds stay empty for that as_of.
   */
  private static <M extends Serializable> Fit<M> accept(LifetimeSettings settings, Fit<M> fit,
      ModelFitException failure, String columns) {
    if (failure == null) {
      return fit;
    }
    if (settings.failOnFitError()) {
      throw failure;
    }
    log.warn("features: {}; {} stay empty for that as_of (customer-value.lifetime.on-fit-failure = warn)",
        failure.getMessage(), columns);
    return null;
  }

  /**
   * (account_key, as_of, p_alive, expected_purchases_horizon, expected_order_value, clv) for every
   * account with a purchase before as_of, for every snapshot. Predictions run in the tasks, each summary
   * with its as_of's models.
   *
   * @throws ModelFitException when a fit or a prediction fails and on-fit-failure = fail
   */
  static Computed compute(SparkSession spark, Dataset<Row> purchases, Dataset<Row> snapshots,
      LifetimeSettings settings, int horizonDays) {
    Dataset<Row> summaries = summaries(purchases, snapshots).persist(StorageLevel.MEMORY_AND_DISK());
    HashMap<LocalDate, Models> models = new HashMap<>(fit(spark, summaries, settings));
    StructType schema = new StructType().add(Keyed.ACCOUNT_KEY, DataTypes.StringType)
        .add(Snapshots.AS_OF, DataTypes.DateType).add(P_ALIVE, DataTypes.DoubleType)
        .add(EXPECTED_PURCHASES_HORIZON, DataTypes.DoubleType).add(EXPECTED_ORDER_VALUE, DataTypes.DoubleType)
        .add(CLV, DataTypes.DoubleType).add(PREDICTION_FAILURE, DataTypes.StringType);
    Dataset<Row> predicted = summaries
        .select(col(Keyed.ACCOUNT_KEY), col(Snapshots.AS_OF), col(X), col(TX_DAYS), col(T_DAYS), col(MEAN_SPEND))
        .map((MapFunction<Row, Row>) r -> predictRow(r, models, settings, horizonDays), Encoders.row(schema))
        .persist(StorageLevel.MEMORY_AND_DISK());
    Row failures;
    try (var stage = StageDescription.of(spark, "features: lifetime predictions")) {
      failures = predicted.agg(count(col(PREDICTION_FAILURE)), min(col(PREDICTION_FAILURE))).first();
    }
    summaries.unpersist();
    if (failures.getLong(0) > 0) {
      if (settings.failOnFitError()) {
        predicted.unpersist();
        throw Errors.lifetimePredictions(failures.getLong(0), failures.getString(1));
      }
      log.warn("features: the fitted BG/NBD model cannot predict for {} customer summaries, whose p_alive,"
          + " expected_purchases_horizon and clv stay empty (customer-value.lifetime.on-fit-failure = warn);"
          + " one of them: {}", failures.getLong(0), failures.getString(1));
    }
    return new Computed(predicted.drop(PREDICTION_FAILURE), predicted);
  }

  /** One summary's predictions with its as_of's models; the last column says why a prediction failed. */
  private static Row predictRow(Row r, Map<LocalDate, Models> models, LifetimeSettings settings, int horizonDays) {
    Date asOf = r.getDate(1);
    Models m = models.get(asOf.toLocalDate());
    Double alive = null;
    Double inHorizon = null;
    Double discounted = null;
    Double orderValue = null;
    String failure = null;
    int x = r.getInt(2);
    if (m != null && m.bgNbd() != null) {
      double unit = settings.timeUnit().days();
      try {
        double[] p = predict(m.bgNbd().model(), x, r.getInt(3) / unit, r.getInt(4) / unit, horizonDays / unit,
            settings, "as_of " + asOf);
        alive = p[0];
        inHorizon = p[1];
        discounted = p[2];
      } catch (ModelFitException e) {
        failure = e.getMessage();
      }
    }
    if (m != null && m.gammaGamma() != null) {
      GammaGamma gg = m.gammaGamma().model();
      // Accounts without a repeat purchase get the population mean p gamma / (q - 1).
      double value = x > 0 ? (r.isNullAt(5) ? Double.NaN : gg.expectedOrderValue(x, r.getDouble(5)))
          : gg.p() * gg.gamma() / (gg.q() - 1);
      orderValue = Double.isFinite(value) ? value : null;
    }
    Double clv = orderValue == null || discounted == null ? null : orderValue * discounted;
    return RowFactory.create(r.getString(0), asOf, alive, inHorizon, orderValue, clv, failure);
  }

  /**
   * (p_alive, expected purchases in the horizon, discounted expected purchases over the clv horizon)
   * for one summary, times in the model's unit. Month i of the clv horizon contributes
   * (E[Y(t_i)] - E[Y(t_(i-1))]) / (1 + monthly rate)^i.
   */
  static double[] predict(BgNbd model, int x, double tx, double t, double horizon, LifetimeSettings settings,
      String what) {
    try {
      double alive = model.probabilityAlive(x, tx, t);
      double inHorizon = model.expectedPurchases(horizon, x, tx, t);
      double month = DAYS_PER_MONTH / settings.timeUnit().days();
      double rate = settings.monthlyDiscountRate();
      double discounted = 0.0;
      double previous = 0.0;
      for (int i = 1; i <= settings.clvHorizonMonths(); i++) {
        double cumulative = model.expectedPurchases(i * month, x, tx, t);
        discounted += (cumulative - previous) / Math.pow(1.0 + rate, i);
        previous = cumulative;
      }
      if (!Double.isFinite(alive) || !Double.isFinite(inHorizon) || !Double.isFinite(discounted)) {
        throw new ArithmeticException("a prediction is not finite (p_alive " + alive + ", expected purchases "
            + inHorizon + ", discounted " + discounted + ")");
      }
      return new double[] {alive, inHorizon, discounted};
    } catch (ArithmeticException e) {
      throw Errors.modelFit("BG/NBD", what, "cannot predict for x=" + x + ", t_x=" + tx
          + ", T=" + t + ": " + e.getMessage(), model.toString(), Double.NaN);
    }
  }
}

package com.customervalue.features;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.min_by;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.unix_seconds;
import static org.apache.spark.sql.functions.when;

import com.customervalue.config.LifetimeSettings;
import com.customervalue.errors.CustomerValueException;
import com.customervalue.errors.Errors;
import com.customervalue.errors.ModelFitException;
import com.customervalue.features.lifetime.BgNbd;
import com.customervalue.features.lifetime.Fit;
import com.customervalue.features.lifetime.GammaGamma;
import com.customervalue.identity.Keyed;
import com.customervalue.spark.StageDescription;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probabilistic lifetime value per (account, as_of): a BG/NBD and a Gamma-Gamma model fitted per
 * as_of on every account's purchases before it.
 *
 * <p>Spark computes each account's summary for every snapshot in one pass; the driver collects the
 * distinct summaries with their counts (not one row per customer), fits both models per as_of,
 * predicts per distinct (x, t_x, T) and hands those predictions back as a small table that is joined
 * to the summaries. The expected order value and clv are column expressions on the joined parameters.
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
  private static final String DISCOUNTED = "_lt_discounted_purchases";
  private static final String GG_P = "_lt_gg_p";
  private static final String GG_Q = "_lt_gg_q";
  private static final String GG_GAMMA = "_lt_gg_gamma";
  private static final double SECONDS_PER_DAY = 86_400.0;
  /** Days in a month of the clv sum: a Julian year over twelve. */
  static final double DAYS_PER_MONTH = 365.25 / 12.0;
  private static final Logger log = LoggerFactory.getLogger(LifetimeFeatures.class);

  private LifetimeFeatures() {}

  /** Both models fitted for one as_of. */
  record Models(Fit<BgNbd> bgNbd, Fit<GammaGamma> gammaGamma) {}

  /**
   * The models per as_of, and the distinct (as_of, x, t_x days, T days) the predictions are made for.
   */
  record Fitted(Map<LocalDate, Models> models, List<Row> triples) {}

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
   * Fits both models for every as_of of {@code summaries}: one collect of the distinct BG/NBD and
   * Gamma-Gamma groups with their counts for all snapshots, then the fits on the driver.
   *
   * @throws CustomerValueException when there are more than {@code maxGroups} groups or a fit fails
   */
  static Fitted fit(SparkSession spark, Dataset<Row> summaries, LifetimeSettings settings) {
    Dataset<Row> bgGroups = summaries.groupBy(col(Snapshots.AS_OF), col(X), col(TX_DAYS), col(T_DAYS))
        .agg(count(lit(1)).as("_n"));
    Dataset<Row> ggGroups = summaries.where(col(X).gt(0).and(col(MEAN_SPEND).gt(0)))
        .groupBy(col(Snapshots.AS_OF), col(X), col(MEAN_SPEND)).agg(count(lit(1)).as("_n"));
    // Tag the two kinds and collect them together: one job, capped one row past the limit.
    Dataset<Row> both = bgGroups.select(col(Snapshots.AS_OF), lit(0).as("_kind"), col(X),
            col(TX_DAYS).cast(DataTypes.DoubleType).as("_u"), col(T_DAYS).cast(DataTypes.DoubleType).as("_v"),
            col("_n"))
        .unionByName(ggGroups.select(col(Snapshots.AS_OF), lit(1).as("_kind"), col(X), col(MEAN_SPEND).as("_u"),
            lit(0.0).as("_v"), col("_n")));
    List<Row> rows;
    try (var stage = StageDescription.of(spark, "features: lifetime summaries for the fits")) {
      rows = new ArrayList<>(both.limit(settings.maxGroups() + 1).collectAsList());
    }
    // Shuffles return groups in any order; summed in a fixed order, the same data give the same fit bit for bit.
    rows.sort(java.util.Comparator.<Row, Date>comparing(r -> r.getDate(0)).thenComparingInt(r -> r.getInt(1))
        .thenComparingInt(r -> r.getInt(2)).thenComparingDouble(r -> r.getDouble(3))
        .thenComparingDouble(r -> r.getDouble(4)));
    if (rows.size() > settings.maxGroups()) {
      throw new CustomerValueException("features: the lifetime-value fits need more than "
          + settings.maxGroups() + " distinct customer summaries over all snapshots on the driver"
          + " (customer-value.lifetime.max-groups); raise it with the driver's memory, use fewer as_of dates,"
          + " or set customer-value.lifetime.enabled = false");
    }
    double unit = settings.timeUnit().days();
    Map<LocalDate, List<BgNbd.Group>> bg = new TreeMap<>();
    Map<LocalDate, List<GammaGamma.Group>> gg = new TreeMap<>();
    List<Row> keys = new ArrayList<>();
    for (Row r : rows) {
      LocalDate asOf = r.getDate(0).toLocalDate();
      if (r.getInt(1) == 0) {
        keys.add(RowFactory.create(r.getDate(0), r.getInt(2), (int) r.getDouble(3), (int) r.getDouble(4)));
        bg.computeIfAbsent(asOf, d -> new ArrayList<>())
            .add(new BgNbd.Group(r.getInt(2), r.getDouble(3) / unit, r.getDouble(4) / unit, r.getLong(5)));
      } else {
        gg.computeIfAbsent(asOf, d -> new ArrayList<>()).add(new GammaGamma.Group(r.getInt(2), r.getDouble(3),
            r.getLong(5)));
      }
    }
    Map<LocalDate, Models> models = new TreeMap<>();
    for (Map.Entry<LocalDate, List<BgNbd.Group>> e : bg.entrySet()) {
      String what = "as_of " + e.getKey();
      Fit<BgNbd> bgFit = attempt(settings, "p_alive, expected_purchases_horizon, expected_order_value and clv",
          () -> BgNbd.fit(e.getValue(), what, settings.minCustomers(), settings.minRepeatCustomers(),
              settings.tolerance(), settings.maxEvaluations()));
      if (bgFit != null) {
        log.info("features: lifetime {}: BG/NBD {} (time in {}), log-likelihood {} over {} customers, {} evaluations",
            what, bgFit.model(), settings.timeUnit().id(), String.format(Locale.ROOT, "%.4f",
                bgFit.logLikelihood()), bgFit.customers(), bgFit.evaluations());
        if (bgFit.model().noDropout()) {
          log.warn("features: lifetime {}: the BG/NBD likelihood is highest as a goes to 0, where nobody drops out:"
              + " p_alive is 1 for every account and expected purchases follow each account's own rate", what);
        }
      }
      Fit<GammaGamma> ggFit = bgFit == null ? null : attempt(settings, "expected_order_value and clv",
          () -> GammaGamma.fit(gg.getOrDefault(e.getKey(), List.of()), what, settings.minRepeatCustomers(),
              settings.tolerance(), settings.maxEvaluations()));
      if (ggFit != null) {
        log.info("features: lifetime {}: Gamma-Gamma {}, log-likelihood {} over {} repeat customers, {} evaluations",
            what, ggFit.model(), String.format(Locale.ROOT, "%.4f", ggFit.logLikelihood()), ggFit.customers(),
            ggFit.evaluations());
      }
      models.put(e.getKey(), new Models(bgFit, ggFit));
    }
    return new Fitted(models, keys);
  }

  /**
   * Runs a fit; when it fails, stops the job ({@code lifetime.on-fit-failure = fail}) or logs why and
   * returns null, so the columns the model feeds stay empty for that as_of.
   */
  private static <T> T attempt(LifetimeSettings settings, String columns, java.util.function.Supplier<T> fit) {
    try {
      return fit.get();
    } catch (ModelFitException e) {
      if (settings.failOnFitError()) {
        throw e;
      }
      log.warn("features: {}; {} stay empty for that as_of (customer-value.lifetime.on-fit-failure = warn)",
          e.getMessage(), columns);
      return null;
    }
  }

  /**
   * (account_key, as_of, p_alive, expected_purchases_horizon, expected_order_value, clv) for every
   * account with a purchase before as_of, for every snapshot.
   */
  static Dataset<Row> compute(SparkSession spark, Dataset<Row> purchases, Dataset<Row> snapshots,
      LifetimeSettings settings, int horizonDays) {
    Dataset<Row> summaries = summaries(purchases, snapshots).persist(StorageLevel.MEMORY_AND_DISK());
    Fitted fitted = fit(spark, summaries, settings);
    Map<LocalDate, Models> models = fitted.models();
    List<Row> triples = fitted.triples();
    double unit = settings.timeUnit().days();
    List<Row> predictions = new ArrayList<>(triples.size());
    for (Row r : triples) {
      LocalDate asOf = r.getDate(0).toLocalDate();
      Fit<BgNbd> fit = models.get(asOf).bgNbd();
      if (fit == null) {
        continue;
      }
      int x = r.getInt(1);
      double tx = r.getInt(2) / unit;
      double t = r.getInt(3) / unit;
      double[] p = attempt(settings, "p_alive, expected_purchases_horizon and clv of that summary",
          () -> predict(fit.model(), x, tx, t, horizonDays / unit, settings, "as_of " + asOf));
      if (p != null) {
        predictions.add(RowFactory.create(r.getDate(0), x, r.getInt(2), r.getInt(3), p[0], p[1], p[2]));
      }
    }
    StructType predictionSchema = new StructType().add(Snapshots.AS_OF, DataTypes.DateType)
        .add(X, DataTypes.IntegerType)
        .add(TX_DAYS, DataTypes.IntegerType).add(T_DAYS, DataTypes.IntegerType).add(P_ALIVE, DataTypes.DoubleType)
        .add(EXPECTED_PURCHASES_HORIZON, DataTypes.DoubleType).add(DISCOUNTED, DataTypes.DoubleType);
    List<Row> params = new ArrayList<>();
    models.forEach((asOf, m) -> {
      if (m.gammaGamma() != null) {
        params.add(RowFactory.create(Date.valueOf(asOf), m.gammaGamma().model().p(), m.gammaGamma().model().q(),
            m.gammaGamma().model().gamma()));
      }
    });
    StructType paramSchema = new StructType().add(Snapshots.AS_OF, DataTypes.DateType).add(GG_P, DataTypes.DoubleType)
        .add(GG_Q, DataTypes.DoubleType).add(GG_GAMMA, DataTypes.DoubleType);

    Column p = col(GG_P);
    Column q = col(GG_Q);
    Column gamma = col(GG_GAMMA);
    Column x = col(X);
    // Accounts without a repeat purchase get the population mean p gamma / (q - 1).
    Column orderValue = when(x.gt(0), gamma.plus(col(MEAN_SPEND).multiply(x)).multiply(p)
        .divide(p.multiply(x).plus(q).minus(1)))
        .otherwise(p.multiply(gamma).divide(q.minus(1)));
    // Left joins: an as_of (or a summary) whose fit failed keeps its accounts with empty columns.
    return summaries
        .join(broadcast(spark.createDataFrame(predictions, predictionSchema)),
            FeaturesJob.seq(Snapshots.AS_OF, X, TX_DAYS, T_DAYS), "left")
        .join(broadcast(spark.createDataFrame(params, paramSchema)), FeaturesJob.seq(Snapshots.AS_OF), "left")
        .withColumn(EXPECTED_ORDER_VALUE, orderValue)
        .select(col(Keyed.ACCOUNT_KEY), col(Snapshots.AS_OF), col(P_ALIVE), col(EXPECTED_PURCHASES_HORIZON),
            col(EXPECTED_ORDER_VALUE), col(EXPECTED_ORDER_VALUE).multiply(col(DISCOUNTED)).as(CLV));
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

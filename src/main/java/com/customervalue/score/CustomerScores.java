package com.customervalue.score;

import static com.customervalue.warehouse.Tables.field;

import com.customervalue.features.LifetimeFeatures;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** The {@code customer_scores} table: one row per account and score date, what the BI tool reads. */
public final class CustomerScores {
  public static final String NAME = "customer_scores";
  public static final String SCORE_DATE = "score_date";
  public static final String ACCOUNT = "account_key_hash";
  public static final String EMAIL_HASHES = "email_hashes";
  public static final String COMPANY_DOMAIN = "company_domain";
  public static final String COMPANY_NAME = "company_name";
  public static final String INDUSTRY = "industry";
  public static final String REGION = "region";
  public static final String P_RETURN = "p_return";
  public static final String P_CHURN = "p_churn";
  public static final String RISK_BAND = "risk_band";
  public static final String P_TOP_TIER = "p_top_tier";
  public static final String EXPECTED_REVENUE = "expected_revenue";
  public static final String REVENUE_AT_RISK = "revenue_at_risk";
  public static final String REVENUE_12M = "revenue_12m";
  public static final String SUPPORT_COST_12M = "support_cost_12m";
  public static final String ADJUSTED_REVENUE_12M = "adjusted_revenue_12m";
  /** The lifetime-value columns, copied from the scored snapshot of customer_features. */
  public static final String P_ALIVE = LifetimeFeatures.P_ALIVE;
  public static final String EXPECTED_PURCHASES_HORIZON = LifetimeFeatures.EXPECTED_PURCHASES_HORIZON;
  public static final String EXPECTED_ORDER_VALUE = LifetimeFeatures.EXPECTED_ORDER_VALUE;
  public static final String CLV = LifetimeFeatures.CLV;
  public static final String TOP_REASONS = "top_reasons";
  public static final String RETURN_MODEL = "return_model";
  public static final String TOP_TIER_MODEL = "top_tier_model";
  public static final String REVENUE_MODEL = "revenue_model";
  public static final String SCORING_RUN_ID = "scoring_run_id";

  /** Table properties: which job writes the table, for whoever finds it in a catalog. */
  public static final String PRODUCER_PROPERTY = "customer_value.producer";

  public static final StructType SCHEMA = new StructType(new StructField[] {
      field(SCORE_DATE, DataTypes.DateType, "Date the scores are for: features use events before it"),
      field(ACCOUNT, DataTypes.StringType, "The account: HMAC-SHA256 of its key (corporate domain or person)"),
      field(EMAIL_HASHES, DataTypes.createArrayType(DataTypes.StringType, true),
          "HMAC-SHA256 of the account's normalised e-mail addresses seen on invoices and customer records"),
      field(COMPANY_DOMAIN, DataTypes.StringType, "Registrable company domain; empty for free-mail individuals"),
      field(COMPANY_NAME, DataTypes.StringType, "Company name from the newest invoice or customer record naming one"),
      field(INDUSTRY, DataTypes.StringType, "Industry from the customer records (unknown when none)"),
      field(REGION, DataTypes.StringType, "State or region from the customer records (unknown when none)"),
      field(P_RETURN, DataTypes.DoubleType, "Probability the account buys again within the horizon"),
      field(P_CHURN, DataTypes.DoubleType, "Probability the account does not buy again within the horizon: 1 - p_return"),
      field(RISK_BAND, DataTypes.StringType, "high, medium or low churn risk (bands in customer-value.score.risk-bands)"),
      field(P_TOP_TIER, DataTypes.DoubleType, "Probability the account buys the top license tier within the horizon"),
      field(EXPECTED_REVENUE, DataTypes.DoubleType, "Expected revenue within the horizon (revenue model)"),
      field(REVENUE_AT_RISK, DataTypes.DoubleType, "p_churn x expected_revenue"),
      field(REVENUE_12M, DataTypes.DoubleType, "Revenue in the 12 months before score_date, net of returns"),
      field(SUPPORT_COST_12M, DataTypes.DoubleType,
          "Support cost of tickets opened in the 12 months before score_date: open days x cost per day"),
      field(ADJUSTED_REVENUE_12M, DataTypes.DoubleType, "revenue_12m - support_cost_12m"),
      field(P_ALIVE, DataTypes.DoubleType, "Probability the account is still active (BG/NBD model fitted on the"
          + " purchases before score_date); empty when customer-value.lifetime.enabled = false"),
      field(EXPECTED_PURCHASES_HORIZON, DataTypes.DoubleType, "Expected purchase days within the horizon"
          + " (customer-value.snapshots.horizon-days) after score_date (BG/NBD)"),
      field(EXPECTED_ORDER_VALUE, DataTypes.DoubleType, "Expected spend per purchase day (Gamma-Gamma model)"),
      field(CLV, DataTypes.DoubleType, "Probabilistic lifetime value: expected spend over"
          + " customer-value.lifetime.clv-horizon-months after score_date, discounted (expected_order_value x"
          + " discounted expected purchases)"),
      // Delta refuses NOT NULL inside arrays, so the elements are declared nullable.
      field(TOP_REASONS, DataTypes.createArrayType(new StructType().add("feature", DataTypes.StringType)
          .add("direction", DataTypes.StringType).add("contribution", DataTypes.DoubleType), true), "Features that raise (up) or lower (down) the account's churn"
          + " risk most, with their contribution (log-odds for logistic models, probability for trees)"),
      field(RETURN_MODEL, DataTypes.StringType, "Model behind p_return: name@train run id"),
      field(TOP_TIER_MODEL, DataTypes.StringType, "Model behind p_top_tier: name@train run id"),
      field(REVENUE_MODEL, DataTypes.StringType, "Model behind expected_revenue: name@train run id"),
      field(SCORING_RUN_ID, DataTypes.StringType, "Run id of the score job that wrote the row")});

  private CustomerScores() {}
}

package com.customervalue.sample;

/**
 * Every effect size the sample generator plants, in one place.
 *
 * <p>The latent model is a daily hazard model per account. While an account is alive it places an
 * order on day {@code t} with probability {@code 1 - exp(-rate(t))} and then drops out (for good)
 * with probability {@code dropout(t)}:
 *
 * <pre>
 * rate(t)    = BASE_PURCHASE_RATE_PER_DAY * exp(frailty + industry.rateLog
 *                + DISTANCE_RATE_LOG * ln(1 + km / DISTANCE_SCALE_KM) + ORDER_SIZE_RATE_LOG * orderZ
 *                + [individual] INDIVIDUAL_RATE_LOG + [bought in August] AUGUST_RATE_LOG
 *                + [bought SLS] SLS_RATE_LOG + ln(strongest press release factor active on t))
 *              * (WEEKEND_RATE_FACTOR on Saturdays and Sundays)
 * dropout(t) = min(MAX_DROPOUT_PER_DAY, BASE_DROPOUT_PER_DAY * exp(industry.dropoutLog
 *                + DISTANCE_DROPOUT_LOG * ln(1 + km / DISTANCE_SCALE_KM) + ORDER_SIZE_DROPOUT_LOG * orderZ
 *                + [individual] INDIVIDUAL_DROPOUT_LOG + [bought in August] AUGUST_DROPOUT_LOG
 *                + [bought SLS] SLS_DROPOUT_LOG
 *                + SUPPORT_DROPOUT_LOG_PER_OPEN_DAY * min(ticket open days in the last 180 days, cap)))
 * </pre>
 *
 * <p>Log effects are additive on the log scale: a value of 0.35 multiplies the rate by
 * {@code exp(0.35) = 1.42}. Positive rate effects and negative dropout effects both make an account
 * more likely to return.
 */
public final class PlantedEffects {

  private PlantedEffects() {}

  // ---- purchase rate and dropout ------------------------------------------------------------

  /** Purchase rate per weekday of an alive account with every effect at zero (about 3 orders a year). */
  public static final double BASE_PURCHASE_RATE_PER_DAY = 0.0115;
  /** Rate multiplier on Saturdays and Sundays: orders are placed in office hours. */
  public static final double WEEKEND_RATE_FACTOR = 0.2;
  /** Dropout probability per day with every effect at zero (about 40 % of accounts lost per year). */
  public static final double BASE_DROPOUT_PER_DAY = 0.0014;
  /** Upper bound on the daily dropout probability. */
  public static final double MAX_DROPOUT_PER_DAY = 0.5;
  /** Standard deviation of the unobserved per-account log-rate frailty (normal). */
  public static final double RATE_FRAILTY_SD = 0.5;

  /** Distance term unit: the effect is per unit of {@code ln(1 + km / 100)}. */
  public static final double DISTANCE_SCALE_KM = 100.0;
  /**
   * Farther from the Detroit office: lower purchase rate (log effect at Cleveland -0.20, Chicago -0.35,
   * New York -0.48, Los Angeles -0.77, London -0.91).
   */
  public static final double DISTANCE_RATE_LOG = -0.22;
  /** Farther from the office: higher dropout. */
  public static final double DISTANCE_DROPOUT_LOG = 0.18;

  /** Per standard deviation of the account's latent order size: larger orders, higher rate. */
  public static final double ORDER_SIZE_RATE_LOG = 0.40;
  /** Per standard deviation of latent order size: larger orders, lower dropout. */
  public static final double ORDER_SIZE_DROPOUT_LOG = -0.40;
  /** Log-scale spread of line quantities and unit prices per standard deviation of order size. */
  public static final double ORDER_SIZE_QUANTITY_LOG = 0.30;
  /** Log-scale spread of unit prices per standard deviation of order size. */
  public static final double ORDER_SIZE_PRICE_LOG = 0.35;

  /** Lasting rate boost once the account has bought in August (any year). */
  public static final double AUGUST_RATE_LOG = 0.35;
  /** Lasting dropout reduction once the account has bought in August. */
  public static final double AUGUST_DROPOUT_LOG = -0.30;

  /** Lasting rate boost after the account's first SLS purchase. */
  public static final double SLS_RATE_LOG = 0.40;
  /** Lasting dropout reduction after the first SLS purchase. */
  public static final double SLS_DROPOUT_LOG = -0.30;

  /** Individuals on free-mail buy less often than companies. */
  public static final double INDIVIDUAL_RATE_LOG = -0.30;
  /** Individuals on free-mail drop out sooner. */
  public static final double INDIVIDUAL_DROPOUT_LOG = 0.25;

  /** Days a press release raises the purchase rate, counting its own day. */
  public static final int PRESS_EFFECT_DAYS = 30;

  /** Days of ticket history counted as support burden. */
  public static final int SUPPORT_WINDOW_DAYS = 180;
  /** Dropout log effect per ticket open-day inside the window (30 open days: x1.82). */
  public static final double SUPPORT_DROPOUT_LOG_PER_OPEN_DAY = 0.02;
  /** Open days beyond this many in the window add no further dropout. */
  public static final double SUPPORT_OPEN_DAYS_CAP = 120;

  // ---- support tickets ------------------------------------------------------------------

  /** Chance that a printing line (FDM, MJF, SLA) leads to a ticket. */
  public static final double TICKET_PROB_PRINT = 0.06;
  /** Chance that an SLS printing line leads to a ticket. */
  public static final double TICKET_PROB_SLS = 0.08;
  /** Chance that a Tier 1 or Tier 2 license line leads to a ticket: licenses raise tickets. */
  public static final double TICKET_PROB_LICENSE = 0.22;
  /** Chance that a Tier 3 license line leads to a ticket: the top tier has the most tickets. */
  public static final double TICKET_PROB_TIER3 = 0.32;
  /** Chance that a consulting line leads to a ticket. */
  public static final double TICKET_PROB_CONSULTING = 0.04;
  /** Median hours a ticket stays open (lognormal). */
  public static final double TICKET_OPEN_HOURS_MEDIAN = 96;
  /** Log-scale standard deviation of ticket open hours. */
  public static final double TICKET_OPEN_HOURS_SIGMA = 1.0;

  // ---- product mix and the top license tier -------------------------------------------------

  /** Share of accounts that buy simulation licenses at all. */
  public static final double LICENSE_ACCOUNT_SHARE = 0.42;
  /** Logit of being a top-tier (Tier 3) license account with no industry or region effect. */
  public static final double TOP_TIER_BASE_LOGIT = -2.2;
  /** Added logit for retail, consulting and events (odds x13.5). */
  public static final double TOP_TIER_INDUSTRY_LOGIT = 2.6;
  /** Added logit for Alaska (UTC-9) and the US north-east states on UTC-5 (odds x10). */
  public static final double TOP_TIER_REGION_LOGIT = 2.3;
  /** Share of a top-tier account's license lines that are Tier 3 (the rest Tier 2 / Tier 1). */
  public static final double TOP_TIER_LINE_SHARE = 0.70;

  // ---- side-system behaviour (correlated with the latent state, not causal) ---------------------

  /** Daily chance of a web visit from an alive corporate account. */
  public static final double WEB_VISIT_ALIVE = 0.03;
  /** Daily chance of a web visit in the 60 days before an account's first order. */
  public static final double WEB_VISIT_PROSPECT = 0.012;
  /** Daily chance of a web visit after an account dropped out. */
  public static final double WEB_VISIT_CHURNED = 0.004;
  /** Chance of an extra visit in the week before each order. */
  public static final double WEB_VISIT_BEFORE_ORDER = 0.5;
  /** Newsletter open rate of a contact whose account is alive. */
  public static final double NEWSLETTER_OPEN_ALIVE = 0.35;
  /** Newsletter open rate of a contact whose account has dropped out. */
  public static final double NEWSLETTER_OPEN_CHURNED = 0.12;
  /** Click rate given an open. */
  public static final double NEWSLETTER_CLICK_GIVEN_OPEN = 0.22;
  /** Unsubscribe chance per newsletter while alive. */
  public static final double UNSUBSCRIBE_ALIVE = 0.003;
  /** Unsubscribe chance per newsletter after dropout. */
  public static final double UNSUBSCRIBE_CHURNED = 0.02;
  /** Mean days between live chats of an alive account. */
  public static final double CHAT_MEAN_GAP_DAYS = 200;

  /**
   * Industries with their population share and planted effects. {@code rateLog} and
   * {@code dropoutLog} enter the hazard model above; {@code topTier} adds
   * {@link #TOP_TIER_INDUSTRY_LOGIT} to the odds of being a Tier 3 account.
   */
  public enum Industry {
    AEROSPACE("aerospace", 0.12, 0.50, -0.40, false),
    AUTOMOTIVE("automotive", 0.16, 0.20, -0.15, false),
    MEDICAL("medical", 0.11, 0.45, -0.35, false),
    CONSUMER_GOODS("consumer-goods", 0.12, 0.00, 0.00, false),
    EDUCATION("education", 0.09, -0.60, 0.50, false),
    ARCHITECTURE("architecture", 0.09, -0.10, 0.10, false),
    ENERGY("energy", 0.08, 0.10, -0.05, false),
    RETAIL("retail", 0.08, -0.10, 0.10, true),
    CONSULTING("consulting", 0.08, 0.00, 0.00, true),
    EVENTS("events", 0.07, -0.30, 0.30, true);

    private final String label;
    private final double share;
    private final double rateLog;
    private final double dropoutLog;
    private final boolean topTier;

    Industry(String label, double share, double rateLog, double dropoutLog, boolean topTier) {
      this.label = label;
      this.share = share;
      this.rateLog = rateLog;
      this.dropoutLog = dropoutLog;
      this.topTier = topTier;
    }

    /** Value written to the Industry column. */
    public String label() {
      return label;
    }

    /** Share of accounts in this industry. */
    public double share() {
      return share;
    }

    /** Log purchase-rate effect. */
    public double rateLog() {
      return rateLog;
    }

    /** Log dropout effect. */
    public double dropoutLog() {
      return dropoutLog;
    }

    /** Whether the industry raises the odds of buying Tier 3. */
    public boolean topTier() {
      return topTier;
    }
  }

  /**
   * Press-release topics: share of releases and the factor on every account's purchase rate for
   * {@link #PRESS_EFFECT_DAYS} days (overlapping releases: the strongest factor applies).
   */
  public enum PressTopic {
    NEW_PROCESS("new-process", 0.20, 2.00),
    CUSTOMER_STORY("customer-story", 0.30, 1.40),
    AWARD("award", 0.10, 1.25),
    EVENT("event", 0.20, 1.30),
    PRODUCT_UPDATE("product-update", 0.20, 1.20);

    private final String label;
    private final double share;
    private final double rateFactor;

    PressTopic(String label, double share, double rateFactor) {
      this.label = label;
      this.share = share;
      this.rateFactor = rateFactor;
    }

    /** Value written to the Topic column. */
    public String label() {
      return label;
    }

    /** Share of releases with this topic. */
    public double share() {
      return share;
    }

    /** Multiplier on the purchase rate while the release is recent. */
    public double rateFactor() {
      return rateFactor;
    }
  }
}

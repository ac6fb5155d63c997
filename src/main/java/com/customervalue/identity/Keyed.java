package com.customervalue.identity;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import com.customervalue.sources.Source;
import org.apache.spark.sql.Column;

/**
 * The keyed tables the identity job writes: each source's silver rows with the keys that join
 * them to an account. Press releases carry no customer key and have no keyed table.
 */
public final class Keyed {
  /** Normalised e-mail of the person (kept for joining; never shown to the BI tool). */
  public static final String PERSON_KEY = "person_key";
  /** HMAC-SHA256 of {@link #PERSON_KEY}: what reports show instead of the e-mail. */
  public static final String PERSON_KEY_HASH = "person_key_hash";
  /** Registrable domain of the row's e-mail, website or host name. */
  public static final String REGISTRABLE_DOMAIN = "registrable_domain";
  /** The account: a corporate registrable domain, else the person's normalised e-mail, else "id:" + customer id. */
  public static final String ACCOUNT_KEY = "account_key";
  /** HMAC-SHA256 of {@link #ACCOUNT_KEY}. */
  public static final String ACCOUNT_KEY_HASH = "account_key_hash";
  /** How the account was found: customer_id, email or domain; null when it was not. */
  public static final String MATCH_TYPE = "match_type";
  /** Whether the account is a known one: a customer record or a buyer on an invoice. */
  public static final String MATCHED = "matched";
  /** Why a row has no account, or no known one. */
  public static final String IDENTITY_NOTE = "identity_note";

  public static final String BY_CUSTOMER_ID = "customer_id";
  public static final String BY_EMAIL = "email";
  public static final String BY_DOMAIN = "domain";

  /** Prefix of account keys made from a source's own customer id when nothing better is known. */
  public static final String CUSTOMER_ID_KEY_PREFIX = "id:";

  /**
   * Prefix of the account key that tables after identity show for a person (free-mail) account:
   * {@code person:} + {@link #ACCOUNT_KEY_HASH}, so the e-mail itself stays in the keyed tables.
   */
  public static final String PERSON_ACCOUNT_PREFIX = "person:";

  private Keyed() {}

  /**
   * {@link #ACCOUNT_KEY} as customer_features and the tables after it hold it: a corporate domain or
   * a customer-id key as is, a person's e-mail replaced by {@link #PERSON_ACCOUNT_PREFIX} and its
   * HMAC. Needs {@link #ACCOUNT_KEY} and {@link #ACCOUNT_KEY_HASH}; one e-mail always gives one key.
   */
  public static Column publishedAccountKey() {
    return when(col(ACCOUNT_KEY).contains("@"), concat(lit(PERSON_ACCOUNT_PREFIX), col(ACCOUNT_KEY_HASH)))
        .otherwise(col(ACCOUNT_KEY));
  }

  /** The keyed table of a source, e.g. {@code keyed_invoices}. */
  public static String table(Source source) {
    return "keyed_" + source.id();
  }
}

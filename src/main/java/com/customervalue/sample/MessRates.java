package com.customervalue.sample;

/**
 * Rates of the planted mess. Valid-but-messy values stay parseable; malformed rows must be
 * quarantined by ingestion. Exact counts of every kind are written to {@code truth/manifest.json}.
 */
public final class MessRates {

  private MessRates() {}

  /** Invoice lines with an empty Customer ID (Email is then present). */
  public static final double CUSTOMER_ID_MISSING = 0.05;
  /** Invoice lines with an empty Email (Customer ID is then present). */
  public static final double EMAIL_MISSING = 0.03;
  /** Customer rows with an empty Industry. */
  public static final double INDUSTRY_MISSING = 0.04;
  /** Corporate customer rows with an empty Website. */
  public static final double WEBSITE_MISSING = 0.03;

  /** Rendered emails (invoices, tickets, marketing) with upper-case letters. */
  public static final double EMAIL_MIXED_CASE = 0.06;
  /** Rendered emails with leading and/or trailing spaces. */
  public static final double EMAIL_PADDED = 0.03;
  /** Rendered emails with a {@code +tag} in the local part. */
  public static final double EMAIL_PLUS_TAG = 0.04;
  /** Gmail rows whose local part has its dots moved (same mailbox). */
  public static final double GMAIL_DOTS = 0.10;
  /** Gmail rows written with the other alias domain (gmail.com vs googlemail.com). */
  public static final double GOOGLEMAIL_SWAP = 0.08;
  /** Customer rows (CRM) with mixed case emails. */
  public static final double CRM_EMAIL_MIXED_CASE = 0.04;
  /** Customer rows (CRM) with padded emails. */
  public static final double CRM_EMAIL_PADDED = 0.02;
  /** Companies whose contacts also write from a mail sub-domain ({@code jane@eng.acme.com}). */
  public static final double SUBDOMAIN_ALIAS_COMPANIES = 0.15;
  /** Share of such a contact's rows written from the sub-domain alias. */
  public static final double SUBDOMAIN_ALIAS_USE = 0.30;

  /** Test lines as a share of real invoice lines. */
  public static final double TEST_LINES = 0.005;
  /** Share of test lines with a zero amount. */
  public static final double TEST_ZERO_AMOUNT = 0.40;
  /** Share of test lines from the internal domain (the rest use test@-style addresses). */
  public static final double TEST_INTERNAL_DOMAIN = 0.50;
  /** Internal domain of the firm's own test orders. */
  public static final String INTERNAL_DOMAIN = "customervalue-internal.com";
  /** Paid invoices that get a refund line ({@code R-} invoice, negative quantity). */
  public static final double REFUND_INVOICES = 0.03;
  /** Extra exact copies of lines in invoices, web analytics and marketing events. */
  public static final double DUPLICATE_LINES = 0.01;
  /** Closed tickets whose closedAt lies before createdAt. */
  public static final double TICKET_CLOSED_BEFORE_CREATED = 0.01;

  /** Corporate domains with a crowd-labelled category. */
  public static final double SITE_CATEGORY_COVERAGE = 0.85;
  /** Site-category domains written with a {@code www.} prefix. */
  public static final double SITE_WWW_PREFIX = 0.15;
  /** Site categories that disagree with the company's industry. */
  public static final double SITE_CATEGORY_NOISE = 0.20;
  /** Newsletter subscribers that never buy, as a share of accounts (unmatched marketing rows). */
  public static final double NON_CUSTOMER_SUBSCRIBERS = 0.10;

  /** Malformed rows as a share of a file's well-formed rows, split evenly over the file's kinds. */
  public static final double MALFORMED = 0.002;
  /**
   * Minimum malformed rows per file, dealt over its kinds in order. Small files get this many in
   * all rather than some of every kind, so even the 50-row press-release file stays under the
   * ingest's default 5% quarantine limit and the sample runs through the default configuration.
   */
  public static final int MALFORMED_MIN_PER_FILE = 2;
}

package com.customervalue.clean;

import com.customervalue.sources.Source;

/**
 * The silver tables: bronze columns of each source, cleaned, plus the columns below. Column names
 * of the contract stay those of {@link Source}; these are the ones cleaning adds.
 */
public final class Silver {
  private Silver() {}

  /**
   * Return lines (refunds, cancellations) netted against a sale line: removed from
   * {@code silver_invoices}, kept here with their own dates and the sale they returned.
   */
  public static final String INVOICE_RETURNS = "silver_invoice_returns";

  /** The silver table of a source, e.g. {@code silver_invoices}. */
  public static String table(Source source) {
    return "silver_" + source.id();
  }

  /** Columns cleaning adds to invoice lines. */
  public static final class Invoices {
    /** Stable id of a line within a run: a hash of its values, numbered when values repeat. */
    public static final String LINE_ID = "line_id";
    /** In {@link Silver#INVOICE_RETURNS}: the sale line a return was netted against. */
    public static final String RETURNED_LINE_ID = "returned_line_id";
    /** Quantity returned (refunded or cancelled) against this sale line, at most its quantity. */
    public static final String RETURNED_QUANTITY = "returned_quantity";
    /** Amount returned against this sale line, at most its amount. */
    public static final String RETURNED_AMOUNT = "returned_amount";
    /** Quantity kept: quantity - returned_quantity. */
    public static final String NET_QUANTITY = "net_quantity";
    /** Amount kept, in the reporting currency: amount - returned_amount. */
    public static final String NET_AMOUNT = "net_amount";

    private Invoices() {}
  }

  /** Columns cleaning adds to support tickets. */
  public static final class SupportTickets {
    /** Days the ticket was open: until closed, or until the run's as_of while still open. */
    public static final String OPEN_DAYS = "open_days";
    /** Whether the ticket was still open at the run's as_of. */
    public static final String OPEN_AT_AS_OF = "open_at_as_of";
    /** The run's as_of that open days were counted up to (not a snapshot's as_of). */
    public static final String OPEN_DAYS_AS_OF = "open_days_as_of";

    private SupportTickets() {}
  }
}

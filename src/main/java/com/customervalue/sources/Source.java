package com.customervalue.sources;

import static com.customervalue.sources.FieldSpec.optional;
import static com.customervalue.sources.FieldSpec.required;
import static com.customervalue.sources.FieldType.DATE;
import static com.customervalue.sources.FieldType.DECIMAL;
import static com.customervalue.sources.FieldType.DOUBLE;
import static com.customervalue.sources.FieldType.INTEGER;
import static com.customervalue.sources.FieldType.STRING;
import static com.customervalue.sources.FieldType.TIMESTAMP;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The data contract: every source the product reads, whether it is required, and its declared
 * columns. Column names are constants of the nested classes, one per source, so later stages
 * refer to {@code Source.Invoices.INVOICE_DATE} rather than repeating a literal.
 */
public enum Source {
  INVOICES("invoices", true, Invoices.FIELDS, "invoice line"),
  CUSTOMERS("customers", false, Customers.FIELDS, "customer contact"),
  SUPPORT_TICKETS("support_tickets", false, SupportTickets.FIELDS, "ticket"),
  WEB_ANALYTICS("web_analytics", false, WebAnalytics.FIELDS, "day x site"),
  MARKETING_EVENTS("marketing_events", false, MarketingEvents.FIELDS, "event"),
  PRESS_RELEASES("press_releases", false, PressReleases.FIELDS, "release"),
  SITE_CATEGORIES("site_categories", false, SiteCategories.FIELDS, "domain");

  private final String id;
  private final boolean required;
  private final List<FieldSpec> fields;
  private final String grain;

  Source(String id, boolean required, List<FieldSpec> fields, String grain) {
    this.id = id;
    this.required = required;
    this.fields = fields;
    this.grain = grain;
  }

  /** The name used in config, table names and messages, e.g. {@code support_tickets}. */
  public String id() {
    return id;
  }

  /** A required source must be present and non-empty; the others may be absent. */
  public boolean isRequired() {
    return required;
  }

  public List<FieldSpec> fields() {
    return fields;
  }

  /** What one row of the source is, for documentation. */
  public String grain() {
    return grain;
  }

  public Optional<FieldSpec> field(String name) {
    return fields.stream().filter(f -> f.name().equals(name)).findFirst();
  }

  public static Optional<Source> byId(String id) {
    return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst();
  }

  /** Invoice lines: the one required source. */
  public static final class Invoices {
    public static final String INVOICE_ID = "invoice_id";
    public static final String INVOICE_DATE = "invoice_date";
    public static final String CUSTOMER_ID = "customer_id";
    public static final String CUSTOMER_NAME = "customer_name";
    public static final String COMPANY = "company";
    public static final String EMAIL = "email";
    public static final String PRODUCT = "product";
    public static final String PRODUCT_DESCRIPTION = "product_description";
    public static final String PROCESS = "process";
    public static final String LICENSE_TIER = "license_tier";
    public static final String QUANTITY = "quantity";
    public static final String UNIT_PRICE = "unit_price";
    public static final String AMOUNT = "amount";
    public static final String CURRENCY = "currency";
    public static final String STATUS = "status";
    public static final String COUNTRY = "country";

    public static final String STATUS_PAID = "paid";
    public static final String STATUS_REFUNDED = "refunded";
    public static final String STATUS_CANCELLED = "cancelled";
    public static final String STATUS_TEST = "test";

    static final List<FieldSpec> FIELDS = List.of(
        required(INVOICE_ID, STRING, "Invoice number; lines of one invoice share it"),
        required(INVOICE_DATE, TIMESTAMP, "When the invoice was issued"),
        optional(CUSTOMER_ID, STRING, "The billing system's customer id"),
        optional(CUSTOMER_NAME, STRING, "Name of the person billed"),
        optional(COMPANY, STRING, "Company name as billed"),
        optional(EMAIL, STRING, "E-mail of the person billed"),
        required(PRODUCT, STRING, "Product or service code/name"),
        optional(PRODUCT_DESCRIPTION, STRING, "Longer product description"),
        optional(PROCESS, STRING, "Service process, e.g. SLS, FDM, MJF"),
        optional(LICENSE_TIER, INTEGER, "License tier 1-3 for software lines"),
        required(QUANTITY, INTEGER, "Quantity; negative on refunds and cancellations"),
        required(UNIT_PRICE, DECIMAL, "Price per unit"),
        optional(AMOUNT, DECIMAL, "Line amount (quantity x unit price when absent)"),
        optional(CURRENCY, STRING, "ISO currency code"),
        optional(STATUS, STRING, "paid, refunded, cancelled or test")
            .oneOf(STATUS_PAID, STATUS_REFUNDED, STATUS_CANCELLED, STATUS_TEST),
        optional(COUNTRY, STRING, "Billing country"));

    private Invoices() {}
  }

  /** Customer records (one per contact) from the CRM or billing system. */
  public static final class Customers {
    public static final String CUSTOMER_ID = "customer_id";
    public static final String COMPANY = "company";
    public static final String CONTACT_NAME = "contact_name";
    public static final String EMAIL = "email";
    public static final String WEBSITE = "website";
    public static final String INDUSTRY = "industry";
    public static final String CITY = "city";
    public static final String STATE = "state";
    public static final String POSTCODE = "postcode";
    public static final String LATITUDE = "latitude";
    public static final String LONGITUDE = "longitude";
    public static final String UTC_OFFSET = "utc_offset";

    static final List<FieldSpec> FIELDS = List.of(
        required(CUSTOMER_ID, STRING, "Customer id, as on invoices"),
        optional(COMPANY, STRING, "Company name"),
        optional(CONTACT_NAME, STRING, "Contact person"),
        optional(EMAIL, STRING, "Contact e-mail"),
        optional(WEBSITE, STRING, "Company website URL"),
        optional(INDUSTRY, STRING, "Industry"),
        optional(CITY, STRING, "City"),
        optional(STATE, STRING, "State or region"),
        optional(POSTCODE, STRING, "Postal code"),
        optional(LATITUDE, DOUBLE, "Latitude in degrees").between(-90, 90),
        optional(LONGITUDE, DOUBLE, "Longitude in degrees").between(-180, 180),
        optional(UTC_OFFSET, DOUBLE, "UTC offset in hours").between(-12, 14));

    private Customers() {}
  }

  /** Support desk tickets (HelpScout-like export). */
  public static final class SupportTickets {
    public static final String TICKET_ID = "ticket_id";
    public static final String EMAIL = "email";
    public static final String CREATED_AT = "created_at";
    public static final String CLOSED_AT = "closed_at";
    public static final String STATUS = "status";
    public static final String TAGS = "tags";
    public static final String SUBJECT = "subject";

    static final List<FieldSpec> FIELDS = List.of(
        required(TICKET_ID, STRING, "Ticket id"),
        required(EMAIL, STRING, "E-mail of the customer who opened it"),
        required(CREATED_AT, TIMESTAMP, "When it was opened"),
        optional(CLOSED_AT, TIMESTAMP, "When it was closed; empty while open"),
        optional(STATUS, STRING, "Desk status, e.g. active, pending, closed"),
        optional(TAGS, STRING, "Tags, comma separated"),
        optional(SUBJECT, STRING, "Subject line"));

    private SupportTickets() {}
  }

  /** Web analytics, one row per day and site (or user). */
  public static final class WebAnalytics {
    public static final String DATE = "date";
    public static final String DOMAIN = "domain";
    public static final String SOURCE_MEDIUM = "source_medium";
    public static final String SESSIONS = "sessions";
    public static final String PAGE_VIEWS = "page_views";

    static final List<FieldSpec> FIELDS = List.of(
        required(DATE, FieldType.DATE, "Day of the visits"),
        required(DOMAIN, STRING, "Visitor's host name or domain"),
        optional(SOURCE_MEDIUM, STRING, "Traffic source / medium"),
        required(SESSIONS, INTEGER, "Sessions that day").atLeastZero(),
        optional(PAGE_VIEWS, INTEGER, "Page views that day").atLeastZero());

    private WebAnalytics() {}
  }

  /** E-mail marketing and chat events. */
  public static final class MarketingEvents {
    public static final String EMAIL = "email";
    public static final String EVENT_TYPE = "event_type";
    public static final String CAMPAIGN = "campaign";
    public static final String EVENT_TIME = "event_time";

    static final List<FieldSpec> FIELDS = List.of(
        required(EMAIL, STRING, "Recipient e-mail"),
        required(EVENT_TYPE, STRING, "sent, open, click, unsubscribe or chat")
            .oneOf("sent", "open", "click", "unsubscribe", "chat"),
        optional(CAMPAIGN, STRING, "Campaign name"),
        required(EVENT_TIME, TIMESTAMP, "When it happened"));

    private MarketingEvents() {}
  }

  /** The company's own press releases: a calendar with no customer key. */
  public static final class PressReleases {
    public static final String RELEASE_DATE = "release_date";
    public static final String TITLE = "title";
    public static final String TOPIC = "topic";

    static final List<FieldSpec> FIELDS = List.of(
        required(RELEASE_DATE, DATE, "Publication date"),
        required(TITLE, STRING, "Headline"),
        optional(TOPIC, STRING, "Topic label"));

    private PressReleases() {}
  }

  /** Crowd-labelled website categories per domain. */
  public static final class SiteCategories {
    public static final String DOMAIN = "domain";
    public static final String CATEGORY = "category";
    public static final String VOTES = "votes";

    static final List<FieldSpec> FIELDS = List.of(
        required(DOMAIN, STRING, "Website domain"),
        required(CATEGORY, STRING, "Category label"),
        optional(VOTES, INTEGER, "Votes behind the label").atLeastZero());

    private SiteCategories() {}
  }
}

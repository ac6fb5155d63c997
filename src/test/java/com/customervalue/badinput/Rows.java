package com.customervalue.badinput;

import com.customervalue.testing.Inputs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Input lines in the embedded sample's format (the default column mapping), one valid line per
 * source with any column overridden: {@code Rows.invoice("INV-2", "Quantity", "two")}. Values with
 * a comma, quote or line break are quoted as CSV writers do; deliberately broken lines are written
 * as literal strings by the cases themselves.
 */
final class Rows {
  static final String INVOICES = Inputs.INVOICE_HEADER;
  static final String CUSTOMERS = "Customer ID,Company,Contact Name,Email,Website,Industry,City,State,Postcode,"
      + "Latitude,Longitude,UTC Offset";
  static final String WEB = "Date,Hostname,Source / Medium,Sessions,Pageviews";
  static final String MARKETING = "Email Address,Event,Campaign,Timestamp";
  static final String PRESS = "Date,Title,Topic";
  static final String SITES = "domain,category,votes";

  private static final Map<String, String> INVOICE = defaults(INVOICES, "INV-1", "2015-03-02 14:05:00", "C1",
      "Ann Lee", "Acme Robotics", "ann@acme.com", "SLS print", "SLS", "", "3", "12.50", "", "USD", "paid");
  private static final Map<String, String> CUSTOMER = defaults(CUSTOMERS, "C1", "Acme Robotics", "Ann Lee",
      "ann@acme.com", "https://www.acme.com", "aerospace", "Detroit", "MI", "48201", "42.33", "-83.04", "-5");
  private static final Map<String, String> VISIT = defaults(WEB, "20150302", "www.acme.com", "google / organic",
      "12", "30");
  private static final Map<String, String> EVENT = defaults(MARKETING, "ann@acme.com", "open", "March news",
      "2015-03-02 10:00:00");
  private static final Map<String, String> RELEASE = defaults(PRESS, "2015-03-02", "New SLS line", "new-process");
  private static final Map<String, String> SITE = defaults(SITES, "acme.com", "Manufacturing", "12");

  private Rows() {}

  /** A valid invoice line with id {@code id}, then {@code column, value} overrides by file column name. */
  static String invoice(String id, String... overrides) {
    return line(INVOICES, INVOICE, "Invoice Number", id, overrides);
  }

  static String customer(String id, String... overrides) {
    return line(CUSTOMERS, CUSTOMER, "Customer ID", id, overrides);
  }

  /** A web analytics line; {@code host} is the key the cases check. */
  static String visit(String host, String... overrides) {
    return line(WEB, VISIT, "Hostname", host, overrides);
  }

  /** A marketing event; {@code campaign} is the key the cases check. */
  static String event(String campaign, String... overrides) {
    return line(MARKETING, EVENT, "Campaign", campaign, overrides);
  }

  static String release(String title, String... overrides) {
    return line(PRESS, RELEASE, "Title", title, overrides);
  }

  static String site(String domain, String... overrides) {
    return line(SITES, SITE, "domain", domain, overrides);
  }

  /**
   * A support ticket as one JSON line (the sample's HelpScout-like shape). Overrides are a
   * top-level key and its raw JSON value ({@code "createdAt", "\"yesterday\""}); a null value
   * leaves the key out.
   */
  static String ticket(String id, String... overrides) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("id", quote(id));
    fields.put("customer", "{\"email\":\"ann@acme.com\"}");
    fields.put("createdAt", "\"2015-03-02T14:05:00Z\"");
    fields.put("closedAt", "\"2015-03-03T10:00:00Z\"");
    fields.put("status", "\"closed\"");
    fields.put("tags", "[\"billing\"]");
    fields.put("subject", "\"Invoice question\"");
    for (int i = 0; i < overrides.length; i += 2) {
      if (overrides[i + 1] == null) {
        fields.remove(overrides[i]);
      } else {
        fields.put(overrides[i], overrides[i + 1]);
      }
    }
    List<String> parts = new ArrayList<>();
    fields.forEach((k, v) -> parts.add(quote(k) + ":" + v));
    return "{" + String.join(",", parts) + "}";
  }

  /** The JSON of a ticket's customer with e-mail {@code email}. */
  static String customerEmail(String email) {
    return "{\"email\":" + quote(email) + "}";
  }

  static String quote(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static Map<String, String> defaults(String header, String... values) {
    String[] columns = header.split(",");
    if (columns.length != values.length) {
      throw new IllegalArgumentException(Arrays.toString(columns) + " vs " + Arrays.toString(values));
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < columns.length; i++) {
      out.put(columns[i], values[i]);
    }
    return out;
  }

  private static String line(String header, Map<String, String> defaults, String keyColumn, String key,
      String... overrides) {
    Map<String, String> values = new LinkedHashMap<>(defaults);
    values.put(keyColumn, key);
    for (int i = 0; i < overrides.length; i += 2) {
      if (!values.containsKey(overrides[i])) {
        throw new IllegalArgumentException("no column '" + overrides[i] + "' in " + header);
      }
      values.put(overrides[i], overrides[i + 1]);
    }
    List<String> cells = new ArrayList<>();
    values.values().forEach(v -> cells.add(csvCell(v)));
    return String.join(",", cells);
  }

  private static String csvCell(String value) {
    return value.contains(",") || value.contains("\"") || value.contains("\n")
        ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
  }
}

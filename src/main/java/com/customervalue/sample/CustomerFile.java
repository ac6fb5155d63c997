package com.customervalue.sample;

import com.customervalue.sample.MessyFile.Malformed;
import com.customervalue.sample.MessyFile.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/** {@code customers.csv}: the CRM, one row per contact. */
final class CustomerFile {
  static final String NAME = "customers.csv";
  static final String[] HEADER = {"Customer ID", "Company", "Contact Name", "Email", "Website", "Industry", "City",
      "State", "Postcode", "Latitude", "Longitude", "UTC Offset"};
  static final MessyFile.CsvLayout LAYOUT = new MessyFile.CsvLayout(HEADER, new int[0], new String[0],
      new int[] {9, 10, 11}, new int[] {0},
      List.of(Malformed.WRONG_FIELD_COUNT, Malformed.BAD_NUMBER, Malformed.MISSING_REQUIRED), 0.0);

  /** A contact reaches its account by Customer ID; its Email is listed too. */
  static final Identities.Columns ID_COLUMNS = new Identities.Columns(
      new String[] {Identities.CUSTOMER_ID, Identities.EMAIL}, new int[] {0, 3});

  /** Website spellings: {@code %s} is the registrable domain. */
  private static final String[] WEBSITE_FORMS = {"https://www.%s/", "https://www.%s/about", "www.%s", "%s",
      "http://%s", "http://shop.%s:8080/x", "https://%s/contact"};
  private static final double[] WEBSITE_WEIGHTS = {0.25, 0.10, 0.20, 0.20, 0.10, 0.05, 0.10};

  private CustomerFile() {}

  static SourceFile build(long seed, List<Population.Account> accounts) {
    SplittableRandom r = Streams.of(seed, Streams.CUSTOMER_RENDER, 0);
    List<Row> rows = new ArrayList<>();
    for (Population.Account a : accounts) {
      for (Population.Contact c : a.contacts()) {
        String website = "";
        if (a.corporate() && !Streams.chance(r, MessRates.WEBSITE_MISSING)) {
          website = String.format(Locale.ROOT, WEBSITE_FORMS[Streams.weighted(r, WEBSITE_WEIGHTS)], a.domain());
        }
        String industry = Streams.chance(r, MessRates.INDUSTRY_MISSING) ? "" : a.industry().label();
        rows.add(new Row(new String[] {c.customerId(), a.company(), c.name(), Emails.renderCrm(c.email(), r),
            website, industry, a.city().name(), a.city().state(), a.city().postcode(), Text.fixed(a.lat(), 4),
            Text.fixed(a.lon(), 4), Integer.toString(a.city().utcOffset())}, 0, a.accountKey()));
      }
    }
    MessyFile.Result result = MessyFile.csv(LAYOUT, rows, Streams.of(seed, Streams.MESS, 2));
    Map<String, Long> mess = SourceFile.baseMess(result, false);
    long noIndustry = 0;
    long noWebsite = 0;
    long scheme = 0;
    long www = 0;
    long path = 0;
    long port = 0;
    for (Row row : result.wellFormed()) {
      noIndustry += row.fields()[5].isEmpty() ? 1 : 0;
      String w = row.fields()[4];
      if (w.isEmpty()) {
        noWebsite++;
        continue;
      }
      String rest = w;
      if (w.startsWith("http://") || w.startsWith("https://")) {
        scheme++;
        rest = w.substring(w.indexOf("//") + 2);
      }
      int slash = rest.indexOf('/');
      String host = slash < 0 ? rest : rest.substring(0, slash);
      String p = slash < 0 ? "" : rest.substring(slash);
      www += host.startsWith("www.") ? 1 : 0;
      path += p.isEmpty() || p.equals("/") ? 0 : 1;
      port += host.contains(":") ? 1 : 0;
    }
    mess.put("missing_industry", noIndustry);
    mess.put("website_empty", noWebsite);
    mess.put("website_with_scheme", scheme);
    mess.put("website_with_www", www);
    mess.put("website_with_path", path);
    mess.put("website_with_port", port);
    long mixed = 0;
    long padded = 0;
    for (Row row : result.wellFormed()) {
      String e = row.fields()[3];
      mixed += e.equals(e.toLowerCase(Locale.ROOT)) ? 0 : 1;
      padded += e.equals(e.strip()) ? 0 : 1;
    }
    mess.put("email_mixed_case", mixed);
    mess.put("email_padded", padded);
    return new SourceFile(NAME, Text.csv(HEADER), result.lines(), mess, Identities.Keyed.of(ID_COLUMNS, result));
  }
}

package com.customervalue.sample;

import com.customervalue.sample.MessyFile.Malformed;
import com.customervalue.sample.MessyFile.Row;
import com.customervalue.sample.PlantedEffects.Industry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** {@code press_releases.csv} and {@code site_categories.csv}. */
final class SmallFiles {
  static final String PRESS_NAME = "press_releases.csv";
  static final String[] PRESS_HEADER = {"Date", "Title", "Topic"};
  static final MessyFile.CsvLayout PRESS_LAYOUT = new MessyFile.CsvLayout(PRESS_HEADER, new int[] {0},
      new String[] {"2015-13-45", "not a date", "31.13.2015"}, new int[0], new int[] {0, 1},
      List.of(Malformed.WRONG_FIELD_COUNT, Malformed.BAD_DATE, Malformed.MISSING_REQUIRED), 0.0);

  static final String SITE_NAME = "site_categories.csv";
  static final String[] SITE_HEADER = {"domain", "category", "votes"};
  static final MessyFile.CsvLayout SITE_LAYOUT = new MessyFile.CsvLayout(SITE_HEADER, new int[0], new String[0],
      new int[] {2}, new int[] {0, 1},
      List.of(Malformed.WRONG_FIELD_COUNT, Malformed.BAD_NUMBER, Malformed.MISSING_REQUIRED), 0.0);

  /** Crowd-labelled category per industry (same order as {@link Industry}). */
  static final String[] CATEGORIES = {"Aerospace & Defense", "Automotive", "Health & Medicine",
      "Shopping & Consumer Goods", "Education", "Architecture & Design", "Energy & Utilities", "Retail",
      "Business Services", "Arts, Entertainment & Events"};

  private SmallFiles() {}

  static SourceFile press(long seed, SimCalendar cal, List<PressReleases.Release> releases) {
    List<Row> rows = new ArrayList<>();
    for (PressReleases.Release rel : releases) {
      rows.add(new Row(Text.DATE.format(cal.date(rel.day())), rel.title(), rel.topic().label()));
    }
    MessyFile.Result result = MessyFile.csv(PRESS_LAYOUT, rows, Streams.of(seed, Streams.MESS, 3));
    return new SourceFile(PRESS_NAME, Text.csv(PRESS_HEADER), result.lines(), SourceFile.baseMess(result, false),
        Identities.Keyed.of(Identities.Columns.NONE, result));
  }

  static SourceFile siteCategories(long seed, List<Population.Account> accounts) {
    SplittableRandom r = Streams.of(seed, Streams.SITE, 0);
    List<Row> rows = new ArrayList<>();
    for (Population.Account a : accounts) {
      if (!a.corporate() || !Streams.chance(r, MessRates.SITE_CATEGORY_COVERAGE)) {
        continue;
      }
      String domain = Streams.chance(r, MessRates.SITE_WWW_PREFIX) ? "www." + a.domain() : a.domain();
      String category = Streams.chance(r, MessRates.SITE_CATEGORY_NOISE)
          ? Streams.pick(r, CATEGORIES) : CATEGORIES[a.industry().ordinal()];
      long votes = Math.max(1, Math.round(Streams.logNormal(r, 12, 1.2)));
      rows.add(new Row(new String[] {domain, category, Long.toString(votes)}, 0, a.accountKey()));
    }
    // Free-mail providers get crowd labels too; they must never become company keys.
    for (String freeMail : new String[] {"gmail.com", "yahoo.com", "outlook.com", "hotmail.com"}) {
      rows.add(new Row(freeMail, "Web-based Email", Long.toString(500 + r.nextInt(5000))));
    }
    MessyFile.Result result = MessyFile.csv(SITE_LAYOUT, rows, Streams.of(seed, Streams.MESS, 4));
    Map<String, Long> mess = SourceFile.baseMess(result, false);
    long www = 0;
    long freeMail = 0;
    for (Row row : result.wellFormed()) {
      www += row.fields()[0].startsWith("www.") ? 1 : 0;
      freeMail += Emails.FREE_MAIL.contains(row.fields()[0]) ? 1 : 0;
    }
    mess.put("www_prefix", www);
    mess.put("free_mail_domains", freeMail);
    return new SourceFile(SITE_NAME, Text.csv(SITE_HEADER), result.lines(), mess,
        Identities.Keyed.of(Identities.Columns.of(Identities.SITE_DOMAIN, 0), result));
  }
}

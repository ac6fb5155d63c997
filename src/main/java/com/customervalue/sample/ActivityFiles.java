package com.customervalue.sample;

import com.customervalue.sample.MessyFile.Malformed;
import com.customervalue.sample.MessyFile.Row;
import com.customervalue.sample.Simulation.History;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/** {@code web_analytics.csv} and {@code marketing_events.csv}: behaviour that follows the latent state. */
final class ActivityFiles {
  static final String WEB_NAME = "web_analytics.csv";
  static final String[] WEB_HEADER = {"Date", "Hostname", "Source / Medium", "Sessions", "Pageviews"};
  static final MessyFile.CsvLayout WEB_LAYOUT = new MessyFile.CsvLayout(WEB_HEADER, new int[] {0},
      new String[] {"20151345", "not a date", "2015-13-45"}, new int[] {3, 4}, new int[] {0, 1, 3},
      List.of(Malformed.WRONG_FIELD_COUNT, Malformed.BAD_DATE, Malformed.BAD_NUMBER, Malformed.MISSING_REQUIRED),
      MessRates.DUPLICATE_LINES);

  static final String MARKETING_NAME = "marketing_events.csv";
  static final String[] MARKETING_HEADER = {"Email Address", "Event", "Campaign", "Timestamp"};
  static final MessyFile.CsvLayout MARKETING_LAYOUT = new MessyFile.CsvLayout(MARKETING_HEADER, new int[] {3},
      new String[] {"2015-13-45 10:00:00", "not a date", "31/12/2015 10:00"}, new int[0], new int[] {0, 1, 3},
      List.of(Malformed.WRONG_FIELD_COUNT, Malformed.BAD_DATE, Malformed.MISSING_REQUIRED),
      MessRates.DUPLICATE_LINES);

  private static final String[] SOURCES = {"google / organic", "(direct) / (none)", "newsletter / email",
      "linkedin.com / referral", "bing / organic", "google / cpc", "twitter.com / referral"};
  private static final double[] SOURCE_WEIGHTS = {0.40, 0.25, 0.10, 0.08, 0.07, 0.06, 0.04};
  private static final long MARKETING_CHAT_STREAM = 1L << 40;
  private static final int SEND_HOUR_UTC = 15;

  private ActivityFiles() {}

  private record Visit(int day, String host, String source, int sessions, int pageviews, String account) {}

  static SourceFile web(long seed, SimCalendar cal, List<History> histories) {
    List<Visit> visits = new ArrayList<>();
    boolean[] visited = new boolean[cal.days];
    for (History h : histories) {
      Population.Account a = h.account;
      if (!a.corporate()) {
        continue;
      }
      SplittableRandom r = Streams.of(seed, Streams.WEB, a.index());
      Arrays.fill(visited, false);
      for (int d = Math.max(0, a.acquisitionDay() - 60); d < cal.days; d++) {
        double p = d < a.acquisitionDay() ? PlantedEffects.WEB_VISIT_PROSPECT
            : d < h.deathDay ? PlantedEffects.WEB_VISIT_ALIVE : PlantedEffects.WEB_VISIT_CHURNED;
        visited[d] |= Streams.chance(r, p);
      }
      for (Simulation.Purchase p : h.purchases) {
        if (Streams.chance(r, PlantedEffects.WEB_VISIT_BEFORE_ORDER)) {
          int d = p.day() - 1 - r.nextInt(7);
          if (d >= 0) {
            visited[d] = true;
          }
        }
      }
      for (int d = 0; d < cal.days; d++) {
        if (!visited[d]) {
          continue;
        }
        String host = a.hostnames().size() > 1 && Streams.chance(r, 0.2) ? a.hostnames().get(1) : a.hostnames().get(0);
        int sessions = 1 + Math.min(29, Streams.geometric(r, 0.45));
        int pageviews = 0;
        for (int s = 0; s < sessions; s++) {
          pageviews += 1 + Math.min(19, Streams.geometric(r, 0.35));
        }
        visits.add(new Visit(d, host, SOURCES[Streams.weighted(r, SOURCE_WEIGHTS)], sessions, pageviews,
            a.accountKey()));
      }
    }
    visits.sort(Comparator.comparingInt(Visit::day).thenComparing(Visit::host));
    List<Row> rows = new ArrayList<>(visits.size());
    for (Visit v : visits) {
      rows.add(new Row(new String[] {Text.COMPACT_DATE.format(cal.date(v.day())), v.host(), v.source(),
          Integer.toString(v.sessions()), Integer.toString(v.pageviews())}, 0, v.account()));
    }
    MessyFile.Result result = MessyFile.csv(WEB_LAYOUT, rows, Streams.of(seed, Streams.MESS, 5));
    return new SourceFile(WEB_NAME, Text.csv(WEB_HEADER), result.lines(), SourceFile.baseMess(result, true),
        Identities.Keyed.of(Identities.Columns.of(Identities.HOSTNAME, 1), result));
  }

  private record Event(long epochSecond, String email, String event, String campaign, int flags, String account) {}

  static SourceFile marketing(long seed, SimCalendar cal, List<History> histories) {
    long endSecond = cal.end.atStartOfDay().toEpochSecond(ZoneOffset.UTC);
    List<Integer> sendDays = new ArrayList<>();
    for (LocalDate m = cal.start.withDayOfMonth(1); m.isBefore(cal.end); m = m.plusMonths(1)) {
      LocalDate tuesday = m.with(TemporalAdjusters.firstInMonth(DayOfWeek.TUESDAY));
      if (!tuesday.isBefore(cal.start) && tuesday.isBefore(cal.end)) {
        sendDays.add(cal.index(tuesday));
      }
    }
    List<Event> events = new ArrayList<>();
    Set<String> customerKeys = new HashSet<>();
    for (History h : histories) {
      Population.Account a = h.account;
      for (Population.Contact c : a.contacts()) {
        customerKeys.add(Emails.normalise(c.email()));
        if (!c.subscribed()) {
          continue;
        }
        SplittableRandom r = Streams.of(seed, Streams.MARKETING, c.index());
        newsletters(cal, sendDays, endSecond, a.acquisitionDay() + c.subscribeDelayDays(), h, c, a.accountKey(), r,
            events);
      }
      SplittableRandom r = Streams.of(seed, Streams.MARKETING, MARKETING_CHAT_STREAM + a.index());
      int end = Math.min(h.deathDay, cal.days);
      for (int d = a.acquisitionDay() + chatGap(r); d < end; d += chatGap(r)) {
        Population.Contact c = Streams.pick(r, a.contacts());
        LocalDateTime local = cal.date(d).atTime(8 + r.nextInt(10), r.nextInt(60), r.nextInt(60));
        long second = local.atZone(Geo.OFFICE_ZONE).toEpochSecond();
        Emails.Rendered e = Emails.render(c, r);
        if (second < endSecond) {
          events.add(new Event(second, e.text(), "chat", "", e.flags(), a.accountKey()));
        }
      }
    }
    // Subscribers who never buy: their rows match no customer.
    SplittableRandom pr = Streams.of(seed, Streams.PROSPECTS, 0);
    int prospects = (int) Math.round(MessRates.NON_CUSTOMER_SUBSCRIBERS * histories.size());
    String[] domains = {"gmail.com", "yahoo.com", "outlook.com", "hotmail.com"};
    for (int i = 0; i < prospects; i++) {
      String email = "maker" + (1000 + pr.nextInt(9000)) + "." + (char) ('a' + pr.nextInt(26)) + "@"
          + Streams.pick(pr, domains);
      if (!customerKeys.add(Emails.normalise(email))) {
        continue;
      }
      Population.Contact c = new Population.Contact(-1, "", "", email, null, true, 0);
      SplittableRandom r = Streams.of(seed, Streams.PROSPECTS, i + 1L);
      List<Event> own = new ArrayList<>();
      newsletters(cal, sendDays, endSecond, r.nextInt(cal.days), null, c, null, r, own);
      for (Event e : own) {
        events.add(new Event(e.epochSecond(), e.email(), e.event(), e.campaign(),
            e.flags() | Emails.FLAG_NON_CUSTOMER, null));
      }
    }
    events.sort(Comparator.comparingLong(Event::epochSecond));
    List<Row> rows = new ArrayList<>(events.size());
    for (Event e : events) {
      rows.add(new Row(new String[] {e.email(), e.event(), e.campaign(),
          Text.DATE_TIME.format(LocalDateTime.ofEpochSecond(e.epochSecond(), 0, ZoneOffset.UTC))}, e.flags(),
          e.account()));
    }
    MessyFile.Result result = MessyFile.csv(MARKETING_LAYOUT, rows, Streams.of(seed, Streams.MESS, 6));
    Map<String, Long> mess = SourceFile.baseMess(result, true);
    long nonCustomer = 0;
    for (Row row : result.wellFormed()) {
      nonCustomer += (row.flags() & Emails.FLAG_NON_CUSTOMER) != 0 ? 1 : 0;
    }
    mess.put("non_customer_rows", nonCustomer);
    SourceFile.countEmailMess(result.wellFormed(), 0, mess);
    return new SourceFile(MARKETING_NAME, Text.csv(MARKETING_HEADER), result.lines(), mess,
        Identities.Keyed.of(Identities.Columns.of(Identities.EMAIL, 0), result));
  }

  private static int chatGap(SplittableRandom r) {
    return 1 + (int) (-StrictMath.log(1 - r.nextDouble()) * PlantedEffects.CHAT_MEAN_GAP_DAYS);
  }

  /**
   * Monthly newsletter sends from {@code startDay} until unsubscribed; history and account key null for
   * non-customers.
   */
  private static void newsletters(SimCalendar cal, List<Integer> sendDays, long endSecond, int startDay, History h,
                                  Population.Contact c, String account, SplittableRandom r, List<Event> out) {
    for (int day : sendDays) {
      if (day < startDay) {
        continue;
      }
      String campaign = "newsletter-" + cal.date(day).toString().substring(0, 7);
      long sent = cal.date(day).atTime(SEND_HOUR_UTC, 0).toEpochSecond(ZoneOffset.UTC) + r.nextInt(3600);
      boolean alive = h != null && h.aliveOn(day);
      emit(out, sent, c, account, "sent", campaign, endSecond, r);
      if (Streams.chance(r, alive ? PlantedEffects.NEWSLETTER_OPEN_ALIVE : PlantedEffects.NEWSLETTER_OPEN_CHURNED)) {
        long open = sent + Math.round(Streams.logNormal(r, 6, 1.2) * 3600);
        emit(out, open, c, account, "open", campaign, endSecond, r);
        if (Streams.chance(r, PlantedEffects.NEWSLETTER_CLICK_GIVEN_OPEN)) {
          emit(out, open + 5 + r.nextInt(600), c, account, "click", campaign, endSecond, r);
        }
      }
      if (Streams.chance(r, alive ? PlantedEffects.UNSUBSCRIBE_ALIVE : PlantedEffects.UNSUBSCRIBE_CHURNED)) {
        emit(out, sent + 3600 + r.nextInt(72 * 3600), c, account, "unsubscribe", campaign, endSecond, r);
        return;
      }
    }
  }

  private static void emit(List<Event> out, long second, Population.Contact c, String account, String event,
                           String campaign, long endSecond, SplittableRandom r) {
    Emails.Rendered e = Emails.render(c, r);
    if (second < endSecond) {
      out.add(new Event(second, e.text(), event, campaign, e.flags(), account));
    }
  }
}

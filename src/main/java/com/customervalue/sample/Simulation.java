package com.customervalue.sample;

import static com.customervalue.sample.PlantedEffects.AUGUST_DROPOUT_LOG;
import static com.customervalue.sample.PlantedEffects.AUGUST_RATE_LOG;
import static com.customervalue.sample.PlantedEffects.BASE_DROPOUT_PER_DAY;
import static com.customervalue.sample.PlantedEffects.BASE_PURCHASE_RATE_PER_DAY;
import static com.customervalue.sample.PlantedEffects.DISTANCE_DROPOUT_LOG;
import static com.customervalue.sample.PlantedEffects.DISTANCE_RATE_LOG;
import static com.customervalue.sample.PlantedEffects.DISTANCE_SCALE_KM;
import static com.customervalue.sample.PlantedEffects.INDIVIDUAL_DROPOUT_LOG;
import static com.customervalue.sample.PlantedEffects.INDIVIDUAL_RATE_LOG;
import static com.customervalue.sample.PlantedEffects.MAX_DROPOUT_PER_DAY;
import static com.customervalue.sample.PlantedEffects.ORDER_SIZE_DROPOUT_LOG;
import static com.customervalue.sample.PlantedEffects.ORDER_SIZE_RATE_LOG;
import static com.customervalue.sample.PlantedEffects.SLS_DROPOUT_LOG;
import static com.customervalue.sample.PlantedEffects.SLS_RATE_LOG;
import static com.customervalue.sample.PlantedEffects.SUPPORT_DROPOUT_LOG_PER_OPEN_DAY;
import static com.customervalue.sample.PlantedEffects.SUPPORT_OPEN_DAYS_CAP;
import static com.customervalue.sample.PlantedEffects.SUPPORT_WINDOW_DAYS;
import static com.customervalue.sample.PlantedEffects.WEEKEND_RATE_FACTOR;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The latent daily process per account (see {@link PlantedEffects}) and the exact oracle: on each
 * truth date the probability of at least one order in the horizon follows from the state at that
 * date by a forward recursion over the same daily rate and dropout functions the simulation draws
 * from. Before its first order in the horizon an account's state changes only through known
 * calendar terms (press releases, weekends, tickets already decided), so the recursion is exact.
 */
final class Simulation {

  /** One invoice line; license tier 0 when not a license. */
  record Line(String product, String process, int tier, int quantity, long unitCents) {
    long amountCents() {
      return quantity * unitCents;
    }
  }

  /** One order: an invoice with 1-3 lines. */
  record Purchase(int day, LocalDateTime time, int contact, List<Line> lines) {}

  /** A support ticket; open days {@code [openDay, closeDay)} count as support burden. */
  record Ticket(int account, int contact, Instant created, Instant closed, int openDay, int closeDay,
                List<String> tags, String subject) {}

  /** What happened to one account; pReturn is NaN where the account was not yet a customer. */
  static final class History {
    final Population.Account account;
    final List<Purchase> purchases = new ArrayList<>();
    final List<Ticket> tickets = new ArrayList<>();
    int deathDay;
    final double[] pReturn;
    final boolean[] returned;

    History(Population.Account account, int truthDates, int days) {
      this.account = account;
      this.deathDay = days;
      this.pReturn = new double[truthDates];
      Arrays.fill(pReturn, Double.NaN);
      this.returned = new boolean[truthDates];
    }

    /** The history of account {@code index} in a list of consecutive accounts' histories. */
    static History of(List<History> consecutive, int index) {
      History h = consecutive.get(index - consecutive.get(0).account.index());
      if (h.account.index() != index) {
        throw new IllegalStateException("histories are not of consecutive accounts: looked for " + index
            + ", found " + h.account.index());
      }
      return h;
    }

    boolean aliveOn(int day) {
      return day >= account.acquisitionDay() && day < deathDay;
    }
  }

  static final String[] PROCESSES = {"SLS", "FDM", "MJF", "SLA"};
  private static final String[][] PRINT_PRODUCTS = {
      {"SLS print - nylon PA12", "SLS print - nylon PA11", "SLS print - glass-filled PA12"},
      {"FDM print", "FDM print - ABS", "FDM print - ULTEM 9085"},
      {"MJF print - PA12", "MJF print - TPU"},
      {"SLA print - standard resin", "SLA print - tough resin", "SLA print - clear resin"}};
  private static final long[] PRINT_BASE_CENTS = {4200, 1600, 3500, 2800};
  static final long[] LICENSE_CENTS = {0, 125_000, 340_000, 980_000};
  static final String CONSULTING = "Consulting hours";
  private static final double[] LINES_PER_INVOICE = {0.6, 0.3, 0.1};
  private static final double[] CONTACT_WEIGHTS = {0.6, 0.25, 0.15};

  private static final String[][] SUBJECTS = {
      {"quality", "Parts arrived warped", "Surface finish rougher than expected",
          "Holes out of tolerance on last order",
          "Support marks left on parts"},
      {"shipping", "Order has not arrived", "Package damaged in transit", "Need a tracking number"},
      {"file-prep", "STL file fails to slice", "Help with minimum wall thickness",
          "Which orientation gives the best strength?"},
      {"billing", "Question about my invoice", "Please resend the invoice, with PO number", "Wrong billing address"},
      {"install", "License key not accepted", "Installer fails on Windows 10", "Cannot activate SimSoft seat"},
      {"login", "Cannot log in to the license portal", "Password reset email never arrives"},
      {"scheduling", "Reschedule our consulting session", "Need a second workshop day"}};

  private final long seed;
  private final SimCalendar cal;
  private final double[] pressLog;
  private final int[] truthIndexByDay;
  private final int horizon;

  Simulation(long seed, SimCalendar cal, double[] pressLog, List<Integer> truthDays, int horizon) {
    this.seed = seed;
    this.cal = cal;
    this.pressLog = pressLog;
    this.horizon = horizon;
    this.truthIndexByDay = new int[cal.days];
    Arrays.fill(truthIndexByDay, -1);
    for (int k = 0; k < truthDays.size(); k++) {
      truthIndexByDay[truthDays.get(k)] = k;
    }
  }

  /** Mutable state of one account while it is simulated. */
  private final class State {
    final Population.Account a;
    final double staticRateLog;
    final double staticDropoutLog;
    final History h;
    boolean alive;
    boolean august;
    boolean sls;

    State(Population.Account a, History h) {
      this.a = a;
      this.h = h;
      double distanceTerm = StrictMath.log(1 + a.distanceKm() / DISTANCE_SCALE_KM);
      this.staticRateLog = StrictMath.log(BASE_PURCHASE_RATE_PER_DAY) + a.frailty() + a.industry().rateLog()
          + DISTANCE_RATE_LOG * distanceTerm + ORDER_SIZE_RATE_LOG * a.orderZ()
          + (a.corporate() ? 0 : INDIVIDUAL_RATE_LOG);
      this.staticDropoutLog = StrictMath.log(BASE_DROPOUT_PER_DAY) + a.industry().dropoutLog()
          + DISTANCE_DROPOUT_LOG * distanceTerm + ORDER_SIZE_DROPOUT_LOG * a.orderZ()
          + (a.corporate() ? 0 : INDIVIDUAL_DROPOUT_LOG);
    }

    /** Probability of an order on day d given alive. */
    double orderProbability(int d) {
      double rate = StrictMath.exp(staticRateLog + (august ? AUGUST_RATE_LOG : 0) + (sls ? SLS_RATE_LOG : 0)
          + pressLog[d]);
      if (cal.weekend(d)) {
        rate *= WEEKEND_RATE_FACTOR;
      }
      return 1 - StrictMath.exp(-rate);
    }

    /** Probability of dropping out at the end of day d given alive. */
    double dropoutProbability(int d) {
      double burden = Math.min(SUPPORT_OPEN_DAYS_CAP, supportOpenDays(d));
      double p = StrictMath.exp(staticDropoutLog + (august ? AUGUST_DROPOUT_LOG : 0) + (sls ? SLS_DROPOUT_LOG : 0)
          + SUPPORT_DROPOUT_LOG_PER_OPEN_DAY * burden);
      return Math.min(MAX_DROPOUT_PER_DAY, p);
    }

    /** Ticket open days inside {@code [d - window, d)}. */
    int supportOpenDays(int d) {
      int from = d - SUPPORT_WINDOW_DAYS;
      int sum = 0;
      for (Ticket t : h.tickets) {
        int overlap = Math.min(t.closeDay(), d) - Math.max(t.openDay(), from);
        if (overlap > 0) {
          sum += overlap;
        }
      }
      return sum;
    }

    /** Exact P(at least one order in [d, d + horizon)) from the state at the start of day d. */
    double oracle(int d) {
      if (!alive) {
        return 0.0;
      }
      double stillWaiting = 1.0;
      double p = 0.0;
      for (int t = d; t < d + horizon; t++) {
        double q = orderProbability(t);
        p += stillWaiting * q;
        stillWaiting *= (1 - q) * (1 - dropoutProbability(t));
      }
      return p;
    }
  }

  History run(Population.Account a) {
    SplittableRandom r = Streams.of(seed, Streams.SIMULATION, a.index());
    History h = new History(a, pReturnSize(), cal.days);
    State s = new State(a, h);
    int first = a.acquisitionDay();
    for (int d = first; d < cal.days; d++) {
      int k = truthIndexByDay[d];
      if (k >= 0 && d > first) {
        h.pReturn[k] = s.oracle(d);
      }
      if (!s.alive && d > first) {
        continue;
      }
      boolean order;
      if (d == first) {
        s.alive = true;
        order = true;
      } else {
        order = r.nextDouble() < s.orderProbability(d);
      }
      double dropout = s.dropoutProbability(d);
      if (order) {
        purchase(s, d, r);
      }
      if (r.nextDouble() < dropout) {
        s.alive = false;
        h.deathDay = d + 1;
      }
    }
    for (int k = 0; k < h.pReturn.length; k++) {
      if (!Double.isNaN(h.pReturn[k])) {
        int from = truthDay(k);
        for (Purchase p : h.purchases) {
          if (p.day() >= from && p.day() < from + horizon) {
            h.returned[k] = true;
            break;
          }
        }
      }
    }
    return h;
  }

  private int pReturnSize() {
    int n = 0;
    for (int k : truthIndexByDay) {
      n = Math.max(n, k + 1);
    }
    return n;
  }

  private int truthDay(int k) {
    for (int d = 0; d < truthIndexByDay.length; d++) {
      if (truthIndexByDay[d] == k) {
        return d;
      }
    }
    throw new IllegalStateException("no truth day " + k);
  }

  private void purchase(State s, int d, SplittableRandom r) {
    Population.Account a = s.a;
    LocalDateTime time = cal.date(d).atTime(8 + r.nextInt(10), r.nextInt(60), r.nextInt(60));
    int contact = a.contacts().size() == 1 ? 0
        : Streams.weighted(r, Arrays.copyOf(CONTACT_WEIGHTS, a.contacts().size()));
    int nLines = 1 + Streams.weighted(r, LINES_PER_INVOICE);
    List<Line> lines = new ArrayList<>(nLines);
    for (int attempt = 0; attempt < 4 * nLines && lines.size() < nLines; attempt++) {
      Line line = line(a, r);
      boolean dup = false;
      for (Line l : lines) {
        dup |= l.product().equals(line.product());
      }
      if (!dup) {
        lines.add(line);
      }
    }
    s.h.purchases.add(new Purchase(d, time, contact, List.copyOf(lines)));
    if (cal.august(d)) {
      s.august = true;
    }
    double noTicket = 1.0;
    Line worst = lines.get(0);
    double worstP = -1;
    for (Line l : lines) {
      if ("SLS".equals(l.process())) {
        s.sls = true;
      }
      double p = ticketProbability(l);
      noTicket *= 1 - p;
      if (p > worstP) {
        worstP = p;
        worst = l;
      }
    }
    if (r.nextDouble() < 1 - noTicket) {
      s.h.tickets.add(ticket(a, contact, d, worst, lines, r));
    }
  }

  private Line line(Population.Account a, SplittableRandom r) {
    double u = r.nextDouble();
    boolean license = a.licenseBuyer() && u >= 0.45 && u < 0.9;
    boolean consulting = u >= 0.9;
    double z = a.orderZ();
    if (license) {
      int tier = a.topTierType() ? 1 + Streams.weighted(r, new double[] {0.1, 0.2, PlantedEffects.TOP_TIER_LINE_SHARE})
          : 1 + Streams.weighted(r, new double[] {0.55, 0.45});
      int seats = (int) Math.max(1, Math.min(10, Math.round(
          Streams.logNormal(r, 1.5 * StrictMath.exp(PlantedEffects.ORDER_SIZE_QUANTITY_LOG * z), 0.5))));
      long price = LICENSE_CENTS[tier];
      if (Streams.chance(r, 0.15)) {
        price = price * 9 / 10;
      }
      return new Line("SimSoft License Tier " + tier, "", tier, seats, price);
    }
    if (consulting) {
      int hours = (int) Math.max(2, Math.min(80, Math.round(Streams.logNormal(r, 8 * StrictMath.exp(0.3 * z), 0.6))));
      return new Line(CONSULTING, "", 0, hours, Streams.chance(r, 0.7) ? 15_000 : 17_500);
    }
    int p = Streams.weighted(r, a.processWeights());
    String product = Streams.pick(r, PRINT_PRODUCTS[p]);
    int qty = (int) Math.max(1, Math.min(500, Math.round(
        Streams.logNormal(r, 4 * StrictMath.exp(PlantedEffects.ORDER_SIZE_QUANTITY_LOG * z), 0.6))));
    long unit = Math.max(100, Math.round(PRINT_BASE_CENTS[p]
        * StrictMath.exp(PlantedEffects.ORDER_SIZE_PRICE_LOG * z + 0.2 * Streams.gaussian(r))));
    return new Line(product, PROCESSES[p], 0, qty, unit);
  }

  static double ticketProbability(Line l) {
    if (l.tier() == 3) {
      return PlantedEffects.TICKET_PROB_TIER3;
    }
    if (l.tier() > 0) {
      return PlantedEffects.TICKET_PROB_LICENSE;
    }
    if (l.process().isEmpty()) {
      return PlantedEffects.TICKET_PROB_CONSULTING;
    }
    return "SLS".equals(l.process()) ? PlantedEffects.TICKET_PROB_SLS : PlantedEffects.TICKET_PROB_PRINT;
  }

  private Ticket ticket(Population.Account a, int contact, int d, Line worst, List<Line> lines, SplittableRandom r) {
    int openDay = d + Math.min(20, Streams.geometric(r, 0.35));
    LocalDateTime local = cal.start.plusDays(openDay).atTime(8 + r.nextInt(10), r.nextInt(60), r.nextInt(60));
    Instant created = local.atZone(Geo.OFFICE_ZONE).toInstant();
    double hours = Math.max(0.5, Math.min(24 * 365, Streams.logNormal(r,
        PlantedEffects.TICKET_OPEN_HOURS_MEDIAN, PlantedEffects.TICKET_OPEN_HOURS_SIGMA)));
    Instant closed = created.plusSeconds(Math.round(hours * 3600));
    int closeDay = openDay + (int) StrictMath.ceil(hours / 24.0);
    String[] issues;
    if (worst.tier() > 0) {
      issues = pickIssue(r, new String[] {"install", "login", "billing"}, new double[] {0.45, 0.3, 0.25});
    } else if (worst.process().isEmpty()) {
      issues = pickIssue(r, new String[] {"billing", "scheduling"}, new double[] {0.6, 0.4});
    } else {
      issues = pickIssue(r, new String[] {"quality", "shipping", "file-prep", "billing"},
          new double[] {0.4, 0.25, 0.2, 0.15});
    }
    List<String> tags = new ArrayList<>();
    tags.add(issues[0]);
    for (Line l : lines) {
      String tag = l.tier() > 0 ? "license"
          : l.process().isEmpty() ? "consulting" : l.process().toLowerCase(Locale.ROOT);
      if (!tags.contains(tag)) {
        tags.add(tag);
      }
      if (l.tier() == 3 && !tags.contains("tier-3")) {
        tags.add("tier-3");
      }
    }
    return new Ticket(a.index(), contact, created, closed, openDay, closeDay, List.copyOf(tags), issues[1]);
  }

  private static String[] pickIssue(SplittableRandom r, String[] issues, double[] weights) {
    String issue = issues[Streams.weighted(r, weights)];
    for (String[] row : SUBJECTS) {
      if (row[0].equals(issue)) {
        return new String[] {issue, row[1 + r.nextInt(row.length - 1)]};
      }
    }
    throw new IllegalStateException("no subjects for " + issue);
  }
}

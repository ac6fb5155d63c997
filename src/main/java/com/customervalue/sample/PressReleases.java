package com.customervalue.sample;

import com.customervalue.sample.PlantedEffects.PressTopic;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

/** The firm's own press releases (1-2 a month) and the purchase-rate boost they plant. */
final class PressReleases {
  static final String FIRM = "CV Engineering";
  static final double TWO_IN_A_MONTH = 0.45;

  record Release(int day, String title, PressTopic topic) {}

  private static final String[] PROCESSES = {"SLS", "MJF", "SLA", "FDM"};
  private static final String[] MATERIALS = {"nylon PA11", "glass-filled PA12", "TPU", "tough resin", "ULTEM 9085",
      "carbon-filled nylon", "clear resin"};
  private static final String[] SHOWS = {"RAPID + TCT", "Formnext", "IMTS", "Design-2-Part", "The Battery Show"};

  private PressReleases() {}

  static List<Release> build(long seed, SimCalendar cal, List<Population.Account> accounts) {
    SplittableRandom r = Streams.of(seed, Streams.PRESS, 0);
    PressTopic[] topics = PressTopic.values();
    double[] weights = new double[topics.length];
    for (int i = 0; i < topics.length; i++) {
      weights[i] = topics[i].share();
    }
    List<String> companies = new ArrayList<>();
    for (Population.Account a : accounts) {
      if (a.corporate()) {
        companies.add(a.company());
      }
    }
    List<Release> releases = new ArrayList<>();
    for (LocalDate month = cal.start.withDayOfMonth(1); month.isBefore(cal.end); month = month.plusMonths(1)) {
      int n = Streams.chance(r, TWO_IN_A_MONTH) ? 2 : 1;
      TreeSet<Integer> days = new TreeSet<>();
      for (int attempt = 0; days.size() < n && attempt < 50; attempt++) {
        int d = cal.index(month.plusDays(r.nextInt(month.lengthOfMonth())));
        if (d >= 0 && d < cal.days && !cal.weekend(d)) {
          days.add(d);
        }
      }
      for (int d : days) {
        PressTopic topic = topics[Streams.weighted(r, weights)];
        releases.add(new Release(d, title(r, topic, cal.date(d).getYear(), companies), topic));
      }
    }
    return releases;
  }

  /** ln of the strongest release factor active on each day (0 when none). */
  static double[] rateLog(List<Release> releases, int days) {
    double[] log = new double[days];
    for (Release rel : releases) {
      double l = StrictMath.log(rel.topic().rateFactor());
      for (int d = rel.day(); d < Math.min(days, rel.day() + PlantedEffects.PRESS_EFFECT_DAYS); d++) {
        log[d] = Math.max(log[d], l);
      }
    }
    return log;
  }

  private static String title(SplittableRandom r, PressTopic topic, int year, List<String> companies) {
    String process = Streams.pick(r, PROCESSES);
    return switch (topic) {
      case NEW_PROCESS -> switch (r.nextInt(3)) {
        case 0 -> FIRM + " adds " + process + " printing in " + Streams.pick(r, MATERIALS);
        case 1 -> "New " + process + " line cuts lead times to " + (2 + r.nextInt(5)) + " days";
        default -> FIRM + " opens a second " + process + " cell, doubling capacity";
      };
      case CUSTOMER_STORY -> {
        String company = companies.isEmpty() ? "A Michigan supplier" : Streams.pick(r, companies);
        yield r.nextBoolean()
            ? "How " + company + " cut prototype costs with " + process
            : company + ": from CAD to flight-ready parts in a week";
      }
      case AWARD -> r.nextBoolean()
          ? FIRM + " wins the " + year + " Michigan Manufacturing Award"
          : FIRM + " named a top-50 additive bureau, again";
      case EVENT -> "Meet " + FIRM + " at " + Streams.pick(r, SHOWS) + " " + year;
      case PRODUCT_UPDATE -> r.nextBoolean()
          ? "SimSoft " + (year - 2009) + "." + r.nextInt(4) + " released: faster meshing, new materials library"
          : "SimSoft Tier 3 adds multi-physics coupling";
    };
  }
}

package com.customervalue.sample;

import com.customervalue.sample.PlantedEffects.Industry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/** Accounts (companies or free-mail individuals) and their contacts, with latent traits. */
final class Population {

  /** A person with a customer id; {@code email} is canonical (lower-case, no tag). */
  record Contact(int index, String customerId, String name, String email, String aliasEmail,
                 boolean subscribed, int subscribeDelayDays) {}

  /**
   * An account. {@code accountKey} is the truth key: the registrable domain for companies, the
   * normalised email for individuals. {@code orderZ} and {@code frailty} are latent.
   */
  record Account(int index, String accountId, boolean corporate, String company, String domain, String accountKey,
                 Industry industry, Geo.City city, double lat, double lon, double distanceKm,
                 double orderZ, double frailty, boolean licenseBuyer, boolean topTierType,
                 double[] processWeights, int acquisitionDay, List<Contact> contacts, List<String> hostnames) {}

  static final double CORPORATE_SHARE = 0.70;
  static final double UK_COMPANY_SHARE = 0.05;
  static final double[] CONTACTS_PER_COMPANY = {0.5, 0.3, 0.2};
  static final double NEWSLETTER_OPT_IN = 0.75;
  /** Share of accounts already buying in the first 60 days (the existing customer base). */
  static final double EARLY_ACCOUNT_SHARE = 0.25;
  /** Base mix of processes (SLS, FDM, MJF, SLA) before each account's own preference. */
  static final double[] PROCESS_MIX = {0.30, 0.35, 0.20, 0.15};

  private static final String[] FIRST = {
      "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
      "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen",
      "Christopher", "Lisa", "Daniel", "Nancy", "Matthew", "Betty", "Anthony", "Sandra", "Mark", "Margaret",
      "Donald", "Ashley", "Steven", "Kimberly", "Andrew", "Emily", "Paul", "Donna", "Joshua", "Michelle",
      "Kenneth", "Carol", "Kevin", "Amanda", "Brian", "Melissa", "George", "Deborah", "Timothy", "Stephanie",
      "Priya", "Wei", "Mohammed", "Aisha", "Carlos", "Sofia", "Hiroshi", "Yuki", "Olga", "Tomasz"};
  private static final String[] LAST = {
      "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
      "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
      "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
      "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
      "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts",
      "Kowalski", "Novak", "Schmidt", "Muller", "Patel", "Shah", "Chen", "Wang", "Kim", "Tanaka",
      "O'Brien", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann", "Koch", "Richter"};
  private static final String[][] NICKNAMES = {
      {"Robert", "Bob"}, {"William", "Bill"}, {"Elizabeth", "Liz"}, {"Michael", "Mike"}, {"Richard", "Rick"},
      {"Joseph", "Joe"}, {"Thomas", "Tom"}, {"Christopher", "Chris"}, {"Daniel", "Dan"}, {"Margaret", "Peggy"}};
  private static final String[] PREFIXES = {
      "Acme", "Apex", "Summit", "Nova", "Vertex", "Orbital", "Keystone", "Great Lakes", "Motor City", "Blue Water",
      "Northstar", "Pioneer", "Liberty", "Redwood", "Cobalt", "Granite", "Harbor", "Meridian", "Silverline", "Titan",
      "Evergreen", "Falcon", "Horizon", "Ironwood", "Juniper", "Lakeshore", "Maple", "Oakridge", "Pinnacle", "Quantum",
      "Riverbend", "Sterling", "Trident", "Union", "Vanguard", "Westfield", "Zenith", "Cardinal", "Beacon", "Crescent",
      "Everest", "Frontier", "Aurora", "Bluebird", "Copper", "Driftwood", "Glacier", "Highland", "Islander",
      "Jetstream",
      "Kestrel", "Lumen", "Monarch", "Northwind", "Osprey", "Paragon", "Quarry", "Rockport", "Sapphire", "Tamarack",
      "Upland", "Vector", "Willow", "Yellowstone", "Alloy", "Bright", "Cascade", "Dynamo", "Ember", "Fulcrum",
      "Gemini", "Halcyon", "Indigo", "Kinetic", "Lodestar", "Mosaic", "Nimbus", "Optic", "Prism", "Radiant"};
  private static final String[][] INDUSTRY_WORDS = {
      {"Aerospace", "Aviation", "Avionics", "Space Systems", "Aero Components"},
      {"Automotive", "Motors", "Auto Parts", "Mobility", "Drivetrain"},
      {"Medical", "Orthopedics", "Dental Labs", "Biomedical", "Surgical"},
      {"Home Goods", "Outdoor Gear", "Toys", "Housewares", "Sporting Goods"},
      {"Academy", "Institute", "Technical College", "Learning Lab", "Makerspace"},
      {"Architects", "Design Studio", "Building Design", "Urban Planning", "Models"},
      {"Energy", "Power Systems", "Solar", "Turbines", "Grid Services"},
      {"Retail", "Stores", "Outlet", "Marketplace", "Boutique"},
      {"Consulting", "Advisors", "Partners", "Solutions", "Strategy Group"},
      {"Events", "Exhibits", "Productions", "Trade Shows", "Staging"}};
  private static final String[] FREE_MAIL_DOMAINS = {"gmail.com", "yahoo.com", "outlook.com", "hotmail.com",
      "googlemail.com"};
  private static final double[] FREE_MAIL_WEIGHTS = {0.45, 0.20, 0.15, 0.15, 0.05};
  private static final String[] ALIAS_SUBDOMAINS = {"mail", "us", "eng", "corp"};
  private static final String[] HOST_PREFIXES = {"shop", "portal", "app", "blog"};

  private Population() {}

  static List<Account> build(long seed, int customers, SimCalendar cal) {
    int days = cal.days;
    SplittableRandom r = Streams.of(seed, Streams.POPULATION, 0);
    Industry[] industries = Industry.values();
    double[] industryWeights = new double[industries.length];
    for (int i = 0; i < industries.length; i++) {
      industryWeights[i] = industries[i].share();
    }
    double[] usWeights = Geo.weights(Geo.US_CITIES);
    double[] ukWeights = Geo.weights(Geo.UK_CITIES);
    Set<String> domains = new HashSet<>();
    Set<String> personKeys = new HashSet<>();
    List<Account> accounts = new ArrayList<>(customers);
    int contactSeq = 0;
    for (int i = 0; i < customers; i++) {
      boolean corporate = Streams.chance(r, CORPORATE_SHARE);
      Industry industry = industries[Streams.weighted(r, industryWeights)];
      boolean uk = corporate && Streams.chance(r, UK_COMPANY_SHARE);
      Geo.City city = uk ? Geo.UK_CITIES.get(Streams.weighted(r, ukWeights))
          : Geo.US_CITIES.get(Streams.weighted(r, usWeights));
      // Jitter inside the metro area; rounded so the written coordinates are the latent ones.
      double lat = round4(city.lat() + (r.nextDouble() - 0.5) * 0.06);
      double lon = round4(city.lon() + (r.nextDouble() - 0.5) * 0.06);
      double distance = Geo.distanceFromOfficeKm(lat, lon);

      String company = "";
      String domain = "";
      List<String> hostnames = List.of();
      String aliasSub = null;
      if (corporate) {
        String[] named = companyAndDomain(r, industry, city, uk, domains);
        company = named[0];
        domain = named[1];
        hostnames = Streams.chance(r, 0.25)
            ? List.of("www." + domain, Streams.chance(r, 0.3) ? domain : Streams.pick(r, HOST_PREFIXES) + "." + domain)
            : List.of("www." + domain);
        if (Streams.chance(r, MessRates.SUBDOMAIN_ALIAS_COMPANIES)) {
          aliasSub = Streams.pick(r, ALIAS_SUBDOMAINS);
        }
      }

      int nContacts = corporate ? 1 + Streams.weighted(r, CONTACTS_PER_COMPANY) : 1;
      List<Contact> contacts = new ArrayList<>(nContacts);
      Set<String> locals = new HashSet<>();
      String accountKey = domain;
      int pattern = r.nextInt(3);
      while (contacts.size() < nContacts) {
        String first = Streams.pick(r, FIRST);
        String last = Streams.pick(r, LAST);
        String name = displayName(first, last, r);
        String email;
        String alias = null;
        if (corporate) {
          String local = switch (pattern) {
            case 0 -> slug(first) + "." + slug(last);
            case 1 -> slug(first).charAt(0) + slug(last);
            default -> slug(first);
          };
          if (!locals.add(local)) {
            continue;
          }
          email = local + "@" + domain;
          if (aliasSub != null) {
            alias = local + "@" + aliasSub + "." + domain;
          }
        } else {
          email = personalEmail(r, first, last, personKeys);
          accountKey = Emails.normalise(email);
        }
        contactSeq++;
        contacts.add(new Contact(contactSeq - 1, String.format(Locale.ROOT, "C%05d", contactSeq), name, email, alias,
            Streams.chance(r, NEWSLETTER_OPT_IN), r.nextInt(61)));
      }

      double orderZ = Streams.gaussian(r);
      double frailty = PlantedEffects.RATE_FRAILTY_SD * Streams.gaussian(r);
      boolean licenseBuyer = Streams.chance(r, PlantedEffects.LICENSE_ACCOUNT_SHARE);
      double logit = PlantedEffects.TOP_TIER_BASE_LOGIT
          + (industry.topTier() ? PlantedEffects.TOP_TIER_INDUSTRY_LOGIT : 0)
          + (city.topTierRegion() ? PlantedEffects.TOP_TIER_REGION_LOGIT : 0);
      boolean topTier = Streams.chance(r, 1.0 / (1.0 + StrictMath.exp(-logit)));
      double[] processWeights = new double[PROCESS_MIX.length];
      for (int p = 0; p < processWeights.length; p++) {
        processWeights[p] = PROCESS_MIX[p] * StrictMath.exp(Streams.gaussian(r));
      }
      int acquisition = cal.weekday(Streams.chance(r, EARLY_ACCOUNT_SHARE) ? r.nextInt(Math.min(60, days))
          : r.nextInt(Math.max(1, days - 30)));
      accounts.add(new Account(i, String.format(Locale.ROOT, "A%05d", i + 1), corporate, company, domain, accountKey,
          industry, city, lat, lon, distance, orderZ, frailty, licenseBuyer, topTier, processWeights, acquisition,
          List.copyOf(contacts), hostnames));
    }
    return accounts;
  }

  private static String[] companyAndDomain(SplittableRandom r, Industry industry, Geo.City city, boolean uk,
                                           Set<String> domains) {
    String[] words = INDUSTRY_WORDS[industry.ordinal()];
    for (int attempt = 0; ; attempt++) {
      String base = Streams.pick(r, PREFIXES) + " " + Streams.pick(r, words);
      if (attempt >= 20) {
        base = base + " " + city.name() + (attempt >= 40 ? " " + attempt : "");
      }
      boolean hyphen = Streams.chance(r, 0.6);
      String slug = hyphen ? slug(base.replace(' ', '-')) : slug(base);
      String tld;
      if (uk) {
        tld = ".co.uk";
      } else if (industry == Industry.EDUCATION && Streams.chance(r, 0.4)) {
        tld = ".org";
      } else {
        double u = r.nextDouble();
        tld = u < 0.88 ? ".com" : u < 0.94 ? ".net" : ".io";
      }
      String domain = slug + tld;
      if (!domains.add(domain)) {
        continue;
      }
      double u = r.nextDouble();
      String legal = uk ? (u < 0.6 ? " Ltd" : "")
          : u < 0.20 ? ", Inc." : u < 0.35 ? " LLC" : u < 0.40 ? ", LLC" : "";
      return new String[] {base + legal, domain};
    }
  }

  private static String personalEmail(SplittableRandom r, String first, String last, Set<String> personKeys) {
    String domain = FREE_MAIL_DOMAINS[Streams.weighted(r, FREE_MAIL_WEIGHTS)];
    String f = slug(first);
    String l = slug(last);
    for (int attempt = 0; ; attempt++) {
      String local = switch (r.nextInt(4)) {
        case 0 -> f + "." + l;
        case 1 -> f + l;
        case 2 -> f.charAt(0) + l;
        default -> f + "_" + l;
      };
      if (attempt > 0 || Streams.chance(r, 0.5)) {
        local = local + (10 + r.nextInt(attempt < 5 ? 90 : 9000));
      }
      String email = local + "@" + domain;
      if (personKeys.add(Emails.normalise(email))) {
        return email;
      }
    }
  }

  private static String displayName(String first, String last, SplittableRandom r) {
    for (String[] nick : NICKNAMES) {
      if (nick[0].equals(first) && Streams.chance(r, 0.1)) {
        return first + " \"" + nick[1] + "\" " + last;
      }
    }
    return first + " " + last;
  }

  /** Lower-case letters, digits and hyphens only. */
  static String slug(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (char c : s.toLowerCase(Locale.ROOT).toCharArray()) {
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-') {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static double round4(double v) {
    return Math.round(v * 10_000.0) / 10_000.0;
  }
}

package com.customervalue.sample;

import com.customervalue.sample.Simulation.History;
import com.customervalue.sample.Simulation.Line;
import com.customervalue.sample.Simulation.Purchase;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code truth/manifest.json}, written by hand in a fixed key order so it is byte-stable. */
final class Manifest {

  private Manifest() {}

  /** Rows and mess counts of one file, summed over its parts. */
  static final class FileTotal {
    final String name;
    long rows;
    final Map<String, Long> mess = new LinkedHashMap<>();

    FileTotal(String name) {
      this.name = name;
    }

    void add(SourceFile part) {
      rows += part.rows();
      part.mess().forEach((kind, n) -> mess.merge(kind, n, Long::sum));
    }
  }

  /** Facts of the latent process, summed over the parts' accounts. */
  static final class Latent {
    long accounts;
    long corporate;
    long contacts;
    long uk;
    long licenseBuyers;
    long topTierBuyers;
    long tickets;
    long churned;
    long paidInvoices;

    void add(SampleSpec spec, List<History> histories) {
      long days = spec.endDate().toEpochDay() - spec.startDate().toEpochDay();
      for (History h : histories) {
        Population.Account a = h.account;
        accounts++;
        corporate += a.corporate() ? 1 : 0;
        contacts += a.contacts().size();
        uk += a.city().utcOffset() == 0 ? 1 : 0;
        tickets += h.tickets.size();
        paidInvoices += h.purchases.size();
        churned += h.deathDay < days ? 1 : 0;
        boolean license = false;
        boolean tier3 = false;
        for (Purchase p : h.purchases) {
          for (Line l : p.lines()) {
            license |= l.tier() > 0;
            tier3 |= l.tier() == 3;
          }
        }
        licenseBuyers += license ? 1 : 0;
        topTierBuyers += tier3 ? 1 : 0;
      }
    }
  }

  static String json(SampleSpec spec, List<LocalDate> truthDates, List<FileTotal> files,
                     Map<String, Identities.Counts> counts, List<SampleGenerator.Oracle> oracles, Latent latent) {
    StringBuilder sb = new StringBuilder(4096);
    sb.append("{\n");
    sb.append("  \"generator\": \"com.customervalue.sample.SampleGenerator\",\n");
    sb.append("  \"format_version\": 1,\n");
    sb.append("  \"spec\": {\n");
    sb.append("    \"seed\": ").append(spec.seed()).append(",\n");
    sb.append("    \"customers\": ").append(spec.customers()).append(",\n");
    sb.append("    \"years\": ").append(spec.years()).append(",\n");
    sb.append("    \"start\": ").append(Text.json(spec.startDate().toString())).append(",\n");
    sb.append("    \"end_exclusive\": ").append(Text.json(spec.endDate().toString())).append(",\n");
    sb.append("    \"horizon_days\": ").append(spec.horizonDays()).append(",\n");
    sb.append("    \"truth_as_of\": [");
    for (int i = 0; i < truthDates.size(); i++) {
      sb.append(i > 0 ? ", " : "").append(Text.json(truthDates.get(i).toString()));
    }
    sb.append(']');
    if (spec.parts() > 1) {
      sb.append(",\n    \"parts\": ").append(spec.parts());
    }
    sb.append("\n  },\n");
    sb.append("  \"office\": {\"city\": ").append(Text.json(Geo.OFFICE_CITY)).append(", \"state\": ")
        .append(Text.json(Geo.OFFICE_STATE)).append(", \"latitude\": ").append(Text.fixed(Geo.OFFICE_LAT, 4))
        .append(", \"longitude\": ").append(Text.fixed(Geo.OFFICE_LON, 4)).append(", \"time_zone\": ")
        .append(Text.json(Geo.OFFICE_ZONE.getId())).append("},\n");
    sb.append("  \"files\": {\n");
    for (int i = 0; i < files.size(); i++) {
      FileTotal f = files.get(i);
      sb.append("    ").append(Text.json(f.name)).append(": {\"rows\": ").append(f.rows);
      Identities.Counts c = counts.get(f.name);
      if (c != null) {
        sb.append(", \"eligible_rows\": ").append(c.eligible()).append(", \"matchable_rows\": ").append(c.matchable());
      }
      sb.append(", \"mess\": {");
      int j = 0;
      for (Map.Entry<String, Long> e : f.mess.entrySet()) {
        sb.append(j++ > 0 ? ", " : "").append(Text.json(e.getKey())).append(": ").append(e.getValue());
      }
      sb.append("}}").append(i < files.size() - 1 ? "," : "").append('\n');
    }
    sb.append("  },\n");
    sb.append("  \"truth\": [\n");
    for (int i = 0; i < oracles.size(); i++) {
      SampleGenerator.Oracle o = oracles.get(i);
      sb.append("    {\"as_of\": ").append(Text.json(o.asOf().toString()))
          .append(", \"horizon_days\": ").append(spec.horizonDays())
          .append(", \"accounts\": ").append(o.accounts())
          .append(", \"returned\": ").append(o.returned())
          .append(", \"mean_p_return\": ").append(number(o.meanP()))
          .append(", \"oracle_roc_auc\": ").append(number(o.rocAuc()))
          .append('}').append(i < oracles.size() - 1 ? "," : "").append('\n');
    }
    sb.append("  ],\n");
    sb.append("  \"latent\": {\n");
    sb.append("    \"accounts\": ").append(latent.accounts).append(",\n");
    sb.append("    \"corporate_accounts\": ").append(latent.corporate).append(",\n");
    sb.append("    \"individual_accounts\": ").append(latent.accounts - latent.corporate).append(",\n");
    sb.append("    \"uk_accounts\": ").append(latent.uk).append(",\n");
    sb.append("    \"contacts\": ").append(latent.contacts).append(",\n");
    sb.append("    \"paid_invoices\": ").append(latent.paidInvoices).append(",\n");
    sb.append("    \"license_buyers\": ").append(latent.licenseBuyers).append(",\n");
    sb.append("    \"top_tier_buyers\": ").append(latent.topTierBuyers).append(",\n");
    sb.append("    \"churned_by_end\": ").append(latent.churned).append(",\n");
    sb.append("    \"tickets_opened_incl_after_end\": ").append(latent.tickets).append('\n');
    sb.append("  }\n");
    sb.append("}\n");
    return sb.toString();
  }

  private static String number(double v) {
    return Double.isNaN(v) ? "null" : Text.fixed(v, 6);
  }
}

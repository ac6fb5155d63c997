package com.customervalue.sample;

import com.customervalue.sample.MessyFile.Malformed;
import com.customervalue.sample.Simulation.History;
import com.customervalue.sample.Simulation.Ticket;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** {@code support_tickets.json}: JSON Lines from the support desk. */
final class TicketFile {
  static final String NAME = "support_tickets.json";
  static final int FIRST_ID = 1001;
  static final List<Malformed> KINDS = List.of(Malformed.BAD_JSON, Malformed.BAD_DATE, Malformed.MISSING_REQUIRED);
  private static final String[] BAD_TIMESTAMPS = {"not a date", "2015-13-45T10:00:00Z", "03/02/2015 14:05"};

  /** A well-formed ticket as written; closedAt null while open. */
  private record TicketRow(long id, String email, String createdAt, String closedAt, String status, List<String> tags,
                           String subject, int flags, String account) {}

  /** Which required member a missing_required row lacks. */
  private enum Missing { NONE, ID, CUSTOMER_OBJECT_EMPTY, EMAIL_EMPTY, CREATED_AT }

  private TicketFile() {}

  /** The file of one part: its ticket ids start at the part's own range (as invoice numbers do). */
  static SourceFile build(long seed, SimCalendar cal, List<History> histories, int part) {
    Instant end = cal.end.atStartOfDay(Geo.OFFICE_ZONE).toInstant();
    List<Ticket> tickets = new ArrayList<>();
    for (History h : histories) {
      for (Ticket t : h.tickets) {
        if (t.created().isBefore(end)) {
          tickets.add(t);
        }
      }
    }
    tickets.sort(Comparator.comparing(Ticket::created).thenComparingInt(Ticket::account));
    List<TicketRow> rows = new ArrayList<>(tickets.size());
    long id = FIRST_ID + part * InvoiceFile.PART_NUMBER_STRIDE;
    for (Ticket t : tickets) {
      SplittableRandom r = Streams.of(seed, Streams.TICKET_RENDER, id);
      Population.Account account = Simulation.History.of(histories, t.account()).account;
      Population.Contact c = account.contacts().get(t.contact());
      Emails.Rendered email = Emails.render(c, r);
      String created = iso(t.created());
      String closed = null;
      String status;
      if (t.closed().isBefore(end)) {
        status = "closed";
        closed = Streams.chance(r, MessRates.TICKET_CLOSED_BEFORE_CREATED)
            ? iso(t.created().minusSeconds(3600L + r.nextInt(71 * 3600))) : iso(t.closed());
      } else {
        status = r.nextBoolean() ? "active" : "pending";
      }
      rows.add(new TicketRow(id, email.text(), created, closed, status, t.tags(), t.subject(), email.flags(),
          account.accountKey()));
      id++;
    }

    SplittableRandom r = Streams.of(seed, Streams.MESS, 7);
    int n = rows.size();
    List<List<String>> extra = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      extra.add(null);
    }
    Map<String, Long> mess = new LinkedHashMap<>();
    for (int index = 0; index < KINDS.size(); index++) {
      Malformed kind = KINDS.get(index);
      int k = MessyFile.malformedCount(n, KINDS.size(), index);
      for (int i : Streams.sample(r, n, k)) {
        TicketRow row = rows.get(i);
        String line = switch (kind) {
          case BAD_JSON -> {
            String full = json(row, Missing.NONE, row.createdAt());
            yield full.substring(0, (int) (full.length() * (0.3 + 0.55 * r.nextDouble())));
          }
          case BAD_DATE -> json(row, Missing.NONE, Streams.pick(r, BAD_TIMESTAMPS));
          case MISSING_REQUIRED -> json(row, Missing.values()[1 + r.nextInt(4)], row.createdAt());
          default -> throw new IllegalStateException("Cannot plant " + kind.key + " in " + NAME);
        };
        if (extra.get(i) == null) {
          extra.set(i, new ArrayList<>(2));
        }
        extra.get(i).add(line);
      }
      mess.put(kind.key, (long) k);
    }
    List<String> lines = new ArrayList<>(n + 16);
    List<MessyFile.Row> emailRows = new ArrayList<>(n);
    List<String> wellFormedLines = new ArrayList<>(n);
    long closedBeforeCreated = 0;
    long open = 0;
    for (int i = 0; i < n; i++) {
      TicketRow row = rows.get(i);
      String line = json(row, Missing.NONE, row.createdAt());
      lines.add(line);
      wellFormedLines.add(line);
      if (extra.get(i) != null) {
        lines.addAll(extra.get(i));
      }
      emailRows.add(new MessyFile.Row(new String[] {row.email()}, row.flags(), row.account()));
      if (row.closedAt() == null) {
        open++;
      } else if (row.closedAt().compareTo(row.createdAt()) < 0) {
        closedBeforeCreated++;
      }
    }
    mess.put("closed_before_created", closedBeforeCreated);
    mess.put("open_tickets", open);
    SourceFile.countEmailMess(emailRows, 0, mess);
    return new SourceFile(NAME, null, lines, mess,
        new Identities.Keyed(Identities.Columns.of(Identities.EMAIL, 0), emailRows, wellFormedLines));
  }

  private static String iso(Instant i) {
    return Text.ISO_UTC.format(i.atOffset(ZoneOffset.UTC));
  }

  private static String json(TicketRow t, Missing missing, String createdAt) {
    StringBuilder sb = new StringBuilder(256).append('{');
    if (missing != Missing.ID) {
      sb.append("\"id\":").append(t.id()).append(',');
    }
    sb.append("\"number\":").append(t.id()).append(",\"customer\":{");
    if (missing == Missing.EMAIL_EMPTY) {
      sb.append("\"email\":\"\"");
    } else if (missing != Missing.CUSTOMER_OBJECT_EMPTY) {
      sb.append("\"email\":").append(Text.json(t.email()));
    }
    sb.append('}');
    if (missing != Missing.CREATED_AT) {
      sb.append(",\"createdAt\":").append(Text.json(createdAt));
    }
    sb.append(",\"closedAt\":").append(t.closedAt() == null ? "null" : Text.json(t.closedAt()));
    sb.append(",\"status\":").append(Text.json(t.status())).append(",\"tags\":[");
    for (int i = 0; i < t.tags().size(); i++) {
      sb.append(i > 0 ? "," : "").append(Text.json(t.tags().get(i)));
    }
    return sb.append("],\"subject\":").append(Text.json(t.subject())).append('}').toString();
  }
}

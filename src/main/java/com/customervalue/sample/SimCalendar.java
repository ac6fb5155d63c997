package com.customervalue.sample;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

/** Day index {@code 0..days-1} of the simulated period {@code [start, end)}. */
final class SimCalendar {
  final LocalDate start;
  final LocalDate end;
  final int days;
  private final boolean[] weekend;

  SimCalendar(LocalDate start, int years) {
    this.start = start;
    this.end = start.plusYears(years);
    this.days = (int) ChronoUnit.DAYS.between(start, end);
    this.weekend = new boolean[days];
    for (int d = 0; d < days; d++) {
      DayOfWeek w = start.plusDays(d).getDayOfWeek();
      weekend[d] = w == DayOfWeek.SATURDAY || w == DayOfWeek.SUNDAY;
    }
  }

  LocalDate date(int day) {
    return start.plusDays(day);
  }

  int index(LocalDate date) {
    return (int) ChronoUnit.DAYS.between(start, date);
  }

  boolean weekend(int day) {
    return weekend[day];
  }

  boolean august(int day) {
    return date(day).getMonthValue() == 8;
  }

  /** The same day if a weekday, else the next Monday, else (at the period's end) the Friday before. */
  int weekday(int day) {
    int d = day;
    while (d < days && weekend[d]) {
      d++;
    }
    if (d < days) {
      return d;
    }
    d = day;
    while (d > 0 && weekend[d]) {
      d--;
    }
    return d;
  }
}

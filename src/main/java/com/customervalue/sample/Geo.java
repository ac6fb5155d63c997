package com.customervalue.sample;

import java.time.ZoneId;
import java.util.List;
import java.util.Set;

/** The office, the cities customers sit in, and great-circle distance. */
final class Geo {
  static final String OFFICE_CITY = "Detroit";
  static final String OFFICE_STATE = "MI";
  static final double OFFICE_LAT = 42.3314;
  static final double OFFICE_LON = -83.0458;
  static final ZoneId OFFICE_ZONE = ZoneId.of("America/Detroit");

  /** US states counted as "north-east" for the top-tier effect (all on UTC-5). */
  static final Set<String> NORTH_EAST_STATES = Set.of("NY", "MA", "CT", "PA", "NJ", "RI", "NH", "VT", "ME");

  /** A customer location: real city centre, one postcode, standard-time UTC offset. */
  record City(String name, String state, String postcode, double lat, double lon, int utcOffset, double weight) {
    boolean topTierRegion() {
      return "AK".equals(state) || NORTH_EAST_STATES.contains(state);
    }
  }

  /** US cities, weighted so about 40 % of US accounts sit within 300 km of the office. */
  static final List<City> US_CITIES = List.of(
      new City("Detroit", "MI", "48226", 42.3314, -83.0458, -5, 10),
      new City("Ann Arbor", "MI", "48104", 42.2808, -83.7430, -5, 6),
      new City("Troy", "MI", "48084", 42.6064, -83.1498, -5, 4),
      new City("Dearborn", "MI", "48126", 42.3223, -83.1763, -5, 3),
      new City("Lansing", "MI", "48933", 42.7325, -84.5555, -5, 3),
      new City("Flint", "MI", "48502", 43.0125, -83.6875, -5, 2),
      new City("Grand Rapids", "MI", "49503", 42.9634, -85.6681, -5, 4),
      new City("Toledo", "OH", "43604", 41.6528, -83.5379, -5, 3),
      new City("Cleveland", "OH", "44114", 41.4993, -81.6944, -5, 4),
      new City("Columbus", "OH", "43215", 39.9612, -82.9988, -5, 3),
      new City("Indianapolis", "IN", "46204", 39.7684, -86.1581, -5, 2),
      new City("Pittsburgh", "PA", "15222", 40.4406, -79.9959, -5, 2),
      new City("Chicago", "IL", "60601", 41.8781, -87.6298, -6, 6),
      new City("Milwaukee", "WI", "53202", 43.0389, -87.9065, -6, 2),
      new City("Minneapolis", "MN", "55401", 44.9778, -93.2650, -6, 2),
      new City("Houston", "TX", "77002", 29.7604, -95.3698, -6, 3),
      new City("Dallas", "TX", "75201", 32.7767, -96.7970, -6, 2),
      new City("Atlanta", "GA", "30303", 33.7490, -84.3880, -5, 3),
      new City("New York", "NY", "10007", 40.7128, -74.0060, -5, 5),
      new City("Boston", "MA", "02108", 42.3601, -71.0589, -5, 4),
      new City("Hartford", "CT", "06103", 41.7658, -72.6734, -5, 2),
      new City("Philadelphia", "PA", "19107", 39.9526, -75.1652, -5, 3),
      new City("Denver", "CO", "80202", 39.7392, -104.9903, -7, 3),
      new City("Phoenix", "AZ", "85004", 33.4484, -112.0740, -7, 2),
      new City("Los Angeles", "CA", "90012", 34.0522, -118.2437, -8, 4),
      new City("San Jose", "CA", "95113", 37.3382, -121.8863, -8, 3),
      new City("Seattle", "WA", "98101", 47.6062, -122.3321, -8, 3),
      new City("Anchorage", "AK", "99501", 61.2181, -149.9003, -9, 3),
      new City("Honolulu", "HI", "96813", 21.3069, -157.8583, -10, 2));

  /** UK cities for the few UK companies (.co.uk domains, UTC 0); State holds the nation. */
  static final List<City> UK_CITIES = List.of(
      new City("London", "England", "EC1A 1BB", 51.5074, -0.1278, 0, 4),
      new City("Manchester", "England", "M1 1AE", 53.4808, -2.2426, 0, 2),
      new City("Birmingham", "England", "B1 1BB", 52.4862, -1.8904, 0, 2),
      new City("Bristol", "England", "BS1 4DJ", 51.4545, -2.5879, 0, 1),
      new City("Cambridge", "England", "CB2 1TN", 52.2053, 0.1218, 0, 1));

  private Geo() {}

  static double[] weights(List<City> cities) {
    double[] w = new double[cities.size()];
    for (int i = 0; i < w.length; i++) {
      w[i] = cities.get(i).weight();
    }
    return w;
  }

  /** Haversine distance in km on a sphere of mean Earth radius. */
  static double distanceKm(double lat1, double lon1, double lat2, double lon2) {
    double p1 = StrictMath.toRadians(lat1);
    double p2 = StrictMath.toRadians(lat2);
    double dp = p2 - p1;
    double dl = StrictMath.toRadians(lon2 - lon1);
    double a = StrictMath.sin(dp / 2) * StrictMath.sin(dp / 2)
        + StrictMath.cos(p1) * StrictMath.cos(p2) * StrictMath.sin(dl / 2) * StrictMath.sin(dl / 2);
    return 2 * 6371.0088 * StrictMath.atan2(StrictMath.sqrt(a), StrictMath.sqrt(1 - a));
  }

  static double distanceFromOfficeKm(double lat, double lon) {
    return distanceKm(OFFICE_LAT, OFFICE_LON, lat, lon);
  }
}

package com.customervalue.features;

import static org.apache.spark.sql.functions.asin;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.cos;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.radians;
import static org.apache.spark.sql.functions.sin;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.struct;

import com.customervalue.identity.Keyed;
import com.customervalue.sources.Source;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * Account attributes from the customers and site-categories sources. These records carry no
 * dates, so each account's attributes are those of the run for every snapshot: an attribute
 * changed in the CRM cannot be replayed to an earlier as_of.
 */
final class CustomerFeatures {
  static final double EARTH_RADIUS_KM = 6371.0088;

  private CustomerFeatures() {}

  static List<FeatureSpec> specs() {
    return List.of(
        new FeatureSpec("industry", "customers", "industry of the account's customer records (first alphabetically"
            + " when they differ); unknown when none", DataTypes.StringType, "unknown"),
        new FeatureSpec("state", "customers", "state or region of the account", DataTypes.StringType, "unknown"),
        new FeatureSpec("utc_offset", "customers", "UTC offset in hours of the account's location",
            DataTypes.DoubleType, null),
        new FeatureSpec("distance_km", "customers", "great-circle (haversine) distance from the office in km",
            DataTypes.DoubleType, null),
        new FeatureSpec("website_category", "site_categories", "crowd-labelled category of the account's website"
            + " (most votes); unknown when none", DataTypes.StringType, "unknown"),
        new FeatureSpec("site_text", "site_categories", "website category as text, for the model's TF-IDF",
            DataTypes.StringType, ""),
        new FeatureSpec("free_mail_account", "identity", "1 when the account is a free-mail individual, 0 for a"
            + " company domain", DataTypes.IntegerType, 0));
  }

  /** (account_key, attributes...) per account with customer records. */
  static Dataset<Row> customers(Dataset<Row> keyedCustomers, FeatureSettings settings) {
    Dataset<Row> perAccount = keyedCustomers.where(col(Keyed.ACCOUNT_KEY).isNotNull())
        .groupBy(col(Keyed.ACCOUNT_KEY))
        .agg(min(col(Source.Customers.INDUSTRY)).as("industry"), min(col(Source.Customers.STATE)).as("state"),
            avg(col(Source.Customers.UTC_OFFSET)).as("utc_offset"),
            avg(col(Source.Customers.LATITUDE)).as("_lat"), avg(col(Source.Customers.LONGITUDE)).as("_lon"));
    return perAccount.withColumn("distance_km", haversineKm(col("_lat"), col("_lon"),
            lit(settings.officeLatitude()), lit(settings.officeLongitude())))
        .drop("_lat", "_lon");
  }

  /** (account_key, website_category, site_text) per account with a categorised site. */
  static Dataset<Row> siteCategories(Dataset<Row> keyedSites) {
    return keyedSites.where(col(Keyed.ACCOUNT_KEY).isNotNull())
        .groupBy(col(Keyed.ACCOUNT_KEY))
        .agg(max(struct(col(Source.SiteCategories.VOTES), col(Source.SiteCategories.CATEGORY)))
            .getField(Source.SiteCategories.CATEGORY).as("website_category"))
        .withColumn("site_text", lower(col("website_category")));
  }

  static Column haversineKm(Column lat1, Column lon1, Column lat2, Column lon2) {
    Column dLat = radians(lat2.minus(lat1));
    Column dLon = radians(lon2.minus(lon1));
    Column a = pow(sin(dLat.divide(2)), 2)
        .plus(cos(radians(lat1)).multiply(cos(radians(lat2))).multiply(pow(sin(dLon.divide(2)), 2)));
    return asin(sqrt(a)).multiply(2 * EARTH_RADIUS_KM);
  }
}

package com.customervalue.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.customervalue.testing.SparkExtension;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SparkExtension.class)
class CustomerFeaturesTest {
  private static final FeatureSettings DETROIT = new FeatureSettings(365, 730, 42.3314, -83.0458, 10.0, 3);

  @Test
  void attributesPerAccountWithTheHaversineDistanceToTheOffice(SparkSession spark) {
    StructType schema = new StructType().add("account_key", DataTypes.StringType)
        .add("industry", DataTypes.StringType).add("state", DataTypes.StringType)
        .add("utc_offset", DataTypes.DoubleType).add("latitude", DataTypes.DoubleType)
        .add("longitude", DataTypes.DoubleType);
    List<Row> rows = List.of(
        RowFactory.create("acme.com", "retail", "IL", -6.0, 41.8781, -87.6298),
        RowFactory.create("acme.com", "consulting", "IL", -6.0, 41.8781, -87.6298),
        RowFactory.create("here.com", null, "MI", -5.0, 42.3314, -83.0458),
        RowFactory.create(null, "events", "AK", -9.0, 61.2181, -149.9003));

    Map<String, Row> byAccount = CustomerFeatures.customers(spark.createDataFrame(rows, schema), DETROIT)
        .collectAsList().stream().collect(Collectors.toMap(r -> r.getAs("account_key"), r -> r));

    assertThat(byAccount).containsOnlyKeys("acme.com", "here.com");
    Row acme = byAccount.get("acme.com");
    assertThat(acme.<String>getAs("industry")).as("first alphabetically when records differ").isEqualTo("consulting");
    assertThat(acme.<Double>getAs("distance_km"))
        .as("Detroit to Chicago, haversine with R = 6371.0088 km, computed independently")
        .isCloseTo(381.4663, within(1e-3));
    assertThat(byAccount.get("here.com").<Double>getAs("distance_km")).isCloseTo(0.0, within(1e-9));
    assertThat(byAccount.get("here.com").<String>getAs("industry")).isNull();
  }

  @Test
  void theWebsiteCategoryIsTheOneWithMostVotes(SparkSession spark) {
    StructType schema = new StructType().add("account_key", DataTypes.StringType)
        .add("category", DataTypes.StringType).add("votes", DataTypes.IntegerType);
    List<Row> rows = List.of(RowFactory.create("acme.com", "Retail", 3), RowFactory.create("acme.com", "Blogs", 9));

    Row site = CustomerFeatures.siteCategories(spark.createDataFrame(rows, schema)).first();

    assertThat(site.<String>getAs("website_category")).isEqualTo("Blogs");
    assertThat(site.<String>getAs("site_text")).isEqualTo("blogs");
  }
}

package com.customervalue.features.families;

import static org.assertj.core.api.Assertions.assertThat;

import com.customervalue.features.FeatureFamily;
import com.customervalue.features.FeatureSpec;
import com.customervalue.sources.Source;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;

class FamilyRegistryTest {
  private static final List<FeatureFamily> FAMILIES = List.of(new SupportFeatures(), new WebFeatures(),
      new MarketingFeatures(), new PressReleaseFeatures(), new TextFeatures());

  @Test
  void namesAreUniqueSnakeCaseAndDocumented() {
    List<FeatureSpec> all = FAMILIES.stream().flatMap(f -> f.specs().stream()).toList();

    assertThat(all).extracting(FeatureSpec::name).doesNotHaveDuplicates()
        .allMatch(n -> n.matches("[a-z][a-z0-9_]*"));
    assertThat(all).allMatch(s -> s.meaning().endsWith(".") && s.meaning().length() > 20);
    for (FeatureFamily family : FAMILIES) {
      assertThat(Source.byId(family.source())).as(family.source()).isPresent();
      assertThat(family.specs()).allMatch(s -> s.source().equals(family.source()));
    }
  }

  @Test
  void fillsMatchTheirTypes() {
    for (FeatureFamily family : FAMILIES) {
      for (FeatureSpec spec : family.specs()) {
        Object fill = spec.fill();
        if (spec.type().equals(DataTypes.LongType)) {
          assertThat(fill).as(spec.name()).isEqualTo(0L);
        } else if (spec.name().startsWith("days_since") || spec.name().endsWith("_rate_90d")
            || spec.name().endsWith("_mean")) {
          assertThat(fill).as(spec.name()).isNull();
        } else if (spec.type().equals(DataTypes.StringType)) {
          assertThat(fill).as(spec.name()).isEqualTo("");
        } else if (spec.type().equals(DataTypes.IntegerType)) {
          assertThat(fill).as(spec.name()).isEqualTo(0);
        } else {
          assertThat(fill).as(spec.name()).isEqualTo(0d);
        }
      }
    }
  }

  @Test
  void topicColumnsFollowTheTopicList() {
    assertThat(PressReleaseFeatures.SPECS).extracting(FeatureSpec::name).containsSubsequence(
        "releases_365d_new_process", "releases_365d_customer_story", "releases_365d_award", "releases_365d_event",
        "releases_365d_product_update");
  }
}

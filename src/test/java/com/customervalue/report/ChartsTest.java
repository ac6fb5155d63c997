package com.customervalue.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Date;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class ChartsTest {

  /** The first palette colour: every chart with data paints its first series in it. */
  private static final int FIRST_SERIES_RGB = 0x4E79A7;

  private static final CellResult REVENUE = new CellResult(
      List.of("model", "tier", "revenue", "adjusted"),
      List.of(
          Arrays.asList("gbt", 1L, 120.5, new BigDecimal("100.25")),
          Arrays.asList("gbt", 2L, 80, 70),
          Arrays.asList("logistic", 1L, 110.0, null),
          Arrays.asList("logistic", 2L, null, 60.0f),
          Arrays.asList("logistic", 3L, 30.0, 20.0)),
      false, 5);

  static BufferedImage decode(byte[] png) throws IOException {
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    assertThat(image).as("decodable PNG").isNotNull();
    return image;
  }

  private static long pixelsOf(BufferedImage image, int rgb) {
    long n = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        if ((image.getRGB(x, y) & 0xFFFFFF) == rgb) {
          n++;
        }
      }
    }
    return n;
  }

  @ParameterizedTest
  @EnumSource(ChartSpec.Type.class)
  void drawsEachTypeAtTheRequestedSize(ChartSpec.Type type) throws IOException {
    ChartSpec spec = ChartSpec.parse("type=" + type + " x=tier y=revenue,adjusted series=model title=\"T\"");

    BufferedImage image = decode(Charts.png(spec, REVENUE, 640, 360));

    assertThat(image.getWidth()).isEqualTo(640);
    assertThat(image.getHeight()).isEqualTo(360);
    assertThat(pixelsOf(image, FIRST_SERIES_RGB)).as("pixels of the first series").isGreaterThan(20);
  }

  @Test
  void drawsALineChartOverDates() throws IOException {
    CellResult monthly = new CellResult(List.of("month", "revenue"), List.of(
        List.of(Date.valueOf("2024-01-01"), 10.0),
        List.of(Date.valueOf("2024-02-01"), 14.0),
        List.of(Date.valueOf("2024-03-01"), 9.0)), false, 1);

    BufferedImage image = decode(Charts.png(ChartSpec.parse("type=line x=month y=revenue"), monthly, 400, 300));

    assertThat(image.getWidth()).isEqualTo(400);
    assertThat(pixelsOf(image, FIRST_SERIES_RGB)).isGreaterThan(20);
  }

  @Test
  void resolvesColumnsCaseInsensitivelyLikeSparkSql() throws IOException {
    BufferedImage image = decode(Charts.png(ChartSpec.parse("type=bar x=TIER y=Revenue"), REVENUE, 300, 200));

    assertThat(image.getHeight()).isEqualTo(200);
  }

  @Test
  void rejectsAMissingColumnListingTheColumnsFound() {
    ChartSpec spec = ChartSpec.parse("type=bar x=tier y=revenue,margin");

    assertThatThrownBy(() -> Charts.png(spec, REVENUE, 300, 200))
        .isInstanceOf(ReportException.class)
        .hasMessageContaining("y column 'margin'")
        .hasMessageContaining("found: model, tier, revenue, adjusted");
  }

  @Test
  void rejectsANonNumericValueNamingItAndItsRow() {
    ChartSpec spec = ChartSpec.parse("type=line x=tier y=model");

    assertThatThrownBy(() -> Charts.png(spec, REVENUE, 300, 200))
        .isInstanceOf(ReportException.class)
        .hasMessageContaining("column 'model'")
        .hasMessageContaining("'gbt'")
        .hasMessageContaining("row 1");
  }

  @Test
  void rejectsANonPositiveSize() {
    assertThatThrownBy(() -> Charts.png(ChartSpec.parse("type=bar x=tier y=revenue"), REVENUE, 0, 200))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0x200");
  }
}

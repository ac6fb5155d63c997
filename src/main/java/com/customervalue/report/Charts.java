package com.customervalue.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYItemRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Draws a {@link ChartSpec} over a {@link CellResult} as a PNG with JFreeChart, without a display.
 *
 * <p>Rows whose x or y value is null are skipped. One series is drawn per distinct value of the
 * spec's series column and, when it lists several y columns, per y column; bar categories and line
 * series keep the result's row order (lines are drawn in x order).
 */
public final class Charts {

  static {
    // On a cluster node there is no display; AWT must know before its first class loads. An explicit
    // -Djava.awt.headless=false (a developer with a screen) is left alone.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  /** Tableau 10: distinguishable, and still readable in greyscale print. */
  private static final Paint[] PALETTE = {
      new Color(0x4E79A7), new Color(0xF28E2B), new Color(0xE15759), new Color(0x76B7B2), new Color(0x59A14F),
      new Color(0xEDC948), new Color(0xB07AA1), new Color(0xFF9DA7), new Color(0x9C755F), new Color(0xBAB0AC)};
  private static final Color GRID = new Color(0xDDDDDD);
  /** Beyond this many bar categories, or this label length, x labels are turned so they do not overlap. */
  private static final int MANY_CATEGORIES = 8;
  private static final int LONG_LABEL = 12;

  private Charts() {}

  /**
   * Draws the chart.
   *
   * @param width image width in pixels
   * @param height image height in pixels
   * @return the PNG bytes
   * @throws ReportException if a column the spec names is missing (listing the columns found) or a
   *     y value (or a line/scatter x value) is not a number
   */
  public static byte[] png(ChartSpec spec, CellResult result, int width, int height) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("chart size must be positive, got " + width + "x" + height);
    }
    Columns columns = Columns.of(spec, result);
    JFreeChart chart = switch (spec.type()) {
      case BAR, HBAR -> categoryChart(spec, result, columns);
      case LINE, SCATTER -> xyChart(spec, result, columns);
    };
    chart.setBackgroundPaint(Color.WHITE);
    chart.setPadding(new RectangleInsets(8, 8, 8, 16));
    TextTitle title = chart.getTitle();
    if (title != null) {
      title.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ChartUtils.writeChartAsPNG(out, chart, width, height);
    } catch (IOException e) {
      throw ReportException.cannotEncode("chart '" + spec.title().orElse(spec.x()) + "'", e);
    }
    return out.toByteArray();
  }

  /** Where the spec's columns are in the result. */
  private record Columns(int x, List<Integer> y, Optional<Integer> series, List<String> yNames) {
    static Columns of(ChartSpec spec, CellResult result) {
      int x = find(result, spec.x(), "x");
      List<Integer> y = new ArrayList<>();
      List<String> yNames = new ArrayList<>();
      for (String column : spec.y()) {
        int i = find(result, column, "y");
        y.add(i);
        yNames.add(result.columns().get(i));
      }
      Optional<Integer> series = spec.series().map(s -> find(result, s, "series"));
      return new Columns(x, y, series, yNames);
    }

    private static int find(CellResult result, String column, String role) {
      int i = result.indexOf(column);
      if (i < 0) {
        throw ReportException.missingColumn(column, role, result.columns());
      }
      return i;
    }

    /** The series a row's value of y column number {@code k} belongs to. */
    String seriesKey(List<Object> row, int k) {
      String byValue = series.map(s -> label(row.get(s))).orElse(null);
      String byColumn = y.size() > 1 ? yNames.get(k) : null;
      if (byValue != null && byColumn != null) {
        return byValue + " / " + byColumn;
      }
      return byValue != null ? byValue : byColumn != null ? byColumn : yNames.get(0);
    }
  }

  private static JFreeChart categoryChart(ChartSpec spec, CellResult result, Columns columns) {
    DefaultCategoryDataset dataset = new DefaultCategoryDataset();
    List<String> keys = new ArrayList<>();
    int longest = 0;
    for (int r = 0; r < result.rows().size(); r++) {
      List<Object> row = result.rows().get(r);
      String category = label(row.get(columns.x()));
      longest = Math.max(longest, category.length());
      for (int k = 0; k < columns.y().size(); k++) {
        Double value = number(row.get(columns.y().get(k)), columns.yNames().get(k), r);
        if (value == null) {
          continue;
        }
        String key = columns.seriesKey(row, k);
        if (!keys.contains(key)) {
          keys.add(key);
        }
        dataset.addValue(value, key, category);
      }
    }
    boolean horizontal = spec.type() == ChartSpec.Type.HBAR;
    JFreeChart chart = ChartFactory.createBarChart(spec.title().orElse(null), xLabel(spec, result, columns),
        yLabel(spec, columns), dataset, horizontal ? PlotOrientation.HORIZONTAL : PlotOrientation.VERTICAL,
        keys.size() > 1, false, false);
    CategoryPlot plot = chart.getCategoryPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(GRID);
    plot.setOutlineVisible(false);
    BarRenderer renderer = (BarRenderer) plot.getRenderer();
    renderer.setBarPainter(new StandardBarPainter());
    renderer.setShadowVisible(false);
    renderer.setDrawBarOutline(false);
    renderer.setItemMargin(0.05);
    for (int i = 0; i < keys.size(); i++) {
      renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
    }
    CategoryAxis axis = plot.getDomainAxis();
    axis.setMaximumCategoryLabelLines(2);
    if (!horizontal && (dataset.getColumnCount() > MANY_CATEGORIES || longest > LONG_LABEL)) {
      axis.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
    }
    return chart;
  }

  private static JFreeChart xyChart(ChartSpec spec, CellResult result, Columns columns) {
    boolean line = spec.type() == ChartSpec.Type.LINE;
    Map<String, XYSeries> series = new LinkedHashMap<>();
    Boolean dates = null;
    for (int r = 0; r < result.rows().size(); r++) {
      List<Object> row = result.rows().get(r);
      Object xValue = row.get(columns.x());
      if (xValue == null) {
        continue;
      }
      boolean isDate = epochMillis(xValue) != null;
      if (dates == null) {
        dates = isDate;
      } else if (dates != isDate) {
        throw ReportException.notNumeric(result.columns().get(columns.x()), xValue, r + 1);
      }
      Double x = isDate ? Double.valueOf(epochMillis(xValue)) : number(xValue, result.columns().get(columns.x()), r);
      if (x == null) {
        continue;
      }
      for (int k = 0; k < columns.y().size(); k++) {
        Double y = number(row.get(columns.y().get(k)), columns.yNames().get(k), r);
        if (y == null) {
          continue;
        }
        // Lines are sorted by x (duplicates keep row order, as a ROC curve needs); scatter points are not.
        series.computeIfAbsent(columns.seriesKey(row, k), key -> new XYSeries(key, line, true)).add(x, y);
      }
    }
    XYSeriesCollection dataset = new XYSeriesCollection();
    series.values().forEach(dataset::addSeries);
    String title = spec.title().orElse(null);
    String xLabel = xLabel(spec, result, columns);
    String yLabel = yLabel(spec, columns);
    boolean legend = series.size() > 1;
    JFreeChart chart = line
        ? ChartFactory.createXYLineChart(title, xLabel, yLabel, dataset, PlotOrientation.VERTICAL, legend, false, false)
        : ChartFactory.createScatterPlot(title, xLabel, yLabel, dataset, PlotOrientation.VERTICAL, legend, false, false);
    XYPlot plot = chart.getXYPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(GRID);
    plot.setRangeGridlinePaint(GRID);
    plot.setOutlineVisible(false);
    if (Boolean.TRUE.equals(dates)) {
      plot.setDomainAxis(new DateAxis(xLabel));
    }
    XYItemRenderer renderer = plot.getRenderer();
    for (int i = 0; i < series.size(); i++) {
      renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
      if (line) {
        renderer.setSeriesStroke(i, new BasicStroke(2f));
      }
    }
    if (line && renderer instanceof XYLineAndShapeRenderer lines) {
      lines.setDefaultShapesVisible(false);
    }
    return chart;
  }

  private static String xLabel(ChartSpec spec, CellResult result, Columns columns) {
    return spec.xLabel().orElse(result.columns().get(columns.x()));
  }

  private static String yLabel(ChartSpec spec, Columns columns) {
    return spec.yLabel().orElse(String.join(", ", columns.yNames()));
  }

  private static String label(Object value) {
    return value == null ? "(null)" : String.valueOf(value);
  }

  /** The value as a double; null for null and NaN/infinite (drawn as a gap, not an error). */
  private static Double number(Object value, String column, int rowIndex) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof Number n)) {
      throw ReportException.notNumeric(column, value, rowIndex + 1);
    }
    double d = n.doubleValue();
    return Double.isFinite(d) ? d : null;
  }

  /** Milliseconds since the epoch (UTC) for the date and time types Spark returns, else null. */
  private static Long epochMillis(Object value) {
    if (value instanceof java.util.Date d) {
      return d.getTime();
    }
    if (value instanceof LocalDate d) {
      return d.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }
    if (value instanceof LocalDateTime t) {
      return t.toInstant(ZoneOffset.UTC).toEpochMilli();
    }
    if (value instanceof Instant i) {
      return i.toEpochMilli();
    }
    return null;
  }
}

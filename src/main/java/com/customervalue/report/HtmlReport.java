package com.customervalue.report;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Heading;
import org.commonmark.node.Image;
import org.commonmark.node.Node;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * Renders notebooks and their query results as one self-contained HTML page: styles inline, charts
 * as {@code data:} PNG images, nothing fetched over the network, so the file can be mailed or
 * opened from S3 offline. A Content-Security-Policy meta tag makes the browser refuse anything else.
 *
 * <p>Every value from a notebook or a result is HTML-escaped; raw HTML in markdown is shown as text,
 * and markdown images that are not {@code data:} URLs are replaced by their alt text.
 */
public final class HtmlReport {

  /** Chart size in CSS pixels; the PNG is drawn at this size. */
  static final int CHART_WIDTH = 960;
  static final int CHART_HEIGHT = 480;
  /** Horizontal bar charts grow with their categories so long feature lists stay legible. */
  private static final int HBAR_PIXELS_PER_CATEGORY = 26;
  private static final int HBAR_CHROME_PIXELS = 140;
  /** The report's h1 is the title and each notebook an h2, so notebook headings start at h3. */
  private static final int HEADING_SHIFT = 2;

  private static final List<Extension> EXTENSIONS = List.of(TablesExtension.create());
  private static final Parser MARKDOWN = Parser.builder().extensions(EXTENSIONS).build();
  private static final HtmlRenderer MARKDOWN_HTML =
      HtmlRenderer.builder().extensions(EXTENSIONS).escapeHtml(true).sanitizeUrls(true).build();

  private static final String CSS = """
      body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1f2328;
        margin:0;background:#f6f8fa;line-height:1.5}
      main,header{max-width:1200px;margin:0 auto;padding:0 24px}
      header{padding-top:24px}
      h1{margin:0 0 4px}
      .subtitle{color:#59636e;margin:0 0 16px}
      nav.toc{background:#fff;border:1px solid #d1d9e0;border-radius:6px;padding:8px 24px 12px;margin-bottom:24px}
      nav.toc ol{margin:0;padding-left:20px}
      nav.toc ul{margin:0;padding-left:18px;font-size:90%}
      section.notebook{background:#fff;border:1px solid #d1d9e0;border-radius:6px;padding:8px 24px 16px;
        margin-bottom:24px}
      section.notebook>h2{border-bottom:1px solid #d1d9e0;padding-bottom:6px}
      .sql-cell{margin:16px 0 24px}
      details{margin:4px 0}
      summary{cursor:pointer;color:#59636e;font-size:90%}
      pre{background:#f6f8fa;border:1px solid #d1d9e0;border-radius:6px;padding:8px 12px;overflow:auto;
        font-size:85%}
      code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
      .meta{color:#59636e;font-size:85%;margin:4px 0}
      .empty{color:#59636e;font-style:italic}
      .table-wrap{display:inline-block;max-width:100%;overflow:auto;max-height:480px;border:1px solid #d1d9e0;
        border-radius:6px;vertical-align:top}
      table{border-collapse:collapse;font-size:85%}
      th,td{padding:4px 10px;border-bottom:1px solid #eaeef2;text-align:left;white-space:nowrap}
      th{background:#f6f8fa;position:sticky;top:0}
      td.num{text-align:right;font-variant-numeric:tabular-nums}
      td.null{color:#8c959f;font-style:italic}
      .markdown table th,.markdown table td{border:1px solid #d1d9e0}
      figure{margin:12px 0}
      figure img{max-width:100%;height:auto;border:1px solid #eaeef2;border-radius:6px}
      """;

  private HtmlReport() {}

  /**
   * Renders the report.
   *
   * @param title the page title and heading
   * @param subtitle a line under the title (run id, date); omitted when null or blank
   * @param sections one per notebook, in order
   * @throws ReportException if a chart cannot be drawn, naming the notebook and cell
   */
  public static String render(String title, String subtitle, List<Section> sections) {
    StringBuilder html = new StringBuilder(64 * 1024);
    html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<meta http-equiv=\"Content-Security-Policy\" ")
        .append("content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\">\n")
        .append("<title>").append(escape(title)).append("</title>\n")
        .append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n<header>\n<h1>")
        .append(escape(title)).append("</h1>\n");
    if (subtitle != null && !subtitle.isBlank()) {
      html.append("<p class=\"subtitle\">").append(escape(subtitle)).append("</p>\n");
    }
    html.append("</header>\n<main>\n");
    tableOfContents(html, sections);
    for (int i = 0; i < sections.size(); i++) {
      section(html, sections.get(i), sectionId(i));
    }
    html.append("</main>\n</body>\n</html>\n");
    return html.toString();
  }

  private static void tableOfContents(StringBuilder html, List<Section> sections) {
    html.append("<nav class=\"toc\">\n<h2>Contents</h2>\n<ol>\n");
    for (int i = 0; i < sections.size(); i++) {
      Section section = sections.get(i);
      long queries = section.cells().stream().filter(c -> c.cell().isSql()).count();
      html.append("<li><a href=\"#").append(sectionId(i)).append("\">").append(escape(section.notebook()))
          .append("</a> <span class=\"meta\">(").append(plural(queries, "query", "queries")).append(")</span>");
      List<CellOutput> titled = section.cells().stream()
          .filter(c -> c.cell().isSql() && c.cell().title().isPresent()).toList();
      if (!titled.isEmpty()) {
        html.append("\n<ul>\n");
        for (CellOutput c : titled) {
          html.append("<li><a href=\"#").append(cellId(sectionId(i), c.cell())).append("\">")
              .append(escape(c.cell().title().get())).append("</a></li>\n");
        }
        html.append("</ul>\n");
      }
      html.append("</li>\n");
    }
    html.append("</ol>\n</nav>\n");
  }

  private static void section(StringBuilder html, Section section, String id) {
    html.append("<section class=\"notebook\" id=\"").append(id).append("\">\n<h2>")
        .append(escape(section.notebook())).append("</h2>\n");
    for (CellOutput output : section.cells()) {
      if (output.cell().isSql()) {
        sqlCell(html, section.notebook(), output, cellId(id, output.cell()));
      } else {
        html.append("<div class=\"markdown\">\n").append(markdown(output.cell().text())).append("</div>\n");
      }
    }
    html.append("</section>\n");
  }

  private static void sqlCell(StringBuilder html, String notebook, CellOutput output, String id) {
    Cell cell = output.cell();
    html.append("<div class=\"sql-cell\" id=\"").append(id).append("\">\n<details><summary>SQL, cell ")
        .append(cell.number());
    cell.title().ifPresent(t -> html.append(": ").append(escape(t)));
    html.append("</summary>\n<pre><code>").append(escape(cell.text())).append("</code></pre>\n</details>\n");
    if (output.result().isEmpty()) {
      html.append("<p class=\"empty\">not run</p>\n</div>\n");
      return;
    }
    CellResult result = output.result().get();
    html.append("<p class=\"meta\">").append(plural(result.rows().size(), "row", "rows"));
    if (result.truncated()) {
      html.append(", truncated (the query returned more)");
    }
    html.append(" &middot; ").append(duration(result.millis())).append("</p>\n");
    if (result.isEmpty()) {
      html.append("<p class=\"empty\">no rows</p>\n</div>\n");
      return;
    }
    table(html, result);
    if (cell.chart().isPresent()) {
      chart(html, notebook, cell, cell.chart().get(), result);
    }
    html.append("</div>\n");
  }

  private static void table(StringBuilder html, CellResult result) {
    html.append("<div class=\"table-wrap\"><table>\n<thead><tr>");
    for (String column : result.columns()) {
      html.append("<th>").append(escape(column)).append("</th>");
    }
    html.append("</tr></thead>\n<tbody>\n");
    for (List<Object> row : result.rows()) {
      html.append("<tr>");
      for (Object value : row) {
        if (value == null) {
          html.append("<td class=\"null\">null</td>");
        } else if (value instanceof Number) {
          html.append("<td class=\"num\">").append(escape(format(value))).append("</td>");
        } else {
          html.append("<td>").append(escape(format(value))).append("</td>");
        }
      }
      html.append("</tr>\n");
    }
    html.append("</tbody>\n</table></div>\n");
  }

  private static void chart(StringBuilder html, String notebook, Cell cell, ChartSpec spec, CellResult result) {
    int height = CHART_HEIGHT;
    if (spec.type() == ChartSpec.Type.HBAR) {
      int x = result.indexOf(spec.x());
      long categories = x < 0 ? 0 : result.rows().stream().map(r -> String.valueOf(r.get(x))).distinct().count();
      height = (int) Math.max(CHART_HEIGHT, categories * HBAR_PIXELS_PER_CATEGORY + HBAR_CHROME_PIXELS);
    }
    byte[] png;
    try {
      png = Charts.png(spec, result, CHART_WIDTH, height);
    } catch (ReportException e) {
      throw ReportException.chartFailed(notebook, cell.number(), e);
    }
    String alt = spec.title().or(cell::title).orElse(spec.type().name().toLowerCase(Locale.ROOT) + " chart of "
        + String.join(", ", spec.y()) + " by " + spec.x());
    html.append("<figure><img src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(png))
        .append("\" width=\"").append(CHART_WIDTH).append("\" height=\"").append(height).append("\" alt=\"")
        .append(escape(alt)).append("\"></figure>\n");
  }

  static String markdown(String text) {
    Node document = MARKDOWN.parse(text);
    List<Image> remoteImages = new ArrayList<>();
    document.accept(new AbstractVisitor() {
      @Override
      public void visit(Heading heading) {
        heading.setLevel(Math.min(6, heading.getLevel() + HEADING_SHIFT));
        visitChildren(heading);
      }

      @Override
      public void visit(Image image) {
        if (!image.getDestination().startsWith("data:")) {
          remoteImages.add(image);
        }
      }
    });
    // A remote image would be fetched when the page opens; the report must open offline, so keep its alt text.
    for (Image image : remoteImages) {
      Node child = image.getFirstChild();
      while (child != null) {
        Node next = child.getNext();
        image.insertBefore(child);
        child = next;
      }
      image.unlink();
    }
    return MARKDOWN_HTML.render(document);
  }

  /** How a value reads in a table cell: numbers without exponent notation, binary by its size. */
  static String format(Object value) {
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (!Double.isFinite(d)) {
        return String.valueOf(d);
      }
      String s = String.valueOf(value);
      return s.contains("E") ? new BigDecimal(s).stripTrailingZeros().toPlainString() : s;
    }
    if (value instanceof BigDecimal b) {
      return b.toPlainString();
    }
    if (value instanceof byte[] bytes) {
      return "(binary, " + plural(bytes.length, "byte", "bytes") + ")";
    }
    return String.valueOf(value);
  }

  static String escape(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  private static String sectionId(int index) {
    return "nb-" + (index + 1);
  }

  private static String cellId(String sectionId, Cell cell) {
    return sectionId + "-cell-" + cell.number();
  }

  private static String plural(long n, String one, String many) {
    return n + " " + (n == 1 ? one : many);
  }

  private static String duration(long millis) {
    return millis < 1000 ? millis + " ms" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
  }
}

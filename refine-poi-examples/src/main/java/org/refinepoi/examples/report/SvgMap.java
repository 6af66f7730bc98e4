package org.refinepoi.examples.report;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.html.HtmlEscapers;
import java.awt.Color;
import java.util.List;
import java.util.Locale;
import org.refinepoi.core.sid.LatticeSpec;

/**
 * The HTML of {@link ReportWriter#addInteractiveMap}: an inline SVG of the POIs, a lattice key, the
 * hover texts as a JSON block and a short script. Self-contained: no network, no library.
 */
final class SvgMap {

  private static final int WIDTH = 900;
  private static final int KEY = 260;

  private SvgMap() {}

  static String html(
      LatticeSpec lattice,
      double[] lon,
      double[] lat,
      int[] cells,
      List<String> texts,
      int maxPois,
      String caption) {
    checkNotNull(lattice, "lattice");
    checkNotNull(lon, "longitudes");
    checkNotNull(lat, "latitudes");
    checkNotNull(cells, "cells");
    int n = lon.length;
    checkArgument(n > 0, "interactive map: no POIs");
    checkArgument(
        lat.length == n && cells.length == n,
        "%s longitudes, %s latitudes and %s cells: one of each per POI",
        n,
        lat.length,
        cells.length);
    double minLon = Double.POSITIVE_INFINITY;
    double maxLon = Double.NEGATIVE_INFINITY;
    double minLat = Double.POSITIVE_INFINITY;
    double maxLat = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      checkArgument(
          lon[i] >= -180 && lon[i] <= 180 && lat[i] >= -90 && lat[i] <= 90,
          "longitude %s, latitude %s of POI %s out of range",
          lon[i],
          lat[i],
          i);
      checkArgument(
          cells[i] >= 0 && cells[i] < lattice.size(),
          "cell %s of POI %s outside the %sx%s lattice",
          cells[i],
          i,
          lattice.rows(),
          lattice.cols());
      minLon = Math.min(minLon, lon[i]);
      maxLon = Math.max(maxLon, lon[i]);
      minLat = Math.min(minLat, lat[i]);
      maxLat = Math.max(maxLat, lat[i]);
    }
    double cos = Math.cos(Math.toRadians((minLat + maxLat) / 2));
    double spanX = Math.max((maxLon - minLon) * cos, 1e-6);
    double spanY = Math.max(maxLat - minLat, 1e-6);
    double scale = Math.min(WIDTH / spanX, 760 / spanY);
    int pad = 8;
    int w = (int) Math.ceil(spanX * scale) + 2 * pad;
    int h = (int) Math.ceil(spanY * scale) + 2 * pad;
    int stride = Math.max(1, (n + maxPois - 1) / maxPois);
    double r = n / stride > 20_000 ? 1.4 : n / stride > 5_000 ? 2.0 : 3.0;
    var esc = HtmlEscapers.htmlEscaper();
    StringBuilder sb = new StringBuilder();
    String note =
        stride == 1
            ? ""
            : " Every "
                + stride
                + "th POI is drawn ("
                + (n + stride - 1) / stride
                + " of "
                + n
                + ").";
    sb.append("<p class=\"cap\">").append(esc.escape(caption + note)).append("</p>\n");
    sb.append("<div class=\"map\" id=\"imap-box\">\n");
    sb.append(
        String.format(
            Locale.ROOT,
            "<svg id=\"imap\" width=\"%d\" height=\"%d\""
                + " viewBox=\"0 0 %d %d\" style=\"background:#fbfbfb\">\n",
            w + KEY + 20,
            Math.max(h, KEY + 60),
            w + KEY + 20,
            Math.max(h, KEY + 60)));
    sb.append("<g id=\"imap-dots\">");
    StringBuilder json = new StringBuilder("[");
    for (int i = 0; i < n; i += stride) {
      double x = pad + (lon[i] - minLon) * cos * scale;
      double y = pad + (maxLat - lat[i]) * scale;
      sb.append(
          String.format(
              Locale.ROOT,
              "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\" data-i=\"%d\" data-c=\"%d\"/>",
              x,
              y,
              r,
              hex(Colours.latticePosition(lattice, cells[i])),
              i / stride,
              cells[i]));
      if (json.length() > 1) {
        json.append(',');
      }
      json.append(jsonString(checkNotNull(texts.get(i), "text of POI %s", i)));
    }
    json.append(']');
    sb.append("</g>\n");
    // The key: the level-1 lattice in the same colours, row 0 at the top.
    int kx = w + 20;
    double cell = Math.min(KEY / (lattice.cols() + 0.5), KEY / (double) lattice.rows());
    sb.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"18\" font-size=\"13\" font-weight=\"bold\">level-1 cells</text>",
            kx));
    boolean[] used = new boolean[lattice.size()];
    for (int c : cells) {
      used[c] = true;
    }
    for (int c = 0; c < lattice.size(); c++) {
      double shift =
          lattice.topology() == LatticeSpec.Topology.HEXAGONAL && (lattice.row(c) & 1) == 1
              ? 0.5
              : 0;
      sb.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\""
                  + " data-c=\"%d\"><title>cell %d (row %d, column %d)%s</title></rect>",
              kx + (lattice.col(c) + shift) * cell,
              28 + lattice.row(c) * cell,
              cell - 1,
              cell - 1,
              hex(used[c] ? Colours.latticePosition(lattice, c) : LatticePainter.EMPTY),
              c,
              c,
              lattice.row(c),
              lattice.col(c),
              used[c] ? "" : ": no POI"));
    }
    sb.append("</svg>\n<div id=\"imap-tip\"></div>\n</div>\n");
    sb.append("<script type=\"application/json\" id=\"imap-data\">")
        .append(json)
        .append("</script>\n");
    sb.append("<script>").append(SCRIPT).append("</script>\n");
    return sb.toString();
  }

  private static final String SCRIPT =
      "(function(){var box=document.getElementById('imap-box'),"
          + "svg=document.getElementById('imap'),tip=document.getElementById('imap-tip'),"
          + "text=JSON.parse(document.getElementById('imap-data').textContent),lit=[];"
          + "function clear(){lit.forEach(function(e){e.classList.remove('hl');});lit=[];}"
          + "svg.addEventListener('mouseover',function(e){var t=e.target,c=t.getAttribute("
          + "'data-c');if(c===null)return;clear();lit=Array.prototype.slice.call(svg."
          + "querySelectorAll('circle[data-c=\"'+c+'\"]'));lit.forEach(function(x){x.classList"
          + ".add('hl');});var i=t.getAttribute('data-i');tip.textContent=i===null?'cell '+c+': '"
          + "+lit.length+' POIs':text[+i];tip.style.display='block';});"
          + "svg.addEventListener('mousemove',function(e){var b=box.getBoundingClientRect();"
          + "tip.style.left=(e.clientX-b.left+14)+'px';tip.style.top=(e.clientY-b.top+14)+'px';});"
          + "svg.addEventListener('mouseout',function(){clear();tip.style.display='none';});"
          + "})();";

  static String hex(Color c) {
    return String.format(Locale.ROOT, "#%02x%02x%02x", c.getRed(), c.getGreen(), c.getBlue());
  }

  /**
   * A JSON string literal safe inside a {@code <script>} element (no {@code <}, {@code >}, {@code
   * &}).
   */
  static String jsonString(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        default -> {
          if (ch < 0x20 || ch == '<' || ch == '>' || ch == '&' || ch == 0x2028 || ch == 0x2029) {
            sb.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
          } else {
            sb.append(ch);
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}

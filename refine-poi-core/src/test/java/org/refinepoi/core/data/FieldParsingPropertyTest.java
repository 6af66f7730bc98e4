package org.refinepoi.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/** The hand-written parsers agree with java.time and java.util on random inputs. */
class FieldParsingPropertyTest {

  private static final DateTimeFormatter TSMC =
      DateTimeFormatter.ofPattern("EEE MMM dd HH:mm:ss Z yyyy", Locale.US);
  private static final DateTimeFormatter ISO =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ssxxx", Locale.US);

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Property(tries = 500)
  void tsmcTimeMatchesJavaTime(
      @ForAll @LongRange(min = 0, max = 4_102_444_800L) long epochSecond,
      @ForAll @IntRange(min = -18 * 4, max = 18 * 4) int quarterHours)
      throws BadFieldException {
    ZoneOffset zone = ZoneOffset.ofTotalSeconds(quarterHours * 15 * 60);
    String text = Instant.ofEpochSecond(epochSecond).atOffset(zone).format(TSMC);
    byte[] b = ascii(text);
    assertThat(FieldParsing.parseTsmcTime(b, 0, b.length)).as(text).isEqualTo(epochSecond);
  }

  @Property(tries = 500)
  void isoTimeMatchesJavaTime(
      @ForAll @LongRange(min = 0, max = 4_102_444_800L) long epochSecond,
      @ForAll @IntRange(min = -18 * 4, max = 18 * 4) int quarterHours)
      throws BadFieldException {
    ZoneOffset zone = ZoneOffset.ofTotalSeconds(quarterHours * 15 * 60);
    String text = Instant.ofEpochSecond(epochSecond).atOffset(zone).format(ISO);
    byte[] b = ascii(text);
    assertThat(FieldParsing.parseIsoTime(b, 0, b.length)).as(text).isEqualTo(epochSecond);
  }

  @Property(tries = 300)
  void integersMatchIntegerParseInt(@ForAll @IntRange(min = -1_000_000, max = 1_000_000) int v)
      throws BadFieldException {
    byte[] b = ascii(Integer.toString(v));
    assertThat(FieldParsing.parseInt(b, 0, b.length, "x")).isEqualTo(v);
  }

  @Property(tries = 300)
  void doublesMatchDoubleParseDouble(@ForAll double v) throws BadFieldException {
    byte[] b = ascii(Double.toString(v));
    if (Double.isFinite(v)) {
      assertThat(FieldParsing.parseDouble(b, 0, b.length, "x")).isEqualTo(v);
    } else {
      assertThatThrownBy(() -> FieldParsing.parseDouble(b, 0, b.length, "x"))
          .isInstanceOf(BadFieldException.class);
    }
  }

  @Property(tries = 300)
  void newlineSearchAgreesWithAPlainLoop(
      @ForAll @Size(max = 64) List<@IntRange(min = 8, max = 12) Integer> codes,
      @ForAll @IntRange(min = 0, max = 64) int from) {
    byte[] b = new byte[codes.size()];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) (codes.get(i) == 12 ? 0x8A : codes.get(i)); // 10 = newline, 0x8A: high bit
    }
    int start = Math.min(from, b.length);
    int expected = -1;
    for (int i = start; i < b.length; i++) {
      if (b[i] == '\n') {
        expected = i;
        break;
      }
    }
    assertThat(ByteLineReader.indexOfNewline(b, start, b.length)).isEqualTo(expected);
  }

  @Property(tries = 100)
  void sliceIndexAgreesWithAHashMap(
      @ForAll @Size(max = 300) List<@StringLength(max = 6) String> keys) {
    ByteSliceIndex index = new ByteSliceIndex();
    Map<String, Integer> reference = new HashMap<>();
    for (String text : keys) {
      // Keys are byte strings: compare their UTF-8 bytes, kept as Latin-1 text in the reference.
      byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
      String key = new String(utf8, StandardCharsets.ISO_8859_1);
      byte[] padded = ascii("##" + key + "#");
      int from = 2;
      int to = 2 + utf8.length;
      int hash = ByteSliceIndex.hash(padded, from, to);
      int found = index.find(padded, from, to, hash);
      Integer expected = reference.get(key);
      if (expected == null) {
        assertThat(found).isEqualTo(-1);
        reference.put(key, index.add(padded, from, to, hash));
        assertThat(reference.get(key)).isEqualTo(reference.size() - 1);
      } else {
        assertThat(found).isEqualTo(expected);
      }
    }
    assertThat(index.size()).isEqualTo(reference.size());
  }
}

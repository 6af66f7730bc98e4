package org.refinepoi.core.data;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Hand-written parsers for the fields of the check-in layouts, working on byte ranges: no regex, no
 * {@code String.split}, no intermediate strings on the hot path. Each throws {@link
 * BadFieldException} with a reason fit for an error message.
 */
final class FieldParsing {

  private static final String[] MONTHS = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
  };
  private static final String[] WEEKDAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

  /** Length of a TSMC2014 time such as {@code Tue Apr 03 18:00:00 +0000 2012}. */
  static final int TSMC_TIME_LENGTH = 30;

  private FieldParsing() {}

  /** The field as text for a message, shortened and with unprintable bytes escaped. */
  static String show(byte[] b, int from, int to) {
    StringBuilder sb = new StringBuilder("'");
    int end = Math.min(to, from + 60);
    for (int i = from; i < end; i++) {
      int c = b[i] & 0xFF;
      if (c >= 0x20 && c < 0x7F) {
        sb.append((char) c);
      } else {
        sb.append(String.format("\\x%02x", c));
      }
    }
    if (end < to) {
      sb.append("...");
    }
    return sb.append('\'').toString();
  }

  /**
   * Builds the exception for a malformed field out of line, keeping string building out of the hot
   * parsers so that the JIT compiles them small.
   */
  private static BadFieldException bad(String field, String what, byte[] b, int from, int to) {
    return new BadFieldException(field + what + show(b, from, to));
  }

  /** The flag {@link #splitTabs} sets when a line holds a byte of 0x80 or more. */
  static final int NON_ASCII = 1 << 30;

  /** The field count in what {@link #splitTabs} returns. */
  static final int FIELD_COUNT = NON_ASCII - 1;

  /**
   * Splits {@code b[from, to)} at tabs in one pass (the loaders' hot path, so no allocation): the
   * bounds of the first {@code starts.length} fields go to {@code starts} and {@code ends}.
   *
   * @return the number of fields (masked by {@link #FIELD_COUNT}), with {@link #NON_ASCII} set when
   *     some byte is 0x80 or more (only such a line can be invalid UTF-8)
   */
  static int splitTabs(byte[] b, int from, int to, int[] starts, int[] ends) {
    int max = starts.length;
    int fields = 0;
    int start = from;
    int bits = 0;
    for (int i = from; i < to; i++) {
      byte c = b[i];
      bits |= c;
      if (c == '\t') {
        if (fields < max) {
          starts[fields] = start;
          ends[fields] = i;
        }
        fields++;
        start = i + 1;
      }
    }
    if (fields < max) {
      starts[fields] = start;
      ends[fields] = to;
    }
    fields++;
    return bits < 0 ? fields | NON_ASCII : fields;
  }

  /**
   * A signed decimal integer such as {@code -240}; a zero fraction after at least one digit ({@code
   * -240.0}, as pandas writes integer columns with gaps) is allowed, a bare point ({@code 5.},
   * {@code +.}) is not.
   */
  static int parseInt(byte[] b, int from, int to, String field) throws BadFieldException {
    int i = from;
    boolean negative = false;
    if (i < to && (b[i] == '-' || b[i] == '+')) {
      negative = b[i] == '-';
      i++;
    }
    if (i == to) {
      throw bad(field, " is not an integer: ", b, from, to);
    }
    int firstDigit = i;
    long value = 0;
    for (; i < to; i++) {
      int d = b[i] - '0';
      if (d < 0 || d > 9) {
        if (b[i] == '.' && i > firstDigit && i + 1 < to && allZeros(b, i + 1, to)) {
          break;
        }
        throw bad(field, " is not an integer: ", b, from, to);
      }
      value = value * 10 + d;
      if (value > Integer.MAX_VALUE) {
        throw bad(field, " is too large: ", b, from, to);
      }
    }
    return (int) (negative ? -value : value);
  }

  private static boolean allZeros(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != '0') {
        return false;
      }
    }
    return true;
  }

  /**
   * A finite decimal number (digits, sign, point, exponent); NaN, infinities and Java's other
   * accepted spellings (hex, type suffixes) are rejected.
   */
  static double parseDouble(byte[] b, int from, int to, String field) throws BadFieldException {
    if (from == to) {
      throw new BadFieldException(field + " is empty");
    }
    boolean digit = false;
    for (int i = from; i < to; i++) {
      byte c = b[i];
      if (c >= '0' && c <= '9') {
        digit = true;
      } else if (c != '.' && c != '-' && c != '+' && c != 'e' && c != 'E') {
        throw bad(field, " is not a number: ", b, from, to);
      }
    }
    if (!digit) {
      throw bad(field, " is not a number: ", b, from, to);
    }
    try {
      return Double.parseDouble(new String(b, from, to - from, StandardCharsets.ISO_8859_1));
    } catch (NumberFormatException e) {
      throw bad(field, " is not a number: ", b, from, to);
    }
  }

  /**
   * Checks an id field (user, POI): not empty, no leading or trailing space, no control character
   * (below 0x20, or 0x7F) and no byte-order mark (EF BB BF), so that ids which only look equal
   * never make two users or POIs.
   */
  static void checkId(byte[] b, int from, int to, String field) throws BadFieldException {
    if (from == to) {
      throw new BadFieldException(field + " is empty");
    }
    if (b[from] == ' ' || b[to - 1] == ' ') {
      throw bad(field, " has a leading or trailing space: ", b, from, to);
    }
    for (int i = from; i < to; i++) {
      int c = b[i] & 0xFF;
      if (c < 0x20 || c == 0x7F) {
        throw bad(field, " contains a control character: ", b, from, to);
      }
      if (c == 0xEF && i + 2 < to && (b[i + 1] & 0xFF) == 0xBB && (b[i + 2] & 0xFF) == 0xBF) {
        throw bad(field, " contains a byte-order mark (EF BB BF): ", b, from, to);
      }
    }
  }

  /** Checks a latitude/longitude pair (finite, in range) and names the offending field. */
  static void checkCoordinates(double latitude, double longitude) throws BadFieldException {
    if (!(latitude >= -90 && latitude <= 90)) {
      throw new BadFieldException("latitude out of range [-90, 90]: " + latitude);
    }
    if (!(longitude >= -180 && longitude <= 180)) {
      throw new BadFieldException("longitude out of range [-180, 180]: " + longitude);
    }
  }

  /** A UTC offset in minutes, checked against {@link CheckIn#MAX_OFFSET_MINUTES}. */
  static int parseOffsetMinutes(byte[] b, int from, int to) throws BadFieldException {
    int offset = parseInt(b, from, to, "UTC offset");
    if (Math.abs(offset) > CheckIn.MAX_OFFSET_MINUTES) {
      throw offsetOutOfRange(offset);
    }
    return offset;
  }

  private static BadFieldException offsetOutOfRange(int offset) {
    return new BadFieldException("UTC offset out of range [-1080, 1080] minutes: " + offset);
  }

  /**
   * Parses the TSMC2014 time {@code EEE MMM dd HH:mm:ss Z yyyy} (for example {@code Tue Apr 03
   * 18:00:00 +0000 2012}, as Java's {@code Date.toString} writes it) into epoch seconds UTC. The
   * weekday must agree with the date, which catches corrupt dates cheaply.
   */
  static long parseTsmcTime(byte[] b, int from, int to) throws BadFieldException {
    if (to - from != TSMC_TIME_LENGTH
        || b[from + 3] != ' '
        || b[from + 7] != ' '
        || b[from + 10] != ' '
        || b[from + 13] != ':'
        || b[from + 16] != ':'
        || b[from + 19] != ' '
        || b[from + 25] != ' ') {
      throw bad("", "time is not like 'Tue Apr 03 18:00:00 +0000 2012': ", b, from, to);
    }
    int weekday = lookup(WEEKDAYS, b, from);
    int month = lookup(MONTHS, b, from + 4) + 1;
    int day = digits(b, from + 8, 2);
    int hour = digits(b, from + 11, 2);
    int minute = digits(b, from + 14, 2);
    int second = digits(b, from + 17, 2);
    int zone = zoneMinutes(b, from + 20, false);
    int year = digits(b, from + 26, 4);
    if (weekday < 0 || month < 1 || zone == Integer.MIN_VALUE) {
      throw bad("", "time is not like 'Tue Apr 03 18:00:00 +0000 2012': ", b, from, to);
    }
    long epochDay = checkedEpochDay(year, month, day, hour, minute, second, b, from, to);
    if (Math.floorMod(epochDay + 3, 7) != weekday) {
      throw bad("", "weekday does not match the date in time ", b, from, to);
    }
    return epochDay * 86_400L + hour * 3600L + minute * 60L + second - zone * 60L;
  }

  /**
   * Parses an ISO-like time {@code yyyy-MM-dd HH:mm:ss} (or with {@code T}), optionally with a
   * fraction of a second (dropped) and a zone {@code Z}, {@code +HH:MM} or {@code +HHMM} (none
   * means UTC), into epoch seconds UTC.
   */
  static long parseIsoTime(byte[] b, int from, int to) throws BadFieldException {
    if (to - from < 19
        || b[from + 4] != '-'
        || b[from + 7] != '-'
        || (b[from + 10] != ' ' && b[from + 10] != 'T')
        || b[from + 13] != ':'
        || b[from + 16] != ':') {
      throw bad("", "time is not like '2012-11-09 21:54:47+00:00': ", b, from, to);
    }
    int year = digits(b, from, 4);
    int month = digits(b, from + 5, 2);
    int day = digits(b, from + 8, 2);
    int hour = digits(b, from + 11, 2);
    int minute = digits(b, from + 14, 2);
    int second = digits(b, from + 17, 2);
    int i = from + 19;
    if (i < to && b[i] == '.') {
      i++;
      int fraction = i;
      while (i < to && b[i] >= '0' && b[i] <= '9') {
        i++;
      }
      if (i == fraction) {
        throw bad("", "time has a point but no fraction digits: ", b, from, to);
      }
    }
    int zone = 0;
    if (i < to) {
      if (b[i] == 'Z' && i + 1 == to) {
        zone = 0;
      } else if (to - i == 6 && b[i + 3] == ':') {
        zone = zoneMinutes(b, i, true);
      } else if (to - i == 5) {
        zone = zoneMinutes(b, i, false);
      } else {
        zone = Integer.MIN_VALUE;
      }
    }
    if ((year | month | day | hour | minute | second) < 0 || zone == Integer.MIN_VALUE) {
      throw bad("", "time is not like '2012-11-09 21:54:47+00:00': ", b, from, to);
    }
    long epochDay = checkedEpochDay(year, month, day, hour, minute, second, b, from, to);
    return epochDay * 86_400L + hour * 3600L + minute * 60L + second - zone * 60L;
  }

  private static long checkedEpochDay(
      int year, int month, int day, int hour, int minute, int second, byte[] b, int from, int to)
      throws BadFieldException {
    // Year 0 does not exist in the calendar the layouts use (1 BC is followed by AD 1).
    if (year < 1
        || month < 1
        || month > 12
        || day < 1
        || day > daysInMonth(year, month)
        || hour < 0
        || hour > 23
        || minute < 0
        || minute > 59
        || second > 59
        || second < 0) {
      throw bad("", "invalid date or time ", b, from, to);
    }
    return epochDay(year, month, day);
  }

  /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
  static long epochDay(int year, int month, int day) {
    int y = month <= 2 ? year - 1 : year;
    int era = Math.floorDiv(y, 400);
    int yearOfEra = y - era * 400;
    int dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return era * 146_097L + dayOfEra - 719_468L;
  }

  private static int daysInMonth(int year, int month) {
    return switch (month) {
      case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
      case 4, 6, 9, 11 -> 30;
      default -> 31;
    };
  }

  /** {@code +hhmm} or {@code +hh:mm} at {@code at}; Integer.MIN_VALUE when malformed. */
  private static int zoneMinutes(byte[] b, int at, boolean colon) {
    int sign;
    if (b[at] == '+') {
      sign = 1;
    } else if (b[at] == '-') {
      sign = -1;
    } else {
      return Integer.MIN_VALUE;
    }
    int hours = digits(b, at + 1, 2);
    int minutes = digits(b, at + (colon ? 4 : 3), 2);
    if (hours < 0 || minutes < 0 || hours > 18 || minutes > 59) {
      return Integer.MIN_VALUE;
    }
    return sign * (hours * 60 + minutes);
  }

  /** The value of {@code count} ASCII digits at {@code at}, or -1 if any is not a digit. */
  private static int digits(byte[] b, int at, int count) {
    int value = 0;
    for (int i = at; i < at + count; i++) {
      int d = b[i] - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      value = value * 10 + d;
    }
    return value;
  }

  private static int lookup(String[] names, byte[] b, int at) {
    for (int i = 0; i < names.length; i++) {
      String n = names[i];
      if (b[at] == n.charAt(0) && b[at + 1] == n.charAt(1) && b[at + 2] == n.charAt(2)) {
        return i;
      }
    }
    return -1;
  }

  /** Whether {@code b[from, to)} is well-formed UTF-8. */
  static boolean isUtf8(byte[] b, int from, int to) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b, from, to - from));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  /** Decodes a field as UTF-8, or as Latin-1 when its line is not valid UTF-8. */
  static String decode(byte[] b, int from, int to, boolean latin1) {
    return new String(
        b, from, to - from, latin1 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
  }
}

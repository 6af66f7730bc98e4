package org.refinepoi.core.sid;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.List;

/**
 * The shared syntax of the built-in token formats: tokens {@code <x_...>} whose letter names the
 * level ({@code a} for level 0, then {@code b}, {@code c}...; the letter after the last lattice
 * level marks the collision slot), decimal fields separated by {@code _}, lattice coordinates
 * zero-padded to a fixed width, the slot written without padding.
 */
final class TokenSyntax {

  /** Letters a..y name lattice levels; z is left for the slot of a 25-level space. */
  static final int MAX_LEVELS = 25;

  private TokenSyntax() {}

  static void checkLevelCount(IdSpace space) {
    checkNotNull(space, "space");
    checkArgument(
        space.levelCount() <= MAX_LEVELS,
        "token formats name levels with the letters a..z: at most %s lattice levels, got %s",
        MAX_LEVELS,
        space.levelCount());
  }

  static char letter(int level) {
    return (char) ('a' + level);
  }

  /** Decimal digits needed to write every value in [0, bound): at least 1. */
  static int width(int bound) {
    return Integer.toString(Math.max(0, bound - 1)).length();
  }

  static String pad(int value, int width) {
    String s = Integer.toString(value);
    return s.length() >= width ? s : "0".repeat(width - s.length()) + s;
  }

  static void checkTokenCount(List<String> tokens, int expected, String layout) {
    checkNotNull(tokens, "tokens");
    if (tokens.size() != expected) {
      throw new IdParseException(
          -1,
          "expected %d tokens (%s), got %d: %s".formatted(expected, layout, tokens.size(), tokens));
    }
  }

  /**
   * The part of token {@code index} between {@code <x_} and {@code >}, after checking that the
   * token has that shape with the expected letter.
   */
  static String body(List<String> tokens, int index, char letter, String what) {
    String token = tokens.get(index);
    if (token == null) {
      throw new IdParseException(index, "token %d is null: expected %s".formatted(index, what));
    }
    String prefix = "<" + letter + "_";
    if (!token.startsWith(prefix) || !token.endsWith(">") || token.length() < prefix.length() + 1) {
      throw new IdParseException(
          index,
          "token %d '%s': expected %s, a token of the form %s...>"
              .formatted(index, token, what, prefix));
    }
    return token.substring(prefix.length(), token.length() - 1);
  }

  /**
   * A lattice coordinate written with exactly {@code width} digits, below {@code bound}.
   *
   * @param label what the field is, for the message (for example "row of level 0 (a)")
   */
  static int fixedWidth(
      String field, int width, int bound, List<String> tokens, int index, String label) {
    if (field.length() != width || !allDigits(field)) {
      throw new IdParseException(
          index,
          "token %d '%s': expected the %s as %d digit%s, got '%s'"
              .formatted(index, tokens.get(index), label, width, width == 1 ? "" : "s", field));
    }
    int value = Integer.parseInt(field);
    if (value >= bound) {
      throw new IdParseException(
          index,
          "token %d '%s': the %s is %d, outside [0, %d)"
              .formatted(index, tokens.get(index), label, value, bound));
    }
    return value;
  }

  /** A non-negative int written without leading zeros (the slot). */
  static int canonical(String field, List<String> tokens, int index, String label) {
    boolean ok =
        !field.isEmpty()
            && field.length() <= 10
            && allDigits(field)
            && (field.length() == 1 || field.charAt(0) != '0');
    long value = ok ? Long.parseLong(field) : -1;
    if (!ok || value > Integer.MAX_VALUE) {
      throw new IdParseException(
          index,
          "token %d '%s': expected the %s as a non-negative integer without leading zeros, got '%s'"
              .formatted(index, tokens.get(index), label, field));
    }
    return (int) value;
  }

  private static boolean allDigits(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return !s.isEmpty();
  }
}

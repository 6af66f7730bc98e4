package org.refinepoi.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.Callable;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.refinepoi.core.io.AtomicFiles;

/**
 * Hostile changes to a file's bytes for the decoders' property tests: bit flips, truncations,
 * splices (a range copied elsewhere), deletions, appended bytes, and 4- or 8-byte big-endian fields
 * set to extremes (the SDK's formats are big-endian). Positions are fractions of the length, so one
 * mutation applies to any file.
 */
public final class Mutations {

  private Mutations() {}

  /** What a mutation does. */
  public enum Kind {
    /** Flips one bit. */
    FLIP,
    /** Cuts the file short. */
    TRUNCATE,
    /** Copies a range of the file to another place, lengthening it. */
    SPLICE,
    /** Removes a range. */
    DELETE,
    /** Appends bytes. */
    APPEND,
    /** Sets a 4-byte field to an extreme value. */
    INT_EXTREME,
    /** Sets an 8-byte field to an extreme value. */
    LONG_EXTREME
  }

  private static final long[] EXTREMES = {
    0,
    -1,
    1,
    Integer.MAX_VALUE,
    Integer.MIN_VALUE,
    Integer.MAX_VALUE - 7,
    1 << 20,
    1 << 24,
    1 << 30,
    Long.MAX_VALUE,
    Long.MIN_VALUE,
    0x7FFF_FFFF_FFFF_FFF0L
  };

  /**
   * One mutation.
   *
   * @param kind what it does
   * @param at where, as a fraction of the length
   * @param other a second place (splices) or a length, as a fraction of the length
   * @param bit the bit flipped, or the index of the extreme value
   */
  public record Mutation(Kind kind, double at, double other, int bit) {

    /** The mutated copy of {@code bytes}. */
    public byte[] apply(byte[] bytes) {
      int n = bytes.length;
      int pos = Math.min(n - 1, (int) (at * n));
      int span = Math.max(1, (int) (other * Math.min(n, 64)));
      return switch (kind) {
        case FLIP -> {
          byte[] b = bytes.clone();
          b[pos] ^= (byte) (1 << (bit & 7));
          yield b;
        }
        case TRUNCATE -> Arrays.copyOf(bytes, pos);
        case SPLICE -> {
          int from = Math.min(n - 1, (int) (other * n));
          int len = Math.min(span, n - from);
          byte[] b = new byte[n + len];
          System.arraycopy(bytes, 0, b, 0, pos);
          System.arraycopy(bytes, from, b, pos, len);
          System.arraycopy(bytes, pos, b, pos + len, n - pos);
          yield b;
        }
        case DELETE -> {
          int len = Math.min(span, n - pos);
          byte[] b = new byte[n - len];
          System.arraycopy(bytes, 0, b, 0, pos);
          System.arraycopy(bytes, pos + len, b, pos, n - pos - len);
          yield b;
        }
        case APPEND -> {
          byte[] b = Arrays.copyOf(bytes, n + span);
          Arrays.fill(b, n, b.length, (byte) (bit * 37));
          yield b;
        }
        case INT_EXTREME -> {
          byte[] b = bytes.clone();
          if (pos + 4 <= n) {
            ByteBuffer.wrap(b).putInt(pos, (int) EXTREMES[bit % EXTREMES.length]);
          }
          yield b;
        }
        case LONG_EXTREME -> {
          byte[] b = bytes.clone();
          if (pos + 8 <= n) {
            ByteBuffer.wrap(b).putLong(pos, EXTREMES[bit % EXTREMES.length]);
          }
          yield b;
        }
      };
    }
  }

  /** Any mutation. */
  public static Arbitrary<Mutation> any() {
    return Combinators.combine(
            Arbitraries.of(Kind.class),
            Arbitraries.doubles().between(0, 1),
            Arbitraries.doubles().between(0, 1),
            Arbitraries.integers().between(0, 63))
        .as(Mutation::new);
  }

  /** One to three mutations applied in turn. */
  public static Arbitrary<byte[]> of(byte[] original) {
    return any()
        .list()
        .ofMinSize(1)
        .ofMaxSize(3)
        .map(
            list -> {
              byte[] b = original;
              for (Mutation m : list) {
                if (b.length > 0) {
                  b = m.apply(b);
                }
              }
              return b;
            });
  }

  /**
   * A copy of {@code bytes} whose last 8 bytes are the CRC32 of everything before them (the
   * trailing checksum of the {@code .hsom} and GRPO checkpoint formats), so that a mutation gets
   * past the checksum to the decoder's bounds.
   */
  public static byte[] sealTrailingCrc32(byte[] bytes) {
    if (bytes.length < 8) {
      return bytes;
    }
    byte[] b = bytes.clone();
    ByteBuffer.wrap(b).putLong(b.length - 8, AtomicFiles.crc32(b, 0, b.length - 8));
    return b;
  }

  /**
   * Runs a decoder on a mutated file: it may return (the change kept the file valid) or refuse with
   * {@code refusal} (or a subclass) whose message names the file; any other exception, an {@link
   * OutOfMemoryError} or a {@link NegativeArraySizeException} from a library underneath included,
   * fails.
   *
   * @return the decoder's result, or null when it refused
   */
  public static <T> T loadsOrRefuses(
      Callable<T> decode, Class<? extends Exception> refusal, String fileName) {
    try {
      return decode.call();
    } catch (Exception e) {
      if (!refusal.isInstance(e)) {
        throw new AssertionError("refused with " + e + ", not a " + refusal.getName(), e);
      }
      assertThat(e.getMessage()).as("the refusal names the file").contains(fileName);
      return null;
    }
  }
}

package org.refinepoi.core.io;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Locale;

/**
 * The heap check done before a large allocation whose size comes from user input (a file's header,
 * a lattice size option): an estimate above what the heap can still give is refused with {@link
 * NotEnoughMemoryException} and the figures, instead of failing later with an {@link
 * OutOfMemoryError} (which may strike any thread and leaves no clear message). The estimate is the
 * caller's; it needs only to be of the right order of magnitude. Stateless and thread-safe.
 */
public final class MemoryBudget {

  private MemoryBudget() {}

  /**
   * Checks that about {@code bytes} more bytes of heap can be allocated. Counts the heap not yet
   * used up to {@link Runtime#maxMemory()}; when that seems too little, it asks for one garbage
   * collection (dead objects count as used until collected) and checks again.
   *
   * @param bytes the estimated allocation, {@code >= 0}
   * @param what what needs the memory, for the message, for example {@code "reading x.npy (40000 x
   *     40000 float32)"}
   * @throws NotEnoughMemoryException when the heap cannot hold the allocation
   */
  public static void require(long bytes, String what) {
    checkArgument(bytes >= 0, "bytes must be >= 0, got %s", bytes);
    checkNotNull(what, "what");
    Runtime rt = Runtime.getRuntime();
    if (bytes <= free(rt)) {
      return;
    }
    System.gc();
    check(bytes, free(rt), rt.maxMemory(), what);
  }

  /** The check itself, on given figures. */
  static void check(long bytes, long free, long max, String what) {
    if (bytes > free) {
      throw new NotEnoughMemoryException(
          "%s needs about %s of heap, but only %s of the %s maximum is free: raise the maximum"
                  .formatted(what, size(bytes), size(free), size(max))
              + " (java -Xmx, or REFINE_POI_JAVA_OPTS=-Xmx... for bin/refine-poi) or use a"
              + " smaller input",
          bytes,
          free);
    }
  }

  private static long free(Runtime rt) {
    return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
  }

  /**
   * A byte count for people: {@code 512 B}, {@code 3.2 MiB}, {@code 6.0 GiB}.
   *
   * @param bytes a count, {@code >= 0}
   */
  public static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }
}

package org.refinepoi.core.io;

/**
 * Refuses an allocation that the heap cannot hold (see {@link MemoryBudget}); the message gives the
 * estimate and what is free. An {@link IllegalStateException}: the input is valid, the process is
 * too small for it.
 */
public final class NotEnoughMemoryException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  private final long neededBytes;
  private final long freeBytes;

  /**
   * An exception with the figures.
   *
   * @param message what needs the memory, the estimate and what is free
   * @param neededBytes the estimated allocation
   * @param freeBytes the heap that was free
   */
  public NotEnoughMemoryException(String message, long neededBytes, long freeBytes) {
    super(message);
    this.neededBytes = neededBytes;
    this.freeBytes = freeBytes;
  }

  /** The estimated allocation in bytes. */
  public long neededBytes() {
    return neededBytes;
  }

  /** The heap that was free, in bytes. */
  public long freeBytes() {
    return freeBytes;
  }
}

package org.refinepoi.som.cuda;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkPositionIndexes;
import static com.google.common.base.Preconditions.checkState;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Device (global) memory owned by Java: freed by {@link #close()}. Offsets and lengths are in bytes
 * unless a method says otherwise; every transfer is bounds-checked on the host before it reaches
 * the driver.
 */
public final class DeviceBuffer implements AutoCloseable {

  private final CudaContext context;
  private final long bytes;
  private long pointer;

  private DeviceBuffer(CudaContext context, long pointer, long bytes) {
    this.context = context;
    this.pointer = pointer;
    this.bytes = bytes;
  }

  static DeviceBuffer allocate(CudaContext context, long bytes) {
    checkArgument(bytes > 0, "allocation must be > 0 bytes, got %s", bytes);
    return new DeviceBuffer(context, context.driver().memAlloc(bytes), bytes);
  }

  /** The device address ({@code CUdeviceptr}). */
  public long pointer() {
    checkState(pointer != 0, "device buffer is closed");
    return pointer;
  }

  /** The address {@code offsetBytes} into this buffer, bounds-checked. */
  public long pointer(long offsetBytes) {
    checkArgument(
        offsetBytes >= 0 && offsetBytes <= bytes,
        "offset %s outside a %s-byte buffer",
        offsetBytes,
        bytes);
    return pointer() + offsetBytes;
  }

  /** Size in bytes. */
  public long bytes() {
    return bytes;
  }

  /** Copies floats from the heap to the start of this buffer (synchronous). */
  public void upload(float[] src) {
    upload(src, 0, src.length, 0);
  }

  /** Copies {@code count} floats from {@code src[from..]} to this buffer at a byte offset. */
  public void upload(float[] src, int from, int count, long dstOffsetBytes) {
    checkPositionIndexes(from, from + count, src.length);
    long len = (long) count * Float.BYTES;
    checkRange(dstOffsetBytes, len);
    context.makeCurrent();
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment staging = arena.allocate(len, 16);
      MemorySegment.copy(src, from, staging, ValueLayout.JAVA_FLOAT, 0, count);
      context.driver().copyHtoD(pointer() + dstOffsetBytes, staging, len);
    }
  }

  /** Copies ints from the heap to the start of this buffer (synchronous). */
  public void upload(int[] src) {
    long len = (long) src.length * Integer.BYTES;
    checkRange(0, len);
    context.makeCurrent();
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment staging = arena.allocate(len, 16);
      MemorySegment.copy(src, 0, staging, ValueLayout.JAVA_INT, 0, src.length);
      context.driver().copyHtoD(pointer(), staging, len);
    }
  }

  /** Copies the first {@code dst.length} floats of this buffer to the heap (synchronous). */
  public void download(float[] dst) {
    download(dst, 0);
  }

  /** Copies {@code dst.length} floats starting at a byte offset of this buffer to the heap. */
  public void download(float[] dst, long srcOffsetBytes) {
    long len = (long) dst.length * Float.BYTES;
    checkRange(srcOffsetBytes, len);
    context.makeCurrent();
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment staging = arena.allocate(len, 16);
      context.driver().copyDtoH(staging, pointer() + srcOffsetBytes, len);
      MemorySegment.copy(staging, ValueLayout.JAVA_FLOAT, 0, dst, 0, dst.length);
    }
  }

  /** Copies the first {@code dst.length} ints of this buffer to the heap (synchronous). */
  public void download(int[] dst) {
    long len = (long) dst.length * Integer.BYTES;
    checkRange(0, len);
    context.makeCurrent();
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment staging = arena.allocate(len, 16);
      context.driver().copyDtoH(staging, pointer(), len);
      MemorySegment.copy(staging, ValueLayout.JAVA_INT, 0, dst, 0, dst.length);
    }
  }

  /**
   * Copies the first {@code dst.length} 64-bit integers of this buffer to the heap (synchronous).
   */
  public void download(long[] dst) {
    long len = (long) dst.length * Long.BYTES;
    checkRange(0, len);
    context.makeCurrent();
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment staging = arena.allocate(len, 16);
      context.driver().copyDtoH(staging, pointer(), len);
      MemorySegment.copy(staging, ValueLayout.JAVA_LONG, 0, dst, 0, dst.length);
    }
  }

  /** Copies the first {@code dst.length} doubles of this buffer to the heap (synchronous). */
  public void download(double[] dst) {
    long len = (long) dst.length * Double.BYTES;
    checkRange(0, len);
    context.makeCurrent();
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment staging = arena.allocate(len, 16);
      context.driver().copyDtoH(staging, pointer(), len);
      MemorySegment.copy(staging, ValueLayout.JAVA_DOUBLE, 0, dst, 0, dst.length);
    }
  }

  /** Asynchronously copies pinned host memory into this buffer at a byte offset. */
  public void uploadAsync(MemorySegment pinned, long len, long dstOffsetBytes, CudaStream stream) {
    checkArgument(
        len <= pinned.byteSize(), "source holds %s bytes, asked %s", pinned.byteSize(), len);
    checkRange(dstOffsetBytes, len);
    context.makeCurrent();
    context.driver().copyHtoDAsync(pointer() + dstOffsetBytes, pinned, len, stream.handle());
  }

  /** Asynchronously fills {@code len} bytes at an offset with a byte value. */
  public void fillAsync(int byteValue, long offsetBytes, long len, CudaStream stream) {
    checkRange(offsetBytes, len);
    context.makeCurrent();
    context.driver().memsetAsync(pointer() + offsetBytes, byteValue & 0xFF, len, stream.handle());
  }

  /** Asynchronously copies {@code len} bytes from another device buffer. */
  public void copyFromAsync(
      DeviceBuffer src, long srcOffsetBytes, long dstOffsetBytes, long len, CudaStream stream) {
    src.checkRange(srcOffsetBytes, len);
    checkRange(dstOffsetBytes, len);
    context.makeCurrent();
    context
        .driver()
        .copyDtoDAsync(
            pointer() + dstOffsetBytes, src.pointer() + srcOffsetBytes, len, stream.handle());
  }

  void checkRange(long offset, long len) {
    checkArgument(
        offset >= 0 && len >= 0 && offset + len <= bytes,
        "range [%s, %s) outside a %s-byte device buffer",
        offset,
        offset + len,
        bytes);
  }

  @Override
  public void close() {
    if (pointer != 0) {
      long p = pointer;
      pointer = 0;
      context.makeCurrent();
      context.driver().memFree(p);
    }
  }
}

package org.refinepoi.som.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Kernel arguments in declaration order, packed for {@code cuLaunchKernel}: one naturally aligned
 * slot per argument, and an array of pointers to the slots ({@code void** kernelParams}). Device
 * pointers are 8-byte {@code CUdeviceptr}s, {@code long long} and {@code double} 8 bytes, {@code
 * int} and {@code float} 4 bytes, matching the kernels' C signatures.
 */
final class KernelArgs {

  /** The C type of one argument. */
  enum Kind {
    POINTER,
    INT,
    FLOAT,
    LONG,
    DOUBLE
  }

  private record Arg(Kind kind, long bits) {}

  /** An empty argument list; add the arguments in the kernel's declaration order. */
  public KernelArgs() {}

  private final List<Arg> args = new ArrayList<>();

  /** Appends a device pointer. */
  public KernelArgs pointer(long devicePointer) {
    args.add(new Arg(Kind.POINTER, devicePointer));
    return this;
  }

  /** Appends a device buffer's base address. */
  public KernelArgs buffer(DeviceBuffer buffer) {
    return pointer(buffer.pointer());
  }

  /** Appends a null device pointer (an optional output the kernel skips). */
  public KernelArgs nullPointer() {
    return pointer(0L);
  }

  /** Appends a C {@code int}. */
  public KernelArgs i32(int value) {
    args.add(new Arg(Kind.INT, value));
    return this;
  }

  /** Appends a C {@code long long}. */
  public KernelArgs i64(long value) {
    args.add(new Arg(Kind.LONG, value));
    return this;
  }

  /** Appends a C {@code float}. */
  public KernelArgs f32(float value) {
    args.add(new Arg(Kind.FLOAT, Float.floatToRawIntBits(value)));
    return this;
  }

  /** Appends a C {@code double}. */
  public KernelArgs f64(double value) {
    args.add(new Arg(Kind.DOUBLE, Double.doubleToRawLongBits(value)));
    return this;
  }

  /** Number of arguments. */
  public int size() {
    return args.size();
  }

  /**
   * Writes the slots and the pointer array into {@code arena}; the returned segment is the {@code
   * void**} to pass, valid as long as the arena.
   */
  MemorySegment pack(Arena arena) {
    MemorySegment params = arena.allocate(ADDRESS, Math.max(1, args.size()));
    for (int i = 0; i < args.size(); i++) {
      Arg a = args.get(i);
      MemorySegment slot =
          switch (a.kind()) {
            case POINTER, LONG, DOUBLE -> {
              MemorySegment s = arena.allocate(JAVA_LONG);
              s.set(JAVA_LONG, 0, a.bits());
              yield s;
            }
            case INT -> {
              MemorySegment s = arena.allocate(JAVA_INT);
              s.set(JAVA_INT, 0, (int) a.bits());
              yield s;
            }
            case FLOAT -> {
              MemorySegment s = arena.allocate(JAVA_FLOAT);
              s.set(JAVA_INT, 0, (int) a.bits());
              yield s;
            }
          };
      params.setAtIndex(ADDRESS, i, slot);
    }
    return params;
  }
}

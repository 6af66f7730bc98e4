package org.refinepoi.som.cuda;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import com.google.common.base.Supplier;
import com.google.common.base.Suppliers;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * NVRTC, the CUDA run-time compiler ({@code libnvrtc.so.13} or {@code .12}), through {@code
 * java.lang.foreign}. It needs no GPU: it turns CUDA C source into PTX (and, for a real {@code
 * sm_XX} architecture, a CUBIN) that {@link CudaContext#loadModule} loads.
 *
 * <p>Obtain it with {@link #load()}, which never throws: when the library is absent the result says
 * why.
 */
@SuppressWarnings("restricted") // native access is this package's purpose
final class Nvrtc {

  /** Loads on the first call, once per process (thread-safe; later calls share the result). */
  private static final Supplier<Loaded> LOADED = Suppliers.memoize(Nvrtc::tryLoad);

  /** The outcome of loading NVRTC: the compiler, or the reason it is unavailable. */
  public record Loaded(Nvrtc nvrtc, String unavailableReason) {

    /** Whether NVRTC loaded. */
    public boolean available() {
      return nvrtc != null;
    }
  }

  /**
   * The result of one compilation.
   *
   * @param ptx the PTX text (NUL removed)
   * @param cubin the CUBIN for a real architecture, or an empty array for a virtual one
   * @param log the compiler's log (warnings), possibly empty
   */
  public record Compiled(String ptx, byte[] cubin, String log) {

    /** The image to load: the CUBIN when there is one (no driver JIT), else the PTX. */
    public byte[] image() {
      return cubin.length > 0 ? cubin : ptx.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
  }

  private final String library;
  private final NativeFunctions.Bound nvrtcVersion;
  private final NativeFunctions.Bound nvrtcGetErrorString;
  private final NativeFunctions.Bound nvrtcCreateProgram;
  private final NativeFunctions.Bound nvrtcDestroyProgram;
  private final NativeFunctions.Bound nvrtcCompileProgram;
  private final NativeFunctions.Bound nvrtcGetProgramLogSize;
  private final NativeFunctions.Bound nvrtcGetProgramLog;
  private final NativeFunctions.Bound nvrtcGetPtxSize;
  private final NativeFunctions.Bound nvrtcGetPtx;
  private final NativeFunctions.Bound nvrtcGetCubinSize;
  private final NativeFunctions.Bound nvrtcGetCubin;

  private Nvrtc(NativeFunctions f) throws NativeFunctions.MissingSymbolException {
    library = f.library();
    nvrtcVersion = f.bind(FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS), "nvrtcVersion");
    nvrtcGetErrorString = f.bind(FunctionDescriptor.of(ADDRESS, JAVA_INT), "nvrtcGetErrorString");
    nvrtcCreateProgram =
        f.bind(
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS),
            "nvrtcCreateProgram");
    nvrtcDestroyProgram = f.bind(FunctionDescriptor.of(JAVA_INT, ADDRESS), "nvrtcDestroyProgram");
    nvrtcCompileProgram =
        f.bind(FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS), "nvrtcCompileProgram");
    FunctionDescriptor getSize = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS);
    nvrtcGetProgramLogSize = f.bind(getSize, "nvrtcGetProgramLogSize");
    nvrtcGetProgramLog = f.bind(getSize, "nvrtcGetProgramLog");
    nvrtcGetPtxSize = f.bind(getSize, "nvrtcGetPTXSize");
    nvrtcGetPtx = f.bind(getSize, "nvrtcGetPTX");
    nvrtcGetCubinSize = f.bind(getSize, "nvrtcGetCUBINSize");
    nvrtcGetCubin = f.bind(getSize, "nvrtcGetCUBIN");
  }

  /** Loads NVRTC once per process; never throws. */
  public static Loaded load() {
    return LOADED.get();
  }

  private static Loaded tryLoad() {
    try {
      NativeLibraries.Opened lib =
          NativeLibraries.open(
              "libnvrtc", List.of("13", "12", ""), List.of("libnvrtc-builtins"), Arena.global());
      return new Loaded(new Nvrtc(new NativeFunctions(lib.lookup(), lib.source())), null);
    } catch (NativeLibraries.LibraryNotFoundException e) {
      return new Loaded(null, "no NVRTC: " + e.getMessage());
    } catch (NativeFunctions.MissingSymbolException e) {
      return new Loaded(null, "unusable NVRTC: " + e.getMessage());
    } catch (RuntimeException | LinkageError e) {
      return new Loaded(null, "NVRTC could not be bound: " + e);
    }
  }

  /** The library path or soname that was opened. */
  public String library() {
    return library;
  }

  /** NVRTC's version as {@code {major, minor}}. */
  public int[] version() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment major = arena.allocate(JAVA_INT);
      MemorySegment minor = arena.allocate(JAVA_INT);
      check("nvrtcVersion", nvrtcVersion.callInt(major, minor));
      return new int[] {major.get(JAVA_INT, 0), minor.get(JAVA_INT, 0)};
    }
  }

  /** NVRTC's name for a result code, e.g. {@code NVRTC_ERROR_COMPILATION}. */
  public String errorString(int status) {
    MemorySegment s = nvrtcGetErrorString.callAddress(status);
    return s.equals(MemorySegment.NULL) ? "" : s.reinterpret(256).getString(0);
  }

  private void check(String call, int status) {
    if (status != 0) {
      throw new CudaException(call, status, errorString(status), "");
    }
  }

  /**
   * Compiles one translation unit.
   *
   * @param source CUDA C source (self-contained: no {@code #include} of toolkit headers)
   * @param name the file name shown in diagnostics, e.g. {@code som_kernels.cu}
   * @param options compiler options, e.g. {@code --gpu-architecture=sm_90}
   * @throws CudaException naming {@code nvrtcCompileProgram} with the compiler log on an error
   */
  public Compiled compile(String source, String name, List<String> options) {
    checkNotNull(source, "source");
    checkArgument(!source.isEmpty(), "empty CUDA source");
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment progOut = arena.allocate(ADDRESS);
      check(
          "nvrtcCreateProgram",
          nvrtcCreateProgram.callInt(
              progOut,
              arena.allocateFrom(source),
              arena.allocateFrom(name),
              0,
              MemorySegment.NULL,
              MemorySegment.NULL));
      MemorySegment program = progOut.get(ADDRESS, 0);
      try {
        MemorySegment opts = arena.allocate(ADDRESS, Math.max(1, options.size()));
        for (int i = 0; i < options.size(); i++) {
          opts.setAtIndex(ADDRESS, i, arena.allocateFrom(options.get(i)));
        }
        int status = nvrtcCompileProgram.callInt(program, options.size(), opts);
        String log = bytes(arena, program, nvrtcGetProgramLogSize, nvrtcGetProgramLog, "Log");
        if (status != 0) {
          throw new CudaException(
              "nvrtcCompileProgram(" + name + ", " + options + ")",
              status,
              errorString(status),
              log.strip());
        }
        String ptx = bytes(arena, program, nvrtcGetPtxSize, nvrtcGetPtx, "PTX");
        byte[] cubin = new byte[0];
        if (options.stream().anyMatch(o -> o.matches("(--gpu-architecture=|-arch=)sm_.*"))) {
          cubin = raw(arena, program, nvrtcGetCubinSize, nvrtcGetCubin, "CUBIN");
        }
        return new Compiled(ptx, cubin, log.strip());
      } finally {
        nvrtcDestroyProgram.callInt(progOut);
      }
    }
  }

  private String bytes(
      Arena arena,
      MemorySegment program,
      NativeFunctions.Bound size,
      NativeFunctions.Bound get,
      String what) {
    byte[] raw = raw(arena, program, size, get, what);
    int len = raw.length;
    while (len > 0 && raw[len - 1] == 0) {
      len--;
    }
    return new String(raw, 0, len, java.nio.charset.StandardCharsets.UTF_8);
  }

  private byte[] raw(
      Arena arena,
      MemorySegment program,
      NativeFunctions.Bound size,
      NativeFunctions.Bound get,
      String what) {
    MemorySegment sizeOut = arena.allocate(JAVA_LONG);
    check("nvrtcGet" + what + "Size", size.callInt(program, sizeOut));
    long n = sizeOut.get(JAVA_LONG, 0);
    if (n <= 0) {
      return new byte[0];
    }
    MemorySegment buf = arena.allocate(n);
    check("nvrtcGet" + what, get.callInt(program, buf));
    return buf.toArray(JAVA_BYTE);
  }
}

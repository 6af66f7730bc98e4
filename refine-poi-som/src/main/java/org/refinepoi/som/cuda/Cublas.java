package org.refinepoi.som.cuda;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import com.google.common.base.Supplier;
import com.google.common.base.Suppliers;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * The part of cuBLAS ({@code libcublas.so.13} or {@code .12}) the SOM needs: a handle bound to a
 * stream, a math mode (plain FP32 or TF32 tensor cores), and SGEMM. {@link #load()} never throws;
 * {@link #create} gives an {@code AutoCloseable} handle.
 */
@SuppressWarnings("restricted") // native access is this package's purpose
public final class Cublas {

  /** {@code CUBLAS_DEFAULT_MATH}: FP32 SGEMM stays FP32. */
  public static final int MATH_DEFAULT = 0;

  /** {@code CUBLAS_PEDANTIC_MATH}: the reference FP32 path, no shortcuts. */
  public static final int MATH_PEDANTIC = 2;

  /** {@code CUBLAS_TF32_TENSOR_OP_MATH}: FP32 SGEMM may round inputs to TF32 on tensor cores. */
  public static final int MATH_TF32 = 3;

  private static final List<String> STATUS_NAMES =
      List.of(
          "CUBLAS_STATUS_SUCCESS",
          "CUBLAS_STATUS_NOT_INITIALIZED",
          "",
          "CUBLAS_STATUS_ALLOC_FAILED",
          "",
          "",
          "",
          "CUBLAS_STATUS_INVALID_VALUE",
          "CUBLAS_STATUS_ARCH_MISMATCH",
          "",
          "",
          "CUBLAS_STATUS_MAPPING_ERROR",
          "",
          "CUBLAS_STATUS_EXECUTION_FAILED",
          "CUBLAS_STATUS_INTERNAL_ERROR",
          "CUBLAS_STATUS_NOT_SUPPORTED",
          "CUBLAS_STATUS_LICENSE_ERROR");

  /** Loads on the first call, once per process (thread-safe; later calls share the result). */
  private static final Supplier<Loaded> LOADED = Suppliers.memoize(Cublas::tryLoad);

  /** The outcome of loading cuBLAS: the library, or the reason it is unavailable. */
  public record Loaded(Cublas cublas, String unavailableReason) {

    /** Whether cuBLAS loaded. */
    public boolean available() {
      return cublas != null;
    }
  }

  private final String library;
  private final NativeFunctions.Bound cublasCreate;
  private final NativeFunctions.Bound cublasDestroy;
  private final NativeFunctions.Bound cublasSetStream;
  private final NativeFunctions.Bound cublasSetMathMode;
  private final NativeFunctions.Bound cublasSgemm;
  private final NativeFunctions.Bound cublasGetStatusName;

  private Cublas(NativeFunctions f) throws NativeFunctions.MissingSymbolException {
    library = f.library();
    cublasCreate = f.bind(FunctionDescriptor.of(JAVA_INT, ADDRESS), "cublasCreate_v2");
    cublasDestroy = f.bind(FunctionDescriptor.of(JAVA_INT, ADDRESS), "cublasDestroy_v2");
    cublasSetStream =
        f.bind(FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS), "cublasSetStream_v2");
    cublasSetMathMode =
        f.bind(FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), "cublasSetMathMode");
    cublasSgemm =
        f.bind(
            FunctionDescriptor.of(
                JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS,
                JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT),
            "cublasSgemm_v2");
    cublasGetStatusName =
        f.bindOptional(FunctionDescriptor.of(ADDRESS, JAVA_INT), "cublasGetStatusName");
  }

  /** Loads cuBLAS once per process; never throws. */
  public static Loaded load() {
    return LOADED.get();
  }

  private static Loaded tryLoad() {
    try {
      NativeLibraries.Opened lib =
          NativeLibraries.open(
              "libcublas", List.of("13", "12", ""), List.of("libcublasLt"), Arena.global());
      return new Loaded(new Cublas(new NativeFunctions(lib.lookup(), lib.source())), null);
    } catch (NativeLibraries.LibraryNotFoundException e) {
      return new Loaded(null, "no cuBLAS: " + e.getMessage());
    } catch (NativeFunctions.MissingSymbolException e) {
      return new Loaded(null, "unusable cuBLAS: " + e.getMessage());
    } catch (RuntimeException | LinkageError e) {
      return new Loaded(null, "cuBLAS could not be bound: " + e);
    }
  }

  /** The library path or soname that was opened. */
  public String library() {
    return library;
  }

  /** cuBLAS's name for a status code, from the library when it has one, else a fixed table. */
  public String statusName(int status) {
    if (cublasGetStatusName != null) {
      MemorySegment s = cublasGetStatusName.callAddress(status);
      if (!s.equals(MemorySegment.NULL)) {
        return s.reinterpret(256).getString(0);
      }
    }
    return staticStatusName(status);
  }

  /** The documented name of a cuBLAS status, or {@code CUBLAS_STATUS_<n>} for an unknown one. */
  static String staticStatusName(int status) {
    if (status >= 0 && status < STATUS_NAMES.size() && !STATUS_NAMES.get(status).isEmpty()) {
      return STATUS_NAMES.get(status);
    }
    return "CUBLAS_STATUS_" + status;
  }

  private void check(String call, int status) {
    if (status != 0) {
      throw new CudaException(call, status, statusName(status), "");
    }
  }

  /** Creates a handle in the context, bound to a stream, with a math mode ({@code MATH_*}). */
  public Handle create(CudaContext context, CudaStream stream, int mathMode) {
    checkArgument(
        mathMode == MATH_DEFAULT || mathMode == MATH_PEDANTIC || mathMode == MATH_TF32,
        "unknown cuBLAS math mode %s",
        mathMode);
    context.makeCurrent();
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment out = arena.allocate(ADDRESS);
      check("cublasCreate_v2", cublasCreate.callInt(out));
      Handle handle = new Handle(context, out.get(ADDRESS, 0));
      try {
        check("cublasSetStream_v2", cublasSetStream.callInt(handle.handle(), stream.handle()));
        handle.setMathMode(mathMode);
      } catch (CudaException e) {
        handle.close();
        throw e;
      }
      return handle;
    }
  }

  /** A cuBLAS handle; destroyed by {@link #close()}. */
  public final class Handle implements AutoCloseable {
    private final CudaContext context;
    private MemorySegment handle;

    private Handle(CudaContext context, MemorySegment handle) {
      this.context = context;
      this.handle = handle;
    }

    MemorySegment handle() {
      checkState(handle != null, "cuBLAS handle is closed");
      return handle;
    }

    /** Switches the math mode ({@code MATH_*}). */
    public void setMathMode(int mode) {
      context.makeCurrent();
      check("cublasSetMathMode", cublasSetMathMode.callInt(handle(), mode));
    }

    /**
     * Column-major {@code C = alpha * op(A) * op(B) + beta * C} in FP32 (or TF32 when the math mode
     * allows), queued on the handle's stream. Row-major callers swap operands: row-major {@code R =
     * P * Q} is column-major {@code R^T = Q^T * P^T}.
     */
    public void sgemm(
        boolean transA,
        boolean transB,
        int m,
        int n,
        int k,
        float alpha,
        long a,
        int lda,
        long b,
        int ldb,
        float beta,
        long c,
        int ldc) {
      checkArgument(m >= 1 && n >= 1 && k >= 1, "sgemm sizes must be >= 1: %sx%sx%s", m, n, k);
      context.makeCurrent();
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment alphaSeg = arena.allocate(JAVA_FLOAT);
        alphaSeg.set(JAVA_FLOAT, 0, alpha);
        MemorySegment betaSeg = arena.allocate(JAVA_FLOAT);
        betaSeg.set(JAVA_FLOAT, 0, beta);
        check(
            "cublasSgemm_v2",
            cublasSgemm.callInt(
                handle(),
                transA ? 1 : 0,
                transB ? 1 : 0,
                m,
                n,
                k,
                alphaSeg,
                a,
                lda,
                b,
                ldb,
                betaSeg,
                c,
                ldc));
      }
    }

    @Override
    public void close() {
      if (handle != null) {
        MemorySegment h = handle;
        handle = null;
        context.makeCurrent();
        check("cublasDestroy_v2", cublasDestroy.callInt(h));
      }
    }
  }
}

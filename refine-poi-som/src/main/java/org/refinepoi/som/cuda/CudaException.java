package org.refinepoi.som.cuda;

/**
 * A CUDA driver, NVRTC or cuBLAS call returned an error status. The message names the call, the
 * numeric status, and the library's own name and description for it (for example {@code
 * cuMemAlloc_v2 failed: 2 CUDA_ERROR_OUT_OF_MEMORY (out of memory)}).
 */
public class CudaException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String call;
  private final int status;
  private final String statusName;

  /**
   * Creates the exception for a failed call.
   *
   * @param call the native function's name
   * @param status the numeric status it returned
   * @param statusName the library's symbolic name for the status (e.g. {@code
   *     CUDA_ERROR_OUT_OF_MEMORY})
   * @param description the library's description of the status, or extra detail such as a compiler
   *     log
   */
  public CudaException(String call, int status, String statusName, String description) {
    super(message(call, status, statusName, description));
    this.call = call;
    this.status = status;
    this.statusName = statusName;
  }

  /** Creates an exception for a failure that is not a status code (e.g. a missing symbol). */
  public CudaException(String message, Throwable cause) {
    super(message, cause);
    this.call = "";
    this.status = -1;
    this.statusName = "";
  }

  static String message(String call, int status, String statusName, String description) {
    StringBuilder sb = new StringBuilder(call).append(" failed: ").append(status);
    if (statusName != null && !statusName.isEmpty()) {
      sb.append(' ').append(statusName);
    }
    if (description != null && !description.isEmpty()) {
      sb.append(" (").append(description).append(')');
    }
    return sb.toString();
  }

  /** The native function that failed, or an empty string. */
  public String call() {
    return call;
  }

  /** The numeric status the call returned, or -1 when the failure was not a status. */
  public int status() {
    return status;
  }

  /** The library's symbolic name for the status, or an empty string. */
  public String statusName() {
    return statusName;
  }
}

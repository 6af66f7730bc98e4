/**
 * Files: NumPy {@code .npy} matrices, the atomic and durable writes every SDK file goes through,
 * the exception that every decoder of the SDK's formats refuses a bad file with, and the heap check
 * done before a large allocation.
 */
package org.refinepoi.core.io;

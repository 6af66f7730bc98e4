/** File formats for matrices: NumPy {@code .npy} reading and writing. */
package org.refinepoi.core.io;

/**
 * File plumbing shared by the module's savers: atomic, durable replacement of a file (through
 * core's {@link org.refinepoi.core.io.AtomicFiles}) and the length-prefixed, CRC32-checked block
 * the policy and model formats embed.
 */
package org.refinepoi.rl.io;

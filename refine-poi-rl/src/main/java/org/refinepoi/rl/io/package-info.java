/**
 * File plumbing shared by the module's savers: atomic, durable replacement of a file and the
 * length-prefixed, CRC32-checked block the policy and model formats embed.
 *
 * <p>Core's {@code core.io.AtomicFiles} (on its way) does the same for core and som files; once it
 * lands, {@link org.refinepoi.rl.io.StateFiles#replaceAtomically} can delegate to it.
 */
package org.refinepoi.rl.io;

package org.refinepoi.rl.djl;

import java.util.concurrent.locks.ReentrantLock;

/**
 * DJL allows one open {@code GradientCollector} per process: every policy of this package takes
 * {@link #LOCK} around its gradient recording, so that two policies trained from two threads wait
 * for each other instead of corrupting each other's gradients.
 */
final class DjlGradients {

  /** Held while a gradient collector is open. */
  static final ReentrantLock LOCK = new ReentrantLock();

  private DjlGradients() {}
}

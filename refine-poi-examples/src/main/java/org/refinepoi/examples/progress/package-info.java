/**
 * Progress of long steps for the console: {@link org.refinepoi.examples.progress.ConsoleProgress}
 * implements the libraries' {@link org.refinepoi.pipeline.progress.ProgressReporter} with a
 * progress bar at a terminal and plain log lines elsewhere; {@link
 * org.refinepoi.pipeline.progress.ProgressListeners} connects it to the libraries' listeners (GRPO
 * steps, SFT steps, SOM batch epochs), since library modules never print.
 */
package org.refinepoi.examples.progress;

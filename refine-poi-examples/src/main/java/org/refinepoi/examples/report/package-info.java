/**
 * Reports with pictures: {@link org.refinepoi.examples.report.ReportWriter} draws PNG files from
 * plain data (U-matrix heat maps, lattices coloured by dominant category, POIs on a map coloured by
 * their first-level cell, training curves, metrics bar charts) and writes an {@code index.html}
 * with captions saying how to read each one and the metrics table. {@link
 * org.refinepoi.examples.report.SomFigures} turns a trained hierarchical SOM and its semantic IDs
 * into those pictures; {@link org.refinepoi.pipeline.progress.TrainingRecorder} collects SFT and
 * GRPO curves from the trainers' listeners.
 */
package org.refinepoi.examples.report;

/**
 * The next-POI experiment of the SDK as a reusable class: {@link
 * org.refinepoi.pipeline.experiment.RecommendationExperiment} runs protocol, POI features, the four
 * semantic-ID schemes ({@link org.refinepoi.pipeline.ids.IdSchemes}) with their quality, the
 * classic baselines, SFT and GRPO policies and the ablations, and {@link
 * org.refinepoi.pipeline.experiment.ExperimentReports} writes {@code metrics.json}, {@code
 * sid-quality.json} and {@code results.md}. The {@code demo}, {@code ids} and {@code bench rec}
 * commands are thin shells around it.
 */
package org.refinepoi.pipeline.experiment;

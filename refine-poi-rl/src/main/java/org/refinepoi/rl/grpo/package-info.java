/**
 * Group Relative Policy Optimization (docs/method.md section 5) against the {@link
 * org.refinepoi.rl.policy.Policy} seam: group-relative advantages, the clipped per-token surrogate
 * with asymmetric clipping, the k3 KL estimator to a frozen reference, three loss aggregations,
 * learning-rate schedules, per-step metrics, and checkpoint / resume.
 *
 * <p>Typical use, with a policy whose completions decode to answer text:
 *
 * <pre>{@code
 * AnswerParser parser = AnswerParser.forIndex(index, 10);
 * RewardFunction<Sample, String> ranking =
 *     CompositeReward.<Sample, String>paperTerms(
 *             s -> index.findId(poiIdOf(s)), parser::parse,
 *             SoftAccuracyReward.builder(index.space(), 10).build(), 10)
 *         .build();
 * GrpoTrainer<Sample> trainer =
 *     GrpoTrainer.builder(policy, ranking.mapCompletions(detokenizer::text), prompts)
 *         .config(GrpoConfig.builder().groupSize(8).beta(0.04).learningRate(1e-4).build())
 *         .constraint(trieConstraint)
 *         .listener(m -> progress.update(m.rewardMean()))
 *         .build();
 * trainer.train(200);
 * trainer.saveCheckpoint(dir.resolve("grpo.ckpt"));
 * }</pre>
 */
package org.refinepoi.rl.grpo;

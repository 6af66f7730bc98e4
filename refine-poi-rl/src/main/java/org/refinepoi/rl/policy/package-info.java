/**
 * The policy seam of the RL stage: a sequence policy over integer token ids, independent of any
 * tensor library. The GRPO trainer ({@code org.refinepoi.rl.grpo}) talks only to {@link
 * org.refinepoi.rl.policy.Policy}; the built-in DJL Transformer and the pure-Java {@code
 * TabularSoftmaxPolicy} implement it.
 *
 * <p><b>How a loss crosses the seam.</b> A trainer's loss is a function of the current policy's
 * per-token log-probabilities only (plus constants such as advantages and old / reference
 * log-probabilities). The trainer hands it to the policy as a
 * org.refinepoi.rl.policy.SequenceLoss}: the policy computes the log-probabilities with gradients
 * in its own tensor library, asks the loss for its value and its derivative with respect to each
 * log-probability (plain Java arrays), and back-propagates the surrogate {@code sum_t g_t *
 * logp_t}, whose gradient equals the loss's gradient by the chain rule. No tensor type leaks out.
 */
package org.refinepoi.rl.policy;

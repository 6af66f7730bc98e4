/**
 * Group Relative Policy Optimization (METHOD section 5) against the {@link
 * org.refinepoi.rl.policy.Policy} seam: group-relative advantages, the clipped per-token surrogate
 * with asymmetric clipping, the k3 KL estimator to a frozen reference, three loss aggregations,
 * learning-rate schedules, per-step metrics, and checkpoint / resume.
 */
package org.refinepoi.rl.grpo;

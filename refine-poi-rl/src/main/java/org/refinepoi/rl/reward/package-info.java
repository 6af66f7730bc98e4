/**
 * Ranking rewards for generated top-k lists of semantic IDs (docs/method.md section 5 (rewards)):
 * pure functions of a ranked list, the ground truth and the ID space, each in [0, 1]; a parser from
 * model text to a ranked list with the reasons it failed; a composite with weights and format
 * gating; and a batch interface shaped like TRL's reward functions, with a per-term breakdown for
 * logging.
 */
package org.refinepoi.rl.reward;

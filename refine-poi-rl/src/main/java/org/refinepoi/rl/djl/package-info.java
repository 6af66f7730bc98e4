/**
 * The built-in generative policy (docs/method.md section 3): a small decoder-only Transformer
 * trained from scratch with DJL's PyTorch engine ({@link
 * org.refinepoi.rl.djl.TransformerPolicyModel}), decoding constrained by the semantic-ID trie
 * ({@link org.refinepoi.rl.djl.IdTrie}, {@link org.refinepoi.rl.djl.ListConstraint}, {@link
 * org.refinepoi.rl.djl.ConstrainedDecoder}: sampling whole top-k lists for rollouts, beam search
 * for one ID's top-k), the {@link org.refinepoi.rl.policy.Policy} implementation the GRPO trainer
 * drives ({@link org.refinepoi.rl.djl.DjlTransformerPolicy}), supervised fine-tuning ({@link
 * org.refinepoi.rl.djl.SftTrainer}) and the evaluation wrapper ({@link
 * org.refinepoi.rl.djl.GenerativeRecommender}).
 *
 * <p>This module compiles against DJL's API only; the PyTorch engine and its JNI bridge come at run
 * time, and libtorch is the application's choice: a {@code pytorch-native-cpu} jar for its platform
 * (extracted to the DJL cache on first use; with {@code ai.djl.offline=true} nothing is ever
 * downloaded), {@code PYTORCH_LIBRARY_PATH}, or DJL's download ({@code PYTORCH_FLAVOR}). See {@code
 * docs/dependencies.md}.
 */
package org.refinepoi.rl.djl;

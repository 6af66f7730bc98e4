/**
 * The two renderings of a next-POI sample (docs/architecture.md, prompts): text prompts for
 * language models ({@link org.refinepoi.core.prompt.PromptRenderer}) and token sequences for the
 * built-in model ({@link org.refinepoi.core.prompt.PromptVocabulary}, {@link
 * org.refinepoi.core.prompt.SampleTokenizer}), both writing semantic IDs in the project's ID
 * format.
 */
package org.refinepoi.core.prompt;

/**
 * Interoperability with Python RL trainers: export the samples, text prompts and semantic-ID
 * vocabulary for Hugging Face TRL and verl ({@link
 * org.refinepoi.pipeline.interop.TrainingDataExporter}, {@code refine-poi export}), and score a
 * model's text answers with the SDK's rewards and metrics ({@link
 * org.refinepoi.pipeline.interop.CompletionScorer}, {@code refine-poi score}).
 *
 * <p>A round trip:
 *
 * <pre>
 * refine-poi export --synthetic --split train --out export/      # or --data checkins.tsv
 * # Python, TRL: the extra columns reach reward functions as keyword arguments
 * #   ds = datasets.load_dataset("json", data_files="export/trl-train.jsonl")["train"]
 * #   def hit(completions, ground_truth, **kw):
 * #       return [1.0 if g in c[-1]["content"] else 0.0 for c, g in zip(completions, ground_truth)]
 * #   GRPOTrainer(model=..., reward_funcs=[hit], train_dataset=ds, ...)
 * # Python, verl: records in its RL dataset shape; verl reads parquet
 * #   pandas.read_json("export/verl-train.jsonl", lines=True).to_parquet("train.parquet")
 * # Add vocab.json's "tokens" (and "answer_tags") to the tokenizer as new tokens.
 * # Export the test split with the same data, settings and seed (the IDs are the same), generate,
 * # write {"sample_id": ..., "completion": ...} per line, then
 * refine-poi export --synthetic --split test --out export-test/
 * refine-poi score --index export-test/index.sid --samples export-test/trl-test.jsonl \
 *     --completions completions.jsonl --out scores.jsonl
 * </pre>
 */
package org.refinepoi.pipeline.interop;

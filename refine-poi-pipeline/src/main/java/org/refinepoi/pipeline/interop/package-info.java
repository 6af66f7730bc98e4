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
 * # Python, TRL SFT first: sft-train.jsonl is prompt-completion, the completion the ranked answer
 * #   SFTTrainer(model=..., train_dataset=load_dataset("json", data_files="export/sft-train.jsonl"))
 * # Add added_tokens.txt's lines (the ID tokens, then the answer tags) to the tokenizer:
 * #   tokenizer.add_tokens(open("export/added_tokens.txt").read().splitlines(), special_tokens=False)
 * # Export the test split with the same data, settings and seed (the IDs are the same), generate,
 * # write {"sample_id": ..., "completion": ...} per line, then
 * refine-poi export --synthetic --split test --out export-test/
 * refine-poi score --index export-test/index.sid --samples export-test/trl-test.jsonl \
 *     --completions completions.jsonl --out scores.jsonl
 * </pre>
 */
package org.refinepoi.pipeline.interop;

"""The TRL and verl adapters: inputs they accept, inputs they reject with the reason."""

import importlib.util
import json
import os
import tempfile
import unittest
from pathlib import Path

from refine_poi_rewards import (
    VOCAB_ENV,
    Catalogue,
    completion_text,
    compute_score,
    load_catalogue,
    trl_reward,
    trl_term_rewards,
)

from . import golden


class AdapterTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        header, cls.cat, _, cases = golden.load()["A"]
        cls.vocab = header["vocab"]
        cls.k = header["k"]
        cls.case = next(c for c in cases if c["case"] == "exact_top1")
        cls.truth = cls.case["ground_truth"]

    def test_completion_text_reads_strings_and_the_last_message(self):
        self.assertEqual(completion_text("x"), "x")
        self.assertEqual(
            completion_text([{"role": "assistant", "content": "a"},
                             {"role": "assistant", "content": "b"}]), "b")
        for bad in ([], [{"role": "assistant"}], 3, None):
            with self.assertRaises(ValueError):
                completion_text(bad)

    def test_a_column_of_the_wrong_length_is_rejected(self):
        reward = trl_reward(self.cat, k=self.k)
        with self.assertRaisesRegex(ValueError, "ground_truth.*2 values for 1"):
            reward(["<answer></answer>"], ground_truth=[self.truth, self.truth])
        with self.assertRaisesRegex(ValueError, "one value per completion"):
            reward(["<answer></answer>"], ground_truth=self.truth)

    def test_missing_truth_is_not_applicable(self):
        reward = trl_reward(self.cat, k=self.k)
        self.assertEqual(reward([self.case["completion"]]), [None])
        self.assertEqual(reward([self.case["completion"]], ground_truth=[None]), [None])

    def test_truths_that_are_not_ids_or_disagree_are_rejected(self):
        reward = trl_reward(self.cat, k=self.k)
        with self.assertRaisesRegex(ValueError, "not a semantic ID"):
            reward(["x"], ground_truth=["<a_99_9><b_0_0><c_0>"])
        with self.assertRaisesRegex(ValueError, "neither a semantic ID"):
            reward(["x"], ground_truth=["no-such-poi"])
        with self.assertRaisesRegex(ValueError, "not a POI"):
            reward(["x"], ground_truth_id=["no-such-poi"])
        other = next(p for p, s in self.cat.id_of.items() if self.cat.format.render(s) != self.truth)
        with self.assertRaisesRegex(ValueError, "disagrees"):
            reward(["x"], ground_truth=[self.truth], ground_truth_id=[other])

    def test_unknown_term_is_rejected(self):
        with self.assertRaisesRegex(ValueError, "unknown term"):
            trl_reward(self.cat, term="accuracy")

    def test_term_functions_carry_their_names_for_trl_logs(self):
        names = [f.__name__ for f in trl_term_rewards(self.cat)]
        self.assertEqual(names, ["refine_poi_format", "refine_poi_reciprocal_rank",
                                 "refine_poi_soft_accuracy", "refine_poi_diversity",
                                 "refine_poi_length"])
        self.assertEqual(trl_reward(self.cat).__name__, "refine_poi")

    def test_vocab_from_a_file_and_from_the_environment(self):
        with tempfile.TemporaryDirectory() as d:
            path = Path(d) / "vocab.json"
            path.write_text(json.dumps(self.vocab), encoding="utf-8")
            self.assertIsInstance(load_catalogue(path), Catalogue)
            old = os.environ.get(VOCAB_ENV)
            os.environ[VOCAB_ENV] = str(path)
            try:
                got = compute_score("refine-poi/x", self.case["completion"], self.truth, k=self.k)
            finally:
                if old is None:
                    del os.environ[VOCAB_ENV]
                else:
                    os.environ[VOCAB_ENV] = old
            self.assertAlmostEqual(got, self.case["composite"]["weighted_mean"], delta=1e-9)

    def test_no_vocab_is_a_clear_error(self):
        old = os.environ.pop(VOCAB_ENV, None)
        try:
            with self.assertRaisesRegex(ValueError, VOCAB_ENV):
                load_catalogue(None)
        finally:
            if old is not None:
                os.environ[VOCAB_ENV] = old

    def test_verl_checks_extra_info_against_the_truth(self):
        other = next(p for p, s in self.cat.id_of.items() if self.cat.format.render(s) != self.truth)
        with self.assertRaisesRegex(ValueError, "disagrees"):
            compute_score("refine-poi/x", "", self.truth, {"ground_truth_id": other},
                          vocab=self.vocab, k=self.k)
        with self.assertRaisesRegex(ValueError, "no ground truth"):
            compute_score("refine-poi/x", "", None, vocab=self.vocab)

    def test_the_verl_shim_loads_by_path_as_verl_does(self):
        path = Path(__file__).resolve().parents[1] / "verl_reward.py"
        spec = importlib.util.spec_from_file_location("custom_module", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        got = module.compute_score("refine-poi/x", self.case["completion"], self.truth, None,
                                   vocab=self.vocab, k=self.k)
        self.assertAlmostEqual(got, self.case["composite"]["weighted_mean"], delta=1e-9)


if __name__ == "__main__":
    unittest.main()

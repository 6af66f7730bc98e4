"""The Python rewards equal the Java ones on every line of the golden file (to 1e-9)."""

import math
import unittest

from refine_poi_rewards import (
    AnswerParser,
    CompositeReward,
    DiversityReward,
    FormatReward,
    LengthReward,
    NdcgReward,
    ReciprocalRankReward,
    SoftAccuracyReward,
    compute_score,
    paper_terms,
    trl_reward,
    trl_term_rewards,
)
from refine_poi_rewards.rewards import GROUP_MIN_MAX, GROUP_Z_SCORE, WEIGHTED_MEAN

from . import golden

TOL = golden.TOLERANCE


def soft_variants(space, k):
    """The same variants as RewardsGoldenFileTest.softVariants."""
    return {
        "soft_accuracy": SoftAccuracyReward(space, k),
        "soft_accuracy_exponential": SoftAccuracyReward(
            space, k, discount_kind="reciprocal", decay="exponential", length_scale=1.5
        ),
        "soft_accuracy_bands": SoftAccuracyReward(
            space, k, discount_kind="none", bands=[(0.05, 0.2), (0.3, 0.6)], slot_similarity=0.8
        ),
    }


def terms(space, k):
    """The same terms as RewardsGoldenFileTest.lines, by name."""
    out = {
        "format": FormatReward(k),
        "format_partial": FormatReward(k, partial_credit=True),
        "reciprocal_rank": ReciprocalRankReward(k),
        "ndcg": NdcgReward(k),
    }
    out.update(soft_variants(space, k))
    out["diversity"] = DiversityReward()
    out["length"] = LengthReward(k)
    out["length_geometric"] = LengthReward(k, shape="geometric", ratio=0.5)
    return out


class GoldenFileTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.spaces = golden.load()

    def assertClose(self, expected, actual, where):
        if expected is None or actual is None:
            self.assertIsNone(actual, where)
            self.assertIsNone(expected, where)
            return
        self.assertTrue(
            math.isfinite(actual) and abs(expected - actual) <= TOL,
            f"{where}: Java {expected!r}, Python {actual!r}",
        )

    def test_the_file_holds_both_spaces_and_many_cases(self):
        self.assertEqual(sorted(self.spaces), ["A", "B"])
        for name, (_, _, distances, cases) in self.spaces.items():
            self.assertGreaterEqual(len(distances), 20, name)
            self.assertGreaterEqual(len(cases), 60, name)

    def test_the_token_vocabulary_is_the_javas_in_order(self):
        for name, (header, cat, _, _) in self.spaces.items():
            self.assertEqual(
                cat.format.vocabulary(header["vocab"]["slot_count"]),
                header["vocab"]["tokens"],
                name,
            )
            for poi, sid in cat.id_of.items():
                self.assertEqual(cat.format.parse(cat.format.render(sid)), sid, poi)

    def test_id_distances_and_similarities(self):
        for name, (header, cat, distances, _) in self.spaces.items():
            soft = soft_variants(cat.space, header["k"])
            for d in distances:
                a, b = cat.format.parse(d["a"]), cat.format.parse(d["b"])
                where = f"{name} {d['a']} {d['b']}"
                self.assertClose(d["distance"], cat.space.distance(a, b), where + " distance")
                for variant, expected in d["similarity"].items():
                    self.assertClose(expected, soft[variant].similarity(a, b), where + " " + variant)

    def test_parsed_answers(self):
        for name, (header, cat, _, cases) in self.spaces.items():
            parser = AnswerParser.for_catalogue(cat, header["k"])
            for c in cases:
                a = parser.parse(c["completion"])
                where = f"{name} {c['case']}"
                p = c["parsed"]
                self.assertEqual([cat.format.render(s) for s in a.items], p["items"], where)
                self.assertEqual(a.entry_count, p["entries"], where)
                self.assertEqual(a.answer_found, p["answer_found"], where)
                self.assertEqual(a.well_formed, p["well_formed"], where)
                self.assertEqual([r for r, _ in a.problems], p["problems"], where)

    def test_every_term(self):
        for name, (header, cat, _, cases) in self.spaces.items():
            k = header["k"]
            parser = AnswerParser.for_catalogue(cat, k)
            by_name = terms(cat.space, k)
            for c in cases:
                a = parser.parse(c["completion"])
                truth = None if c["ground_truth"] is None else cat.truth(c["ground_truth"])
                self.assertEqual(sorted(c["terms"]), sorted(by_name), name)
                for term, expected in c["terms"].items():
                    actual = None if truth is None else by_name[term].score(a, truth)
                    self.assertClose(expected, actual, f"{name} {c['case']} {term}")

    def test_composites_over_the_batch(self):
        for name, (header, cat, _, cases) in self.spaces.items():
            k = header["k"]
            parser = AnswerParser.for_catalogue(cat, k)
            answers = [parser.parse(c["completion"]) for c in cases]
            truths = [None if c["ground_truth"] is None else cat.truth(c["ground_truth"])
                      for c in cases]
            groups = [c["group"] for c in cases]
            composites = {
                how: paper_terms(cat.space, k, combination=how)
                for how in (WEIGHTED_MEAN, GROUP_MIN_MAX, GROUP_Z_SCORE)
            }
            composites["ungated"] = CompositeReward(paper_terms(cat.space, k).terms, gate_k=0)
            for how, reward in composites.items():
                totals, breakdown = reward.score(answers, truths, groups)
                for c, total in zip(cases, totals):
                    self.assertClose(c["composite"][how], total, f"{name} {c['case']} {how}")
                if how == WEIGHTED_MEAN:
                    for i, c in enumerate(cases):
                        self.assertEqual(list(c["composite_terms"]), list(breakdown), name)
                        for term, expected in c["composite_terms"].items():
                            self.assertClose(expected, breakdown[term][i],
                                             f"{name} {c['case']} gated {term}")

    def test_trl_reward_on_plain_and_conversational_completions(self):
        for name, (header, cat, _, cases) in self.spaces.items():
            k = header["k"]
            reward = trl_reward(cat, k=k)
            texts = [c["completion"] for c in cases]
            chats = [[{"role": "assistant", "content": t}] for t in texts]
            truths = [c["ground_truth"] for c in cases]
            expected = [c["composite"]["weighted_mean"] for c in cases]
            for completions in (texts, chats):
                got = reward(prompts=[""] * len(texts), completions=completions,
                             ground_truth=truths, sample_id=list(range(len(texts))))
                self.assertEqual(len(got), len(cases))
                for c, e, g in zip(cases, expected, got):
                    self.assertClose(e, g, f"{name} {c['case']} TRL")
            for fn in trl_term_rewards(cat, k=k):
                term = fn.__name__[len("refine_poi_"):]
                got = fn(completions=chats, ground_truth=truths)
                for c, g in zip(cases, got):
                    self.assertClose(c["composite_terms"][term], g, f"{name} {c['case']} {term}")

    def test_trl_reward_by_poi_id(self):
        for name, (header, cat, _, cases) in self.spaces.items():
            reward = trl_reward(cat, k=header["k"])
            known = [c for c in cases if c["ground_truth"] is not None
                     and cat.truth(c["ground_truth"]) in cat.poi_of]
            pois = [cat.poi_of[cat.truth(c["ground_truth"])] for c in known]
            got = reward([c["completion"] for c in known], ground_truth_id=pois)
            for c, g in zip(known, got):
                self.assertClose(c["composite"]["weighted_mean"], g, f"{name} {c['case']}")

    def test_verl_compute_score(self):
        for name, (header, cat, _, cases) in self.spaces.items():
            for c in cases:
                if c["ground_truth"] is None:
                    continue
                got = compute_score("refine-poi/golden", c["completion"], c["ground_truth"],
                                    extra_info={"index": 0}, vocab=header["vocab"], k=header["k"])
                self.assertIsInstance(got, float)
                self.assertClose(c["composite"]["weighted_mean"], got, f"{name} {c['case']} verl")


if __name__ == "__main__":
    unittest.main()

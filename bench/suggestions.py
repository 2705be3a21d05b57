"""Benchmark of the local suggestions (impact.suggestions): time per 1,000 texts (language, eligibility, embedding,
hint, kind, (a)/(b)) and near-duplicates, peak memory of the process, and the (a)/(b) placement's agreement with the
office on the published Q2 examples, cross-validated (leave one out: each example placed by centroids of all the
others), against a majority baseline in the same run. Aims: 1,000 texts in under 5 s, under 300 MB.

    .venv/bin/python bench/suggestions.py [--texts 1000]

No Django and no network: the model is wordllama's, from its wheel.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
AIM_SECONDS, AIM_MB = 5.0, 300


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--texts", type=int, default=1000)
    args = parser.parse_args()
    from impact import suggestions

    started = time.perf_counter()
    model = suggestions.load_model()
    suggester = suggestions.Suggester(model)
    ready = time.perf_counter() - started

    examples = suggestions.published_examples()
    texts = [examples[i % len(examples)]["text"] for i in range(args.texts)]
    # Variety as replies have it: a few copies differ by a word, so the texts are not all from the cache.
    texts = [f"{text} ({i})" if i >= len(examples) else text for i, text in enumerate(texts)]
    started = time.perf_counter()
    suggester.suggest(texts, q2=[True] * len(texts))
    suggester.near_duplicates(texts[: min(len(texts), 300)])
    elapsed = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    q2 = [(example["text"], example["heading"][-1]) for example in examples if example["heading"] in ("2.3a", "2.3b")]
    placed, truth = [], []
    for left_out in range(len(q2)):
        others = q2[:left_out] + q2[left_out + 1 :]
        folded = suggestions.Suggester(model, q2_examples=others)
        text, section = q2[left_out]
        placed.append(folded.suggest([text], q2=[True])[0].section or "none")
        truth.append(section)
    majority = Counter(truth).most_common(1)[0][0]
    agree = sum(p == t for p, t in zip(placed, truth, strict=True)) / len(truth)
    baseline = sum(t == majority for t in truth) / len(truth)
    kappa = suggestions.cohen_kappa(zip(placed, truth, strict=True))

    print(f"model loaded and prototypes embedded in {ready:.2f} s")
    per_thousand = elapsed * 1000 / args.texts
    print(f"{args.texts} texts suggested in {elapsed:.2f} s ({per_thousand:.2f} s per 1,000; aim < {AIM_SECONDS} s)")
    print(f"peak memory {peak_mb:.0f} MB (aim < {AIM_MB} MB)")
    print(f"(a)/(b) on the published Q2 examples, leave-one-out, n = {len(truth)}:")
    print(f"  suggestions   agreement {agree:.0%}  kappa {kappa:.2f}")
    print(f"  majority ({majority})  agreement {baseline:.0%}  kappa 0.00")


if __name__ == "__main__":
    main()

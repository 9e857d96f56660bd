#!/usr/bin/env python3
"""Split the written question sets into a tuning half and a held-out half, once.

For each corpus (seeds, articles) the questions are grouped into units: a question together with the
follow-ups that name it in "after" (so a pair always lands in one half). Units are stratified by the
kind of their first question, shuffled with a fixed seed, and dealt to the half that has fewer
questions of that unit's kinds so far, English questions and follow-ups counted as two more strata
(ties: the half with fewer questions overall, then tune). Each half keeps the original order, so a follow-up
always comes after the question it names.

Without --source the questions are read back from the existing halves (merged in id order), so
the split can be re-run or checked (--check) from the committed files alone.

  python3 knowledge/eval/tools/split-questions.py --source seeds=all-seeds.jsonl --source articles=all-articles.jsonl
  python3 knowledge/eval/tools/split-questions.py --check
"""
import argparse
import json
import random
import sys
from collections import defaultdict
from pathlib import Path

SEED = 20261203
CORPORA = ("seeds", "articles")
EVAL_DIR = Path(__file__).resolve().parent.parent


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def write_jsonl(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def render(rows):
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def units_of(questions):
    """Each question starts a unit unless it follows another one; follow-ups join their root's unit."""
    index = {q["id"]: i for i, q in enumerate(questions)}
    root = {}
    units = {}
    for i, q in enumerate(questions):
        after = q.get("after")
        if after is not None:
            if after not in index or index[after] >= i:
                sys.exit(f"{q['id']}: after={after} does not name an earlier question")
            root[q["id"]] = root[after]
        else:
            root[q["id"]] = q["id"]
            units[q["id"]] = []
        units[root[q["id"]]].append(i)
    return list(units.values())


def is_english(question):
    latin = sum(c.isascii() and c.isalpha() for c in question)
    cjk = sum(not c.isascii() and c.isalpha() for c in question)
    return latin > cjk


def strata(question):
    """What a half should hold about equally of: each kind, English questions and follow-ups."""
    return ([question["kind"]] + (["english"] if is_english(question["q"]) else [])
            + (["follow-up"] if "after" in question else []))


def split(questions, seed):
    units = units_of(questions)
    by_kind = defaultdict(list)
    for unit in units:
        by_kind[questions[unit[0]]["kind"]].append(unit)

    rng = random.Random(seed)
    halves = {"tune": [], "heldout": []}
    count = {"tune": defaultdict(int), "heldout": defaultdict(int)}
    total = {"tune": 0, "heldout": 0}
    for kind in sorted(by_kind):
        group = by_kind[kind]
        rng.shuffle(group)
        for unit in group:
            members = [s for i in unit for s in strata(questions[i])]
            half = min(("tune", "heldout"),
                       key=lambda h: (sum(count[h][s] for s in members), total[h], h != "tune"))
            halves[half].extend(unit)
            for s in members:
                count[half][s] += 1
            total[half] += len(unit)
    return {h: [questions[i] for i in sorted(idx)] for h, idx in halves.items()}


def load(corpus, sources):
    if corpus in sources:
        return read_jsonl(sources[corpus])
    files = [EVAL_DIR / f"{corpus}-{h}.jsonl" for h in ("tune", "heldout")]
    missing = [str(f) for f in files if not f.exists()]
    if missing:
        sys.exit(f"no --source for {corpus} and missing {', '.join(missing)}")
    merged = [q for f in files for q in read_jsonl(f)]
    return sorted(merged, key=lambda q: q["id"])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--source", action="append", default=[], metavar="CORPUS=FILE",
                        help="unsplit questions of one corpus (seeds or articles)")
    parser.add_argument("--check", action="store_true", help="only verify that the files match the split")
    args = parser.parse_args()

    sources = {}
    for item in args.source:
        corpus, _, path = item.partition("=")
        if corpus not in CORPORA or not path:
            sys.exit(f"--source wants seeds=FILE or articles=FILE, got {item}")
        sources[corpus] = path

    stale = []
    for corpus in CORPORA:
        questions = load(corpus, sources)
        seed = args.seed + CORPORA.index(corpus)
        for half, rows in split(questions, seed).items():
            path = EVAL_DIR / f"{corpus}-{half}.jsonl"
            kinds = defaultdict(int)
            for q in rows:
                for s in strata(q):
                    kinds[s] += 1
            summary = ", ".join(f"{k} {n}" for k, n in sorted(kinds.items()))
            print(f"{path.name}: {len(rows)} ({summary})")
            if args.check:
                if not path.exists() or path.read_text(encoding="utf-8") != render(rows):
                    stale.append(path.name)
            else:
                write_jsonl(path, rows)
    if stale:
        sys.exit(f"not the split of seed {args.seed}: {', '.join(stale)}")


if __name__ == "__main__":
    main()

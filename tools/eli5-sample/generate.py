#!/usr/bin/env python3
"""Writes data/eli5-sample/askscience_sample.jsonl: the ELI5-schema sample that ships with mlm-spark.

Every question and fact in facts_*.py was written for this project in its own words (no Reddit text), so the
sample can be redistributed with the code. Each question gets 2-4 answers, each a run of 2-5 consecutive facts
of its topic; the top answer is the run sharing most words with the question. A model fine-tuned on it learns
plain, correct science (e.g. that the Milky Way is a spiral galaxy). Rows follow the Hugging Face `eli5`
dataset schema. The output is deterministic: rerun after editing the facts and commit both.

    python3 tools/eli5-sample/generate.py            # from the repository root
"""
import json
import random
import string
import sys
from pathlib import Path

sys.dont_write_bytecode = True  # keep tools/ free of __pycache__

import facts_biology
import facts_chemistry
import facts_earth
import facts_medicine
import facts_physics
import facts_space

DOMAINS = [facts_space, facts_physics, facts_chemistry, facts_biology, facts_earth, facts_medicine]
OUTPUT = Path(__file__).resolve().parents[2] / "data" / "eli5-sample" / "askscience_sample.jsonl"
SEED = 20240611

FIRST_OPENERS = ["", "", "", "", "Good question! ", "Short answer: ", "Great question. "]
LATER_OPENERS = ["", "", "", "Adding to what others said. ", "Another way to look at it: ",
                 "Here's how I explain it to my students. "]
CLOSERS = ["", "", "", "", "", " Hope that helps!", " It's a fascinating topic if you want to read more."]
# A fact opening with one of these leans on the fact before it, so no answer starts with it.
CONTINUATIONS = {"That", "Those", "This", "It", "Its", "They", "Their", "Within", "Like", "In effect,"}
STOPWORDS = set("a an the is are was were do does did why how what when where which who can could would "
                "if of in on at to for from by with and or but not it its this that so be as into than "
                "really actually there we us our you your i my me they them their".split())
BASE36 = string.digits + string.ascii_lowercase


def reddit_id(rng, taken, length):
    while True:
        candidate = "".join(rng.choice(BASE36) for _ in range(length))
        if candidate not in taken:
            taken.add(candidate)
            return candidate


def keywords(text):
    words = "".join(c.lower() if c.isalnum() else " " for c in text).split()
    return {w[:5] for w in words if w not in STOPWORDS}


def can_start(fact):
    return fact.split(" ", 1)[0] not in CONTINUATIONS and not fact.startswith("In effect,")


def windows(facts):
    """Every run of 2-5 consecutive facts that reads on its own, as (start, end) index pairs."""
    return [(start, end) for start in range(len(facts)) if can_start(facts[start])
            for end in range(start + 2, min(start + 5, len(facts)) + 1)]


def answers_for(rng, title, facts, taken_ids):
    candidates = windows(facts)
    wanted = keywords(title)
    # The top answer is the passage that talks most about what was asked; the others are other passages.
    best = max(len(wanted & keywords(" ".join(facts[s:e]))) for s, e in candidates)
    top = [w for w in candidates if len(wanted & keywords(" ".join(facts[w[0]:w[1]]))) == best]
    chosen = [rng.choice(top)]
    count = rng.randint(2, 4)
    while len(chosen) < count:
        window = rng.choice(candidates)
        if window not in chosen:
            chosen.append(window)
    answers = []
    for start, end in chosen:
        opener = rng.choice(FIRST_OPENERS if not answers else LATER_OPENERS)
        answers.append(opener + " ".join(facts[start:end]) + rng.choice(CLOSERS))
    scores = sorted((int(rng.paretovariate(1.2) * 8) for _ in answers), reverse=True)
    return {
        "a_id": [reddit_id(rng, taken_ids, 7) for _ in answers],
        "text": answers,
        "score": scores,
    }


def rows():
    rng = random.Random(SEED)
    taken_ids = set()
    out = []
    for domain in DOMAINS:
        for topic in domain.TOPICS:
            for question in topic["questions"]:
                title, selftext = question if isinstance(question, tuple) else (question, "")
                out.append({
                    "q_id": reddit_id(rng, taken_ids, 6),
                    "title": title,
                    "selftext": selftext,
                    "document": "",
                    "subreddit": "askscience",
                    "answers": answers_for(rng, title, topic["facts"], taken_ids),
                    "title_urls": {"url": []},
                    "selftext_urls": {"url": []},
                    "answers_urls": {"url": []},
                })
    rng.shuffle(out)
    return out


def main():
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    data = rows()
    with OUTPUT.open("w", encoding="utf-8", newline="\n") as f:
        for row in data:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(data)} rows, {OUTPUT.stat().st_size} bytes to {OUTPUT}")


if __name__ == "__main__":
    main()

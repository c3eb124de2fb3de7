"""Writes testdata/wwm/distilroberta-wwm.json: transformers' whole-word masking on blocks of the bundled sample.

    /path/to/venv/bin/python tools/wwm_fixture.py TOKENIZER_DIR testdata/wwm/distilroberta-wwm.json

needs transformers (5.x, whose DataCollatorForLanguageModeling(whole_word_mask=True) finds words from the
fast tokenizer's offsets) and torch. TOKENIZER_DIR: distilroberta-base's tokenizer files. Records:
- texts: the first questions of data/eli5-sample (answers joined with " ", as the guide does) and a few harder
  texts, each with its ids and HF's word starts (is_new_word of _calc_word_ids_and_prob_mask on that sequence);
- blocks: the texts' tokens concatenated and cut into blocks as group_texts does, with HF's word starts per block;
- draws: for two masking probabilities, uniform numbers fed to the collator in place of torch.bernoulli's own,
  and the input_ids and labels it returned;
- statistics: the real collator (torch generator, seed 0) over the blocks 400 times: how often a word start is
  masked, how many tokens are masked, and which share of masked positions shows <mask>.
"""
import json
import sys
from pathlib import Path

import numpy as np
import torch
from transformers import AutoTokenizer, DataCollatorForLanguageModeling

BLOCK = 48
EXTRA_TEXTS = [
    "Caf\u00e9 na\u00efve r\u00e9sum\u00e9 \u2014 \u65e5\u672c\u8a9e\u306e\u30c6\u30ad\u30b9\u30c8 \U0001F680\U0001F680 x\u00b2  two  spaces\n"
    "a newline\tand a tab, 3.14159, e-mail@example.com (parenthesis) don't U.S.A. 1,000,000 <mask> here.",
    "   leading spaces, trailing spaces   ",
    "Hyphen-ated words, semi;colons, and \"quotes\" -- also ... ellipses!? \u00c5ngstr\u00f6m \u00e5\u00e4\u00f6 \u0394\u03b5\u03bb\u03c4\u03b1",
]


def sample_texts(root, n):
    texts = []
    with open(root / "data/eli5-sample/askscience_sample.jsonl") as f:
        for line in f:
            texts.append(" ".join(json.loads(line)["answers"]["text"]))
            if len(texts) == n:
                break
    return texts


def word_starts(offsets, special):
    """HF's is_new_word for one sequence (or block), from the collator's own function."""
    _, prob_mask = DataCollatorForLanguageModeling._calc_word_ids_and_prob_mask(
        np.array([offsets]), np.array([special]))
    return [int(x) for x in ~prob_mask[0]]


def masked_with(collator, blocks, uniforms):
    """The collator's masks when torch.bernoulli's draws are the given uniforms (u < p, as bernoulli does)."""
    queue = [torch.tensor(uniforms, dtype=torch.float64), torch.zeros(len(uniforms), len(uniforms[0]), dtype=torch.float64)]
    real = torch.bernoulli

    def bernoulli(p, generator=None):
        u = queue.pop(0)
        return (u < p.double()).to(p.dtype)

    torch.bernoulli = bernoulli
    try:
        ids, labels = collator.torch_mask_tokens(
            torch.tensor([b["input_ids"] for b in blocks]),
            special_tokens_mask=torch.tensor([b["special"] for b in blocks]),
            offset_mapping=torch.tensor([b["offsets"] for b in blocks]))
    finally:
        torch.bernoulli = real
    assert not queue
    return ids.tolist(), labels.tolist()


def main(tokenizer_dir, out):
    root = Path(__file__).resolve().parent.parent
    tok = AutoTokenizer.from_pretrained(tokenizer_dir)
    tok.pad_token = tok.eos_token  # the guide's
    texts = sample_texts(root, 12) + EXTRA_TEXTS
    recorded_texts, ids, offsets, special = [], [], [], []
    for text in texts:
        enc = tok(text, return_offsets_mapping=True)
        # what the collator computes when the features carry no special_tokens_mask (the guide's group_texts
        # keeps input_ids and attention_mask only): every id of all_special_ids, a literal "<mask>" included
        mask = tok.get_special_tokens_mask(enc["input_ids"], already_has_special_tokens=True)
        recorded_texts.append({"text": text, "input_ids": enc["input_ids"],
                               "word_start": word_starts(enc["offset_mapping"], mask)})
        ids += enc["input_ids"]
        offsets += [list(o) for o in enc["offset_mapping"]]
        special += mask
    blocks = []
    for start in range(0, len(ids) - BLOCK + 1, BLOCK):
        block = {"input_ids": ids[start:start + BLOCK], "offsets": offsets[start:start + BLOCK],
                 "special": special[start:start + BLOCK]}
        block["word_start"] = word_starts(block["offsets"], block["special"])
        blocks.append(block)

    rng = np.random.default_rng(20251202)
    draws = []
    for p in (0.15, 0.5):
        collator = DataCollatorForLanguageModeling(tok, mlm_probability=p, whole_word_mask=True)
        uniforms = rng.random((len(blocks), BLOCK)).tolist()
        masked_ids, labels = masked_with(collator, blocks, uniforms)
        draws.append({"mlm_probability": p, "uniforms": uniforms, "input_ids": masked_ids, "labels": labels})

    collator = DataCollatorForLanguageModeling(tok, mlm_probability=0.15, whole_word_mask=True, seed=0)
    ids_tensor = torch.tensor([b["input_ids"] for b in blocks])
    starts = torch.tensor([b["word_start"] for b in blocks], dtype=torch.bool)
    maskable = ids_tensor.ne(-1) & ~torch.tensor([b["special"] for b in blocks], dtype=torch.bool)
    rounds, words_masked, tokens_masked, shown_as_mask, masked_total = 400, 0, 0, 0, 0
    for _ in range(rounds):
        batch = collator.torch_call([{"input_ids": b["input_ids"], "special_tokens_mask": b["special"],
                                      "offset_mapping": b["offsets"]} for b in blocks])
        picked = batch["labels"].ne(-100)
        words_masked += int((picked & starts).sum())
        tokens_masked += int(picked.sum())
        shown_as_mask += int((picked & batch["input_ids"].eq(tok.mask_token_id)).sum())
        masked_total += int(picked.sum())
    statistics = {
        "rounds": rounds,
        "word_starts": int(starts.sum()),
        "maskable_tokens": int(maskable.sum()),
        "word_start_mask_rate": words_masked / (rounds * int(starts.sum())),
        "token_mask_rate": tokens_masked / (rounds * int(maskable.sum())),
        "shown_as_mask_rate": shown_as_mask / masked_total,
    }
    fixture = {
        "tokenizer": "distilroberta-base",
        "transformers": __import__("transformers").__version__,
        "block_size": BLOCK,
        "mask_token_id": tok.mask_token_id,
        "texts": recorded_texts,
        "blocks": [{"input_ids": b["input_ids"], "word_start": b["word_start"]} for b in blocks],
        "draws": draws,
        "statistics": statistics,
    }
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w") as f:
        json.dump(fixture, f, separators=(",", ":"), ensure_ascii=False)
        f.write("\n")
    print(json.dumps(statistics, indent=1), len(blocks), "blocks")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

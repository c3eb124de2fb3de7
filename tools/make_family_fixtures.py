#!/usr/bin/env python3
"""Reference fixtures for the BERT and DistilBERT families of the masked-LM encoder.

Writes training/src/test/resources/hf/tiny-{bert,distilbert}/ : the model as save_pretrained writes it
(config.json, model.safetensors) and forward.json (inputs, labels, loss, logits probes in eval mode, and the
global gradient norm of the loss in train mode). Parameters are randomised with a fixed seed, including LayerNorm
and bias tensors (HF initialises those to constants, which would hide naming mistakes).

Needs the guide's Python stack (testdata/README.md says how to install it):
  VENV/bin/python tools/make_family_fixtures.py
"""
import json
import pathlib

import torch
from transformers import BertConfig, BertForMaskedLM, DistilBertConfig, DistilBertForMaskedLM

OUT = pathlib.Path(__file__).resolve().parent.parent / "training/src/test/resources/hf"
VOCAB = 1000
SHAPE = dict(vocab_size=VOCAB, max_position_embeddings=64, pad_token_id=0)


def families():
    yield "tiny-bert", BertForMaskedLM(BertConfig(
        hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64, type_vocab_size=2,
        hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0, layer_norm_eps=1e-12, **SHAPE))
    yield "tiny-distilbert", DistilBertForMaskedLM(DistilBertConfig(
        dim=32, n_layers=2, n_heads=2, hidden_dim=64, dropout=0.0, attention_dropout=0.0, **SHAPE))


def inputs(generator):
    ids = torch.randint(5, VOCAB, (2, 12), generator=generator)
    mask = torch.ones_like(ids)
    ids[0, 8:] = 0  # padding (pad_token_id 0) in row 0
    mask[0, 8:] = 0
    labels = torch.full_like(ids, -100)
    for row, col in [(0, 1), (0, 5), (1, 2), (1, 7), (1, 11)]:
        labels[row, col] = ids[row, col]
    return ids, mask, labels


def main():
    for name, model in families():
        generator = torch.Generator().manual_seed(1234)
        with torch.no_grad():
            for p in model.parameters():  # tied tensors are one Parameter: randomised once
                p.add_(torch.randn(p.shape, generator=generator) * 0.05)
        ids, mask, labels = inputs(generator)
        directory = OUT / name / "model"
        directory.mkdir(parents=True, exist_ok=True)
        model.save_pretrained(directory)

        model.eval()
        with torch.no_grad():
            out = model(input_ids=ids, attention_mask=mask, labels=labels)
        logits = out.logits
        probes = [{"batch": b, "position": t, "first16": logits[b, t, :16].tolist(),
                   "argmax": int(logits[b, t].argmax()), "sum": float(logits[b, t].sum())}
                  for b, t in [(0, 0), (0, 5), (1, 3), (1, 11)]]

        model.train()  # dropout is 0: same function, autograd on
        model.zero_grad()
        model(input_ids=ids, attention_mask=mask, labels=labels).loss.backward()
        grad_norm = torch.nn.utils.clip_grad_norm_(model.parameters(), float("inf"))

        (OUT / name / "forward.json").write_text(json.dumps({
            "input_ids": ids.tolist(), "attention_mask": mask.tolist(), "labels": labels.tolist(),
            "loss": float(out.loss), "logits_at": probes,
            "logits_abs_sum": float((logits.abs() * mask.unsqueeze(-1)).sum()),
            "grad_norm": float(grad_norm),
            "note": "eval-mode logits of " + type(model).__name__ + "; grad_norm of the loss in train mode",
        }, indent=1) + "\n")
        print("wrote", OUT / name)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Reference fixtures for the RoBERTa family, made by the guide's own stack (torch, transformers).

Writes testdata/fixtures/hf/tiny-roberta/:
  model/         a tiny random RobertaForMaskedLM (hidden 16, 2 layers, 2 heads, distilroberta-base's 50,265-token
                 vocabulary and tokenizer) as save_pretrained writes it, tied LM head
  forward.json   inputs, labels, loss and logits probes in eval mode
  fill_mask.json pipeline("fill-mask") top-5 for the guide's sentence
  train.json     10 AdamW steps on fixed pre-masked batches as HF Trainer configures the optimizer (no decay on biases
                 and LayerNorm weights, linear warmup/decay, global grad-norm clip 1.0): per-step loss, grad norm, lr
  trained/       model.safetensors after those steps

The tokenizer is the project's bundled distilroberta-base copy. Needs the reference stack (testdata/README.md says
how to install it):
  VENV/bin/python tools/make_roberta_fixtures.py
"""
import gzip
import json
import pathlib
import shutil
import tempfile

import torch
import transformers
from transformers import (AutoTokenizer, DataCollatorForLanguageModeling, RobertaConfig, RobertaForMaskedLM, Trainer,
                          get_linear_schedule_with_warmup, pipeline)

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "testdata/fixtures/hf/tiny-roberta"
BUNDLED = ROOT / "spark-jobs/src/main/resources/org/mlmspark/tokenizer/distilroberta-base"
SENTENCES = ["The Milky Way is a <mask> galaxy.",
             "Stars form when clouds of gas collapse, and then the gas heats up; the core of the cloud ignites."]
TRAIN = dict(lr=5e-4, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01, warmup_steps=2, total_steps=10,
             max_grad_norm=1.0)


def bundled_tokenizer(directory):
    with gzip.open(BUNDLED / "tokenizer.json.gz") as src, open(directory / "tokenizer.json", "wb") as dst:
        shutil.copyfileobj(src, dst)
    shutil.copy(BUNDLED / "tokenizer_config.json", directory / "tokenizer_config.json")
    return AutoTokenizer.from_pretrained(directory)


def tiny_model(tokenizer):
    torch.manual_seed(20240601)
    config = RobertaConfig(vocab_size=len(tokenizer), hidden_size=16, num_hidden_layers=2, num_attention_heads=2,
                           intermediate_size=32, max_position_embeddings=514, type_vocab_size=1,
                           hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0, layer_norm_eps=1e-5,
                           pad_token_id=1, bos_token_id=0, eos_token_id=2, tie_word_embeddings=True)
    model = RobertaForMaskedLM(config)
    generator = torch.Generator().manual_seed(1234)
    with torch.no_grad():  # HF initialises LayerNorm and biases to constants, which would hide naming mistakes
        for name, p in model.named_parameters():
            noise = torch.randn(p.shape, generator=generator) * 0.05
            if not name.endswith(".key.bias"):  # its gradient is 0 (softmax ignores a shift): it stays HF's 0
                p.add_(noise)
    return model


def forward_json(model, tokenizer):
    enc = tokenizer(SENTENCES, padding=True, return_tensors="pt")
    ids, mask = enc["input_ids"], enc["attention_mask"]
    labels = torch.full_like(ids, -100)
    for row, col in [(0, 1), (0, 4), (1, 0), (1, 2), (1, 7), (1, 12), (1, 13), (1, 14), (1, 18), (1, 20)]:
        labels[row, col] = ids[row, col]
    model.eval()
    with torch.no_grad():
        out = model(input_ids=ids, attention_mask=mask, labels=labels)
    logits = out.logits
    probes = [{"batch": b, "position": t, "first16": logits[b, t, :16].tolist(), "argmax": int(logits[b, t].argmax()),
               "sum": float(logits[b, t].sum()), "max": float(logits[b, t].max())}
              for b, t in [(0, 1), (0, 6), (1, 3), (1, 20)]]
    return {"input_ids": ids.tolist(), "attention_mask": mask.tolist(), "labels": labels.tolist(),
            "loss": float(out.loss), "logits_at": probes,
            "logits_abs_sum": float((logits.abs() * mask.unsqueeze(-1)).sum()),
            "note": "logits are RobertaForMaskedLM outputs in eval mode (dropout off); padded positions excluded"
                    " from logits_abs_sum"}


def masked_batches(tokenizer):
    """10 batches of 4 x 32 random ids framed by <s> ... </s>, masked by the guide's collator (80/10/10)."""
    torch.manual_seed(7)
    collator = DataCollatorForLanguageModeling(tokenizer, mlm_probability=0.15)
    batches = []
    for _ in range(10):
        rows = []
        for _ in range(4):
            ids = torch.randint(4, tokenizer.mask_token_id, (32,))
            ids[0], ids[-1] = tokenizer.bos_token_id, tokenizer.eos_token_id
            rows.append({"input_ids": ids.tolist()})
        batch = collator(rows)
        batch["attention_mask"] = torch.ones_like(batch["input_ids"])
        batches.append({k: batch[k].tolist() for k in ("input_ids", "attention_mask", "labels")})
    return batches


def train(model, batches):
    model.train()  # dropout is 0: deterministic
    # HF Trainer's own choice of decayed parameters: not biases, not LayerNorm modules (lm_head.layer_norm too).
    decay = set(Trainer.get_decay_parameter_names(None, model))
    groups = [
        {"params": [p for n, p in model.named_parameters() if n in decay], "weight_decay": TRAIN["weight_decay"]},
        {"params": [p for n, p in model.named_parameters() if n not in decay], "weight_decay": 0.0}]
    optimizer = torch.optim.AdamW(groups, lr=TRAIN["lr"], betas=TRAIN["betas"], eps=TRAIN["eps"])
    schedule = get_linear_schedule_with_warmup(optimizer, TRAIN["warmup_steps"], TRAIN["total_steps"])
    log = []
    for step, batch in enumerate(batches, start=1):
        lr = schedule.get_last_lr()[0]
        loss = model(**{k: torch.tensor(v) for k, v in batch.items()}).loss
        loss.backward()
        grad_norm = torch.nn.utils.clip_grad_norm_(model.parameters(), TRAIN["max_grad_norm"])
        optimizer.step()
        schedule.step()
        optimizer.zero_grad()
        log.append({"step": step, "loss": float(loss), "grad_norm": float(grad_norm), "lr": lr})
    return log


def main():
    with tempfile.TemporaryDirectory() as tmp:
        tokenizer = bundled_tokenizer(pathlib.Path(tmp))
        model = tiny_model(tokenizer)
        shutil.rmtree(OUT, ignore_errors=True)
        (OUT / "trained").mkdir(parents=True)
        model.save_pretrained(OUT / "model")
        tokenizer.save_pretrained(OUT / "model")
        for extra in ("vocab.json", "merges.txt", "special_tokens_map.json"):  # the slow tokenizer's files: unused
            (OUT / "model" / extra).unlink(missing_ok=True)

        (OUT / "forward.json").write_text(json.dumps(forward_json(model, tokenizer), indent=1) + "\n")
        fill = pipeline("fill-mask", model=model, tokenizer=tokenizer, device="cpu")
        result = fill(SENTENCES[0], top_k=5)
        (OUT / "fill_mask.json").write_text(json.dumps({"text": SENTENCES[0], "top_k": 5, "result": result},
                                                       indent=1) + "\n")

        batches = masked_batches(tokenizer)
        log = train(model, batches)
        optimizer = {"name": "AdamW", "lr": TRAIN["lr"], "betas": list(TRAIN["betas"]), "eps": TRAIN["eps"],
                     "weight_decay": TRAIN["weight_decay"], "no_decay": "all biases and LayerNorm weights",
                     "schedule": "linear", "warmup_steps": TRAIN["warmup_steps"],
                     "total_steps": TRAIN["total_steps"], "max_grad_norm": TRAIN["max_grad_norm"]}
        (OUT / "train.json").write_text(json.dumps({"optimizer": optimizer, "batches": batches, "log": log}) + "\n")
        model.save_pretrained(OUT / "trained")
        (OUT / "trained" / "config.json").unlink()
        (OUT / "trained" / "generation_config.json").unlink(missing_ok=True)
    print("wrote", OUT, "with transformers", transformers.__version__, "torch", torch.__version__)


if __name__ == "__main__":
    main()

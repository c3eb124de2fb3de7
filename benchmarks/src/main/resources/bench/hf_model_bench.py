"""HF baseline for bin/benchmark-model: the same shapes and timings with transformers' RobertaForMaskedLM.

argv: config.json path, batch, seq, iterations, threads, mlm fraction. Prints one JSON object of median seconds.
"""
import json
import statistics
import sys
import time

import torch
from transformers import AutoConfig, AutoModelForMaskedLM

config_path, batch, seq, iterations, threads, fraction = sys.argv[1:7]
batch, seq, iterations, threads, fraction = int(batch), int(seq), int(iterations), int(threads), float(fraction)
torch.set_num_threads(threads)
torch.manual_seed(0)
config = AutoConfig.from_pretrained(config_path)
model = AutoModelForMaskedLM.from_config(config)
ids = torch.randint(3, config.vocab_size, (batch, seq))
labels = torch.where(torch.rand(batch, seq) < fraction, ids, torch.full_like(ids, -100))
sentence = ids[:1, :12]


def median_seconds(fn, runs):
    fn()  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


model.eval()
with torch.no_grad():
    forward = median_seconds(lambda: model(input_ids=ids).logits, iterations)
    fill_mask = median_seconds(lambda: model(input_ids=sentence).logits, 20)
model.train()


def step():
    model.zero_grad(set_to_none=True)
    model(input_ids=ids, labels=labels).loss.backward()


train = median_seconds(step, iterations)
print(json.dumps({"forward": forward, "forward_backward": train, "fill_mask": fill_mask,
                  "torch": torch.__version__}))

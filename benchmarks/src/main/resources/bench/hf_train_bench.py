"""HF baseline for bin/benchmark-train: HF Trainer with the guide's recipe on the blocks the Java side trained on.

argv: work dir (config.json, blocks.json), tokenizer dir, batch, warmup steps, timed steps, threads, lr,
weight decay, mlm probability, seed. Prints one JSON object: the median wall and process CPU seconds of the timed
optimizer steps (forward, backward, clipping, the Trainer's default optimizer, zero_grad).
"""
import json
import statistics
import sys
import time

import torch
from transformers import (AutoConfig, AutoModelForMaskedLM, AutoTokenizer, DataCollatorForLanguageModeling,
                          Trainer, TrainerCallback, TrainingArguments)

work, tokenizer_dir, batch, warmup, steps, threads, lr, weight_decay, mlm_probability, seed = sys.argv[1:11]
batch, warmup, steps, threads = int(batch), int(warmup), int(steps), int(threads)
torch.set_num_threads(threads)
torch.manual_seed(int(seed))

config = AutoConfig.from_pretrained(work)
model = AutoModelForMaskedLM.from_config(config)
tokenizer = AutoTokenizer.from_pretrained(tokenizer_dir)
tokenizer.pad_token = tokenizer.eos_token  # as the guide does
with open(f"{work}/blocks.json") as f:
    blocks = [{"input_ids": ids, "attention_mask": [1] * len(ids)} for ids in json.load(f)]


class StepTimes(TrainerCallback):
    """From before the forward to after zero_grad: the batch is fetched and collated before on_step_begin."""

    def __init__(self):
        self.times = []
        self.cpu_times = []
        self.start = None
        self.cpu_start = None

    def on_step_begin(self, args, state, control, **kwargs):
        self.start = time.perf_counter()
        self.cpu_start = time.process_time()

    def on_step_end(self, args, state, control, **kwargs):
        self.times.append(time.perf_counter() - self.start)
        self.cpu_times.append(time.process_time() - self.cpu_start)


timer = StepTimes()
args = TrainingArguments(output_dir=f"{work}/out", per_device_train_batch_size=batch, learning_rate=float(lr),
                         weight_decay=float(weight_decay), max_steps=warmup + steps, logging_steps=10 ** 9,
                         save_strategy="no", eval_strategy="no", report_to=[], use_cpu=True,
                         dataloader_num_workers=0, seed=int(seed))
trainer = Trainer(model=model, args=args, train_dataset=blocks, callbacks=[timer],
                  data_collator=DataCollatorForLanguageModeling(tokenizer, mlm_probability=float(mlm_probability)))
trainer.train()
print(json.dumps({"step_seconds": statistics.median(timer.times[warmup:]),
                  "step_cpu_seconds": statistics.median(timer.cpu_times[warmup:]), "torch": torch.__version__,
                  "optim": args.optim}))

"""HF Trainer on this project's preprocessed blocks, from one of its model directories: the reference for a bin/train run.

usage: python tools/hf_train_blocks.py MODEL_DIR BLOCKS_DIR LEARNING_RATE STEPS
Same recipe as bin/train --learning-rate LR --max-steps STEPS --warmup-steps STEPS/10: AdamW, weight decay 0.01, batch 8,
DataCollatorForLanguageModeling(mlm_probability=0.15), one torch thread. Logs the loss every 50 steps.
"""
import sys, glob, tempfile, torch, pyarrow.parquet as pq
from transformers import RobertaForMaskedLM, DataCollatorForLanguageModeling, PreTrainedTokenizerFast, Trainer, TrainingArguments
from datasets import Dataset
torch.set_num_threads(1)
init, blocks, lr, steps = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
tok = PreTrainedTokenizerFast(tokenizer_file=init + "/tokenizer.json", mask_token="<mask>", pad_token="<pad>", bos_token="<s>", eos_token="</s>", unk_token="<unk>")
rows = []
for f in sorted(glob.glob(blocks + "/train/*.parquet")):
    rows += [list(x) for x in pq.read_table(f).column("input_ids").to_pylist()]
ds = Dataset.from_dict({"input_ids": rows})
model = RobertaForMaskedLM.from_pretrained(init)
coll = DataCollatorForLanguageModeling(tokenizer=tok, mlm_probability=0.15)
args = TrainingArguments(output_dir=tempfile.mkdtemp(), learning_rate=lr, weight_decay=0.01, per_device_train_batch_size=8,
    max_steps=steps, warmup_steps=int(steps*0.1), logging_steps=50, save_strategy="no", report_to=[], use_cpu=True, seed=42)
Trainer(model=model, args=args, train_dataset=ds, data_collator=coll).train()

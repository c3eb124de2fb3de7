"""The guide's preprocessing, as its code runs it, for bin/benchmark-preprocess's baseline.

argv: ELI5 JSON-lines file, tokenizer.json, worker processes, seed. Prints one JSON object: rows, blocks.
Steps as in the guide: load, train_test_split(0.2), flatten, " ".join(answers.text) + tokenizer (batched map,
num_proc), group_texts into 128-token blocks (batched map of 1,000 rows, num_proc). The datasets cache is a fresh
temporary directory, so nothing is reused from an earlier run.
"""
import json
import sys
import tempfile

import datasets
from transformers import PreTrainedTokenizerFast

path, tokenizer_file, num_proc, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
block_size = 128

with tempfile.TemporaryDirectory() as cache:
    datasets.disable_progress_bars()
    tokenizer = PreTrainedTokenizerFast(tokenizer_file=tokenizer_file)
    eli5 = datasets.load_dataset("json", data_files=path, split="train", cache_dir=cache)
    eli5 = eli5.train_test_split(test_size=0.2, seed=seed).flatten()

    def preprocess_function(examples):
        return tokenizer([" ".join(x) for x in examples["answers.text"]])

    tokenized = eli5.map(preprocess_function, batched=True, num_proc=num_proc,
                         remove_columns=eli5["train"].column_names)

    def group_texts(examples):
        concatenated = {k: sum(examples[k], []) for k in examples.keys()}
        total_length = len(concatenated[list(examples.keys())[0]])
        if total_length >= block_size:
            total_length = (total_length // block_size) * block_size
        return {k: [t[i: i + block_size] for i in range(0, total_length, block_size)]
                for k, t in concatenated.items()}

    blocks = tokenized.map(group_texts, batched=True, num_proc=num_proc)
    print(json.dumps({"rows": sum(len(s) for s in eli5.values()), "blocks": sum(len(s) for s in blocks.values())}))

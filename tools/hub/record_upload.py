"""Records what huggingface_hub sends the project's fake Hub when it pushes a model, as the fixtures
testdata/hub/upload_{basic,multipart}.json that HubUploaderTest compares the project's uploader against.

Run from the repository root with a Python that has huggingface_hub (the reference stack):
    /path/to/venv/bin/python tools/hub/record_upload.py

It compiles spark-jobs' tests (Maven, offline), starts org.mlmspark.hub.FakeHubServer twice and drives it with
HfApi(endpoint=...).create_repo(private=True, exist_ok=True) + upload_folder(), as Trainer.push_to_hub does:
once with a small model.safetensors (basic LFS transfer), once with one above the fake's multipart threshold.
Xet is disabled (HF_HUB_DISABLE_XET=1): the project speaks the LFS protocol, which the Hub still serves.
The folder's file names and sizes must stay those of HubUploaderTest (SIZES below).
"""
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
USER, TOKEN, REPO = "user", "hf_fake_write_token", "user/my_awesome_eli5_mlm_model"
# model.safetensors sizes; the multipart run's fake splits objects above 200,000 bytes into 131,072-byte parts.
SIZES = {"basic": 100_000, "multipart": 300_000}
MULTIPART = ["200000", "131072"]

CARD = """---
library_name: transformers
tags:
- fill-mask
---

# my_awesome_eli5_mlm_model
"""


def classpath() -> str:
    mvn = ["mvn", "-B", "-ntp", "-o", "-q", "-pl", "spark-jobs"]
    subprocess.run(mvn + ["-DskipTests", "test-compile"], cwd=ROOT, check=True)
    with tempfile.NamedTemporaryFile(suffix=".txt", delete=False) as f:
        out = f.name
    subprocess.run(mvn + ["dependency:build-classpath", "-Dmdep.includeScope=test", f"-Dmdep.outputFile={out}"],
                   cwd=ROOT, check=True)
    jars = Path(out).read_text().strip()
    return os.pathsep.join([str(ROOT / "spark-jobs/target/test-classes"), str(ROOT / "spark-jobs/target/classes"),
                            jars])


def model_folder(folder: Path, weights: int) -> None:
    rng = random.Random(weights)
    (folder / "config.json").write_text(json.dumps({"model_type": "roberta", "vocab_size": 50265}, indent=2))
    (folder / "tokenizer.json").write_text(json.dumps({"version": "1.0", "model": {"type": "BPE"}}))
    (folder / "tokenizer_config.json").write_text(json.dumps({"model_max_length": 512}))
    (folder / "README.md").write_text(CARD)
    (folder / "model.safetensors").write_bytes(bytes(rng.getrandbits(8) for _ in range(weights)))


def record(cp: str, kind: str, target: Path) -> None:
    from huggingface_hub import HfApi

    args = [USER, TOKEN, REPO, str(target)] + (MULTIPART if kind == "multipart" else [])
    server = subprocess.Popen(["java", "-Xmx256m", "-cp", cp, "org.mlmspark.hub.FakeHubServer", *args],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        endpoint = server.stdout.readline().strip()
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "model"
            folder.mkdir()
            model_folder(folder, SIZES[kind])
            api = HfApi(endpoint=endpoint, token=TOKEN)
            api.create_repo(REPO, private=True, exist_ok=True)
            api.upload_folder(repo_id=REPO, folder_path=folder, commit_message="End of training")
    finally:
        server.stdin.close()
        server.wait(timeout=60)
    print(f"{target}: {len(json.loads(target.read_text()))} requests")


def main() -> None:
    os.environ["HF_HUB_DISABLE_XET"] = "1"
    os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
    os.environ["HF_HOME"] = tempfile.mkdtemp()  # no token or cache of the user's
    os.environ.pop("HF_TOKEN", None)
    os.environ.pop("HF_ENDPOINT", None)
    cp = classpath()
    for kind in SIZES:
        record(cp, kind, ROOT / "testdata/hub" / f"upload_{kind}.json")


if __name__ == "__main__":
    sys.exit(main())

"""Renders the sample model card (org.mlmspark.train.report.ModelCardSample) into testdata/hub/model_card/README.md
and records what huggingface_hub.ModelCard parses from it in testdata/hub/model_card_parsed.json, which
ModelCardTest checks against (the card must still render byte for byte as parsed here).

Run from the repository root with a Python that has huggingface_hub (the reference stack):
    /path/to/venv/bin/python tools/hub/parse_model_card.py [CARD.md ...]
Extra arguments are cards to parse and print only (e.g. the README.md of a bin/train output).
"""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def parse(path: Path) -> dict:
    from huggingface_hub import ModelCard

    card = ModelCard.load(path)
    return {
        "metadata": card.data.to_dict(),
        "eval_results": [
            {"task_type": r.task_type, "task_name": r.task_name, "dataset_type": r.dataset_type,
             "dataset_name": r.dataset_name, "dataset_split": r.dataset_split, "metric_type": r.metric_type,
             "metric_name": r.metric_name, "metric_value": r.metric_value}
            for r in (card.data.eval_results or [])
        ],
        "headings": [line for line in card.text.splitlines() if line.startswith("#")],
    }


def main() -> None:
    if len(sys.argv) > 1:
        for arg in sys.argv[1:]:
            print(json.dumps(parse(Path(arg)), indent=2))
        return
    mvn = ["mvn", "-B", "-ntp", "-o", "-q", "-pl", "spark-jobs,training"]
    subprocess.run(mvn + ["test-compile", "dependency:build-classpath", "-DskipTests", "-Dmdep.includeScope=test",
                          "-Dmdep.outputFile=target/test-classpath.txt"], cwd=ROOT, check=True)
    cp = ":".join([str(ROOT / "training/target/test-classes"), str(ROOT / "training/target/classes"),
                   (ROOT / "training/target/test-classpath.txt").read_text().strip()])
    card = ROOT / "testdata/hub/model_card/README.md"
    card.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["java", "-cp", cp, "org.mlmspark.train.report.ModelCardSample", str(card)], check=True)
    target = ROOT / "testdata/hub/model_card_parsed.json"
    target.write_text(json.dumps(parse(card), indent=2) + "\n")
    print(f"{card}\n{target}")


if __name__ == "__main__":
    main()

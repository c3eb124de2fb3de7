"""Writes testdata/tensorboard/: a small event file built with TensorBoard's and PyTorch's own code, and what
TensorBoard's EventAccumulator reads from it.

    /path/to/venv/bin/python tools/tensorboard_fixture.py testdata/tensorboard

needs torch and tensorboard. The records are made by the functions PyTorch's SummaryWriter uses (summary.scalar,
summary.text, Event, SessionLog) and framed by tensorboard's RecordWriter, with fixed wall times so the bytes are
deterministic. TensorBoardEventsTest builds the same records in Java and expects these bytes;
TensorBoardFixtureTest reads them back and expects reader.json.
"""
import io
import json
import os
import sys

from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
from tensorboard.compat.proto.event_pb2 import Event, SessionLog, SourceMetadata
from tensorboard.summary.writer.record_writer import RecordWriter
from torch.utils.tensorboard.summary import scalar, text

WALL = 1700000000.25
ARGS = json.dumps({"learning_rate": 0.001, "batch_size": 8, "note": "caf\u00e9 \u2713"}, indent=2, ensure_ascii=False)
CONFIG = json.dumps({"model_type": "roberta", "hidden_size": 32})


def events():
    yield Event(wall_time=WALL, file_version="brain.Event:2", source_metadata=SourceMetadata(writer="mlm-spark"))
    yield Event(wall_time=WALL, step=0, summary=text("args", ARGS))
    yield Event(wall_time=WALL, step=0, summary=text("model_config", CONFIG))
    for step in (1, 2, 3):
        wall = WALL + step
        yield Event(wall_time=wall, step=step, summary=scalar("train/loss", 10.5 - step * 0.75))
        yield Event(wall_time=wall, step=step, summary=scalar("train/learning_rate", 1e-3 * step / 3))
        yield Event(wall_time=wall, step=step, summary=scalar("train/grad_norm", 2.0 / step))
        yield Event(wall_time=wall, step=step, summary=scalar("train/epoch", step / 3))
        yield Event(wall_time=wall, step=step, summary=scalar("train/tokens_per_s", 1234.5 + step))
        if step >= 2:
            yield Event(wall_time=wall, step=step, summary=scalar("eval/loss", 9.0 - step))
            yield Event(wall_time=wall, step=step, summary=scalar("eval/perplexity", 2.718281828 ** (9.0 - step)))
            yield Event(wall_time=wall, step=step, summary=scalar("eval/accuracy", 0.1 * step))
    # a resumed run from the checkpoint of step 2: the points of step 3 and later are replaced
    yield Event(wall_time=WALL + 10, step=3, session_log=SessionLog(status=SessionLog.START))
    yield Event(wall_time=WALL + 11, step=3, summary=scalar("train/loss", 7.125))
    yield Event(wall_time=WALL + 12, step=4, summary=scalar("train/loss", 7.0))


def main(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, "events.out.tfevents.1700000000.fixture.1.0")
    buffer = io.BytesIO()
    writer = RecordWriter(buffer)
    for event in events():
        writer.write(event.SerializeToString())
    with open(path, "wb") as f:
        f.write(buffer.getvalue())

    accumulator = EventAccumulator(path, size_guidance={"scalars": 0, "tensors": 0})
    accumulator.Reload()
    tags = accumulator.Tags()
    read = {
        "file_version": accumulator.file_version,
        "scalars": {
            tag: [{"wall_time": e.wall_time, "step": e.step, "value": e.value} for e in accumulator.Scalars(tag)]
            for tag in sorted(tags["scalars"])
        },
        "texts": {
            tag: [{"wall_time": e.wall_time, "step": e.step,
                   "text": e.tensor_proto.string_val[0].decode("utf-8")} for e in accumulator.Tensors(tag)]
            for tag in sorted(tags["tensors"])
        },
        "plugins": {tag: accumulator.SummaryMetadata(tag).plugin_data.plugin_name for tag in sorted(tags["tensors"])},
    }
    with open(os.path.join(out_dir, "reader.json"), "w") as f:
        json.dump(read, f, indent=1, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])

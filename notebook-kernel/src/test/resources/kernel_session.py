"""Drives a Jupyter kernel through jupyter_client, the reference client of Jupyter's messaging protocol.

Reads {"kernel": NAME, "steps": [...]} as JSON on stdin; the kernelspec NAME is found through JUPYTER_PATH.
A step is {"op": "kernel_info"}, {"op": "execute", "code": C, "interrupt_after": SECONDS (optional)},
{"op": "complete", "code": C, "cursor": N}, {"op": "is_complete", "code": C}, or {"op": "inspect", ...}.
Prints one JSON object: for each step the shell reply's content and the IOPub messages (type and content) that
the request caused; then whether the kernel process ended after a shutdown request.
"""
import json
import sys
import threading

from jupyter_client.manager import KernelManager

TIMEOUT = 300


def messages_for(client, msg_id):
    """IOPub messages whose parent is msg_id, up to the kernel's status: idle for it."""
    seen = []
    while True:
        msg = client.get_iopub_msg(timeout=TIMEOUT)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        seen.append({"msg_type": msg["msg_type"], "content": msg["content"]})
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return seen


def main():
    request = json.load(sys.stdin)
    manager = KernelManager(kernel_name=request["kernel"])
    manager.start_kernel()
    client = manager.client()
    client.start_channels()
    results = []
    try:
        client.wait_for_ready(timeout=TIMEOUT)
        for step in request["steps"]:
            op = step["op"]
            if op == "kernel_info":
                msg_id = client.kernel_info()
            elif op == "execute":
                msg_id = client.execute(step["code"])
                if "interrupt_after" in step:
                    timer = threading.Timer(step["interrupt_after"], manager.interrupt_kernel)
                    timer.start()
            elif op == "complete":
                msg_id = client.complete(step["code"], step["cursor"])
            elif op == "inspect":
                msg_id = client.inspect(step["code"], step["cursor"])
            elif op == "is_complete":
                msg_id = client.is_complete(step["code"])
            else:
                raise ValueError("unknown op " + op)
            reply = client.get_shell_msg(timeout=TIMEOUT)
            while reply["parent_header"].get("msg_id") != msg_id:
                reply = client.get_shell_msg(timeout=TIMEOUT)
            iopub = messages_for(client, msg_id)
            results.append({"op": op, "reply_type": reply["msg_type"], "reply": reply["content"], "iopub": iopub})
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=False)
    print(json.dumps({"steps": results, "ended": not manager.is_alive()}, default=str))


if __name__ == "__main__":
    main()

#!/usr/bin/env bash
# Spark resource discovery script for GPUs: prints the GPUs this executor (or standalone Worker) may use, as
#   {"name":"gpu","addresses":["0","1"]}
# Use it as spark.executor.resource.gpu.discoveryScript (and, on a standalone cluster, as the Worker's
# spark.worker.resource.gpu.discoveryScript). The addresses are CUDA device ordinals, which is what each
# data-parallel rank hands to DJL (org.mlmspark.distributed.RankDevice).
set -euo pipefail

addresses=()
if [[ -n "${CUDA_VISIBLE_DEVICES:-}" ]]; then
  # A container runtime or resource manager has already isolated GPUs: CUDA numbers the visible ones 0..k-1,
  # whatever their nvidia-smi indices are.
  IFS=',' read -r -a visible <<< "$CUDA_VISIBLE_DEVICES"
  for i in "${!visible[@]}"; do
    [[ -n "${visible[$i]// /}" ]] && addresses+=("$i")
  done
else
  command -v nvidia-smi >/dev/null || { echo "gpu-discovery.sh: nvidia-smi is not on PATH" >&2; exit 1; }
  while read -r index; do
    [[ "$index" =~ ^[0-9]+$ ]] && addresses+=("$index")
  done < <(nvidia-smi --query-gpu=index --format=csv,noheader)
fi

json=""
for a in ${addresses[@]+"${addresses[@]}"}; do
  json+="${json:+,}\"$a\""
done
echo "{\"name\":\"gpu\",\"addresses\":[${json}]}"

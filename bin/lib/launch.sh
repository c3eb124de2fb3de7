#!/usr/bin/env bash
# Shared launcher: `launch MODULE MAIN_CLASS ARGS...`.
#
# Embedded (default): runs MAIN_CLASS in this JVM's Spark local[*] from the project's own build, CPU only.
# Cluster: when SPARK_HOME is set or --master names a cluster, hands the job to $SPARK_HOME/bin/spark-submit
# with the module jar and its own dependencies (--jars); Spark and Hadoop come from the cluster.
#
# Spark options (--master, --conf, --deploy-mode, --num-executors, --executor-*, --driver-memory, ...)
# may stand anywhere among the job's flags; they go to spark-submit, or embedded become -D system properties.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VERSION="0.1.0-SNAPSHOT"

# Spark's JavaModuleOptions for Java 17, plus the reflection and Netty flags Spark 4 needs on a plain java driver.
JVM_FLAGS=(-XX:+IgnoreUnrecognizedVMOptions
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
  --add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED
  -Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true
  -Dai.djl.offline="${DJL_OFFLINE:-true}" -Dmlm.home="${ROOT}"
  -Dlog4j2.configurationFile="${ROOT}/conf/log4j2.properties")

export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
export OPT_OUT_TRACKING=true
# libtorch's OpenMP threads sleep instead of spinning while they wait: with another busy process on the cores, a
# spinning thread takes the core from the one doing the work, and every operator waits for a time slice
# (fill-mask 0.4-0.9 s instead of ~60 ms at 2 threads; docs/model.md, "Fill-mask latency").
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
# CUDA numbers GPUs by PCI bus, as nvidia-smi and conf/gpu-discovery.sh do, so an ordinal names the same GPU for
# Spark's scheduler and for libtorch (CUDA's default order puts the fastest GPU first).
export CUDA_DEVICE_ORDER="${CUDA_DEVICE_ORDER:-PCI_BUS_ID}"

die() { echo "error: $*" >&2; exit 2; }

# Builds the project once (offline-capable after the first Maven download) when a module jar is missing.
ensure_built() {
  local module="$1"
  if [[ ! -f "$ROOT/$module/target/$module-$VERSION.jar" || ! -f "$ROOT/$module/target/classpath-app.txt" ]]; then
    command -v mvn >/dev/null || die "the project is not built and Maven is not on PATH; run: mvn -DskipTests package"
    echo "Building the project once (mvn -DskipTests package); the first build downloads dependencies ..." >&2
    # Quiet, with a line every 15 s so a first build's downloads do not look like a hang. Maven 3.8 writes colour
    # resets even with -B and style.color=never: escape sequences are dropped, and the empty lines they leave.
    (cd "$ROOT" && mvn -q -B -ntp -Dstyle.color=never -DskipTests package 2>&1 \
      | sed -u -e 's/\x1b\[[0-9;]*m//g' -e '/^$/d' >&2) &
    local build=$! waited=0
    while ! wait_for "$build" 15; do
      waited=$((waited + 15))
      echo "still building (${waited} s) ..." >&2
    done
    wait "$build" || die "build failed"
  fi
}

# True once process $1 has ended, false if it is still running after $2 seconds.
wait_for() {
  local i
  for ((i = 0; i < $2 * 10; i++)); do
    kill -0 "$1" 2>/dev/null || return 0
    sleep 0.1
  done
  ! kill -0 "$1" 2>/dev/null
}

launch() {
  local module="$1" main="$2"; shift 2
  ensure_built "$module"
  local jar="$ROOT/$module/target/$module-$VERSION.jar"
  local app_cp spark_cp
  app_cp="$(cat "$ROOT/$module/target/classpath-app.txt")"
  spark_cp="$(cat "$ROOT/$module/target/classpath-spark.txt")"

  # --tf32 (bin/train, bin/gpu-check): libtorch reads its TF32 switch from the environment once, at start-up.
  local arg previous=""
  for arg in "$@" ""; do
    if [[ "$previous" == --tf32 && "$arg" != false ]] || [[ "$arg" == --tf32=true ]]; then
      export TORCH_ALLOW_TF32_CUBLAS_OVERRIDE=1
    fi
    previous="$arg"
  done

  # Split Spark's own options from the job's.
  local spark_opts=() job_args=() master=""
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --master|--deploy-mode|--conf|--num-executors|--executor-memory|--executor-cores|--driver-memory|\
      --driver-cores|--total-executor-cores|--queue|--name|--properties-file|--files|--archives|--packages)
        [[ $# -ge 2 ]] || die "$1 needs a value"
        [[ "$1" == --master ]] && master="$2"
        spark_opts+=("$1" "$2"); shift 2 ;;
      --master=*|--conf=*|--deploy-mode=*|--num-executors=*|--executor-memory=*|--executor-cores=*|--driver-memory=*)
        local k="${1%%=*}" v="${1#*=}"
        [[ "$k" == --master ]] && master="$v"
        spark_opts+=("$k" "$v"); shift ;;
      *) job_args+=("$1"); shift ;;
    esac
  done

  if [[ -n "${SPARK_HOME:-}" || ( -n "$master" && "$master" != local* ) ]]; then
    [[ -n "${SPARK_HOME:-}" ]] || die "--master $master needs SPARK_HOME (a Spark ${SPARK_VERSION_HINT:-4.1} installation with bin/spark-submit)"
    local jars="${app_cp//:/,}"
    exec "$SPARK_HOME/bin/spark-submit" --class "$main" --jars "$jars" \
      --driver-java-options "-Dai.djl.offline=${DJL_OFFLINE:-true}" \
      --conf "spark.executorEnv.OMP_WAIT_POLICY=$OMP_WAIT_POLICY" \
      --conf "spark.executorEnv.CUDA_DEVICE_ORDER=$CUDA_DEVICE_ORDER" \
      ${TORCH_ALLOW_TF32_CUBLAS_OVERRIDE:+--conf spark.executorEnv.TORCH_ALLOW_TF32_CUBLAS_OVERRIDE=1} \
      ${spark_opts[@]+"${spark_opts[@]}"} "$jar" ${job_args[@]+"${job_args[@]}"}
  fi

  # Embedded: Spark options become system properties that SparkConf reads; conf/spark-defaults.conf first.
  local props=() heap="${MLM_DRIVER_MEMORY:-}"
  if [[ -f "$ROOT/conf/spark-defaults.conf" ]]; then
    while read -r k v; do
      [[ -z "$k" || "$k" == \#* ]] && continue
      props+=("-D$k=$v")
    done < "$ROOT/conf/spark-defaults.conf"
  fi
  local i=0
  while [[ $i -lt ${#spark_opts[@]} ]]; do
    local k="${spark_opts[$i]}" v="${spark_opts[$((i+1))]}"
    case "$k" in
      --master) props+=("-Dspark.master=$v") ;;
      --conf) props+=("-D${v%%=*}=${v#*=}") ;;
      --driver-memory) heap="$v" ;;
      --name) props+=("-Dspark.app.name=$v") ;;
      *) echo "note: $k applies to cluster runs only; ignored embedded" >&2 ;;
    esac
    i=$((i+2))
  done
  [[ -n "$heap" ]] && JVM_FLAGS+=("-Xmx$heap")
  # The training module's work is mostly native (libtorch): G1 sizes the heap up front for throughput the driver
  # does not need. The serial collector and a smaller code cache keep a tiny-model bin/train of a few steps at
  # ~0.7 GiB resident instead of ~1.4 GiB (README, "Memory"). JAVA_OPTS="-XX:-UseSerialGC -XX:+UseG1GC" overrides.
  [[ "$module" == training || "$module" == benchmarks ]] && JVM_FLAGS+=(-XX:+UseSerialGC -XX:ReservedCodeCacheSize=96m)
  # A preprocessing run over little local input is mostly start-up and first-time code: the C1 compiler alone
  # costs it less CPU than C1 + C2. Larger runs spend their time in the tokenizer's and Parquet's hot loops, which
  # C2 makes ~25 % cheaper (docs/preprocess.md, "Start-up"). JAVA_OPTS=-XX:TieredStopAtLevel=N overrides.
  [[ "$module" == spark-jobs ]] && small_local_input ${job_args[@]+"${job_args[@]}"} && JVM_FLAGS+=(-XX:TieredStopAtLevel=1)
  local cp="$jar:$app_cp:$spark_cp"
  drop_libtorch_deprecation_warning
  local archive="$ROOT/$module/target/cds/${main##*.}.jsa"
  if [[ "${MLM_CDS:-on}" == off ]] || is_info_run ${job_args[@]+"${job_args[@]}"}; then
    exec java "${JVM_FLAGS[@]}" ${JAVA_OPTS:-} ${props[@]+"${props[@]}"} -cp "$cp" "$main" ${job_args[@]+"${job_args[@]}"}
  elif archive_current "$archive" "$cp"; then
    exec java "${JVM_FLAGS[@]}" -XX:SharedArchiveFile="$archive" -Xlog:cds*=off ${JAVA_OPTS:-} ${props[@]+"${props[@]}"} \
      -cp "$cp" "$main" ${job_args[@]+"${job_args[@]}"}
  fi
  # No archive for this build yet: this run records one at exit (it takes a few seconds more), kept if it succeeds.
  mkdir -p "${archive%/*}"
  local recording="$archive.$$.tmp" status=0
  trap 'rm -f "$recording"' EXIT
  java "${JVM_FLAGS[@]}" -XX:ArchiveClassesAtExit="$recording" -Xlog:cds*=off ${JAVA_OPTS:-} ${props[@]+"${props[@]}"} \
    -cp "$cp" "$main" ${job_args[@]+"${job_args[@]}"} || status=$?
  [[ $status -eq 0 && -s "$recording" ]] && mv -f "$recording" "$archive"
  exit $status
}

# DJL's PyTorch JNI code uses AutoNonVariableTypeMode, and libtorch's c10 logger prints a 400-character deprecation
# warning for it on every run. c10 reads its log level (TORCH_CPP_LOG_LEVEL) only when Python initialises it and
# glog is not linked in, so no setting reaches it from Java: this one line is dropped from stderr instead. The filter
# ignores Ctrl-C and SIGTERM, so a command's own last line (e.g. "interrupted: ...") still gets through.
drop_libtorch_deprecation_warning() {
  exec 2> >(trap '' INT TERM; exec grep --line-buffered -v 'Warning: AutoNonVariableTypeMode is deprecated' >&2)
}

# Class-data sharing (CDS): each command's first run after a build archives the classes it loaded; later runs map
# that archive instead of finding, parsing and verifying ~20,000 classes in ~200 jars again, which saves seconds of
# start-up on every run (docs/preprocess.md). MLM_CDS=off runs without.

# True when the archive exists and no class path entry changed since it was made (Java refuses it then).
archive_current() {
  local archive="$1" entry
  [[ -f "$archive" ]] || return 1
  local IFS=:
  for entry in $2; do
    [[ "$entry" -nt "$archive" ]] && return 1
  done
  return 0
}

# True when every --input is a local path (file:// or none) and together they hold under 64 MB.
small_local_input() {
  local inputs=() taking=0 arg
  for arg in "$@"; do
    case "$arg" in
      --input) taking=1 ;;
      --input=*) inputs+=("${arg#--input=}"); taking=0 ;;
      -*) taking=0 ;;
      *) [[ $taking -eq 1 ]] && inputs+=("$arg") ;;
    esac
  done
  [[ ${#inputs[@]} -gt 0 ]] || return 1
  local bytes=0 path size
  for path in "${inputs[@]}"; do
    path="${path#file://}"
    [[ "$path" == *://* ]] && return 1
    # unquoted on purpose: a glob expands to its files
    size=$(du -scbL -- $path 2>/dev/null | tail -n 1 | cut -f1) || return 1
    [[ -n "$size" ]] || return 1
    bytes=$((bytes + size))
  done
  [[ $bytes -lt $((64 * 1024 * 1024)) ]]
}

# --help and --version load a few classes only: no archive worth recording.
is_info_run() {
  local arg
  for arg in "$@"; do
    case "$arg" in -h|--help|-V|--version) return 0 ;; esac
  done
  return 1
}

#!/usr/bin/env bash
# Training speed of the project's engine, DL4J's own fit and PyTorch side by side (issue: one fast training
# engine): the same networks, batches, Adam and Fashion-MNIST files; one process per measurement
# (TrainingSpeedBench or bench/pytorch/training_speed.py), the arms alternating within each round so that a
# drifting load hits all alike; peak RSS of each process from /usr/bin/time -v. Prints every measurement, then one
# line per network and thread count with the medians and the engine/PyTorch ratio.
# PyTorch is Debian's python3-torch with OpenBLAS (libopenblas0-pthread) as its BLAS, installed here for this
# script only (never a dependency of the project or its tests); the script refuses a PyTorch on a slow BLAS.
# Usage (repository root; offline once the README's test command has run):
#   [NETWORKS="mlp64 mlp800 cnn resnet resnet-bn teacher-inference"] [THREADS="1 2"] bench/training-vs-pytorch.sh [rounds] [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
seconds=${2:-10}
warmup=${WARMUP:-4}
networks=${NETWORKS:-"mlp64 mlp800 cnn resnet resnet-bn teacher-inference"}
threads_list=${THREADS:-"1 2"}
python=/usr/bin/python3
# Both arms' allocators on transparent huge pages where the kernel gives them on request only (THP "madvise"):
# without, PyTorch's convolutions run 2.6-4.4x slower here (docs/BENCHMARKS.md, "Huge pages"). GLIBC_TUNABLES= to
# measure without.
export GLIBC_TUNABLES=${GLIBC_TUNABLES-glibc.malloc.hugetlb=1}
# As bin/distill-mesh, OpenBLAS's idle threads sleep at once instead of spinning for 0.1 s after each product
# (docs/BENCHMARKS.md, "OpenBLAS's spinning threads"); OPENBLAS_THREAD_TIMEOUT= to measure without. Debian's OpenBLAS
# under PyTorch is a pthreads build too, and the setting helps some of its rows and hurts others, so on more than
# one thread PyTorch runs both ways (arms pytorch and pytorch-spinning, the latter with OpenBLAS's default) and the
# engine is compared with the faster of the two.
export OPENBLAS_THREAD_TIMEOUT=${OPENBLAS_THREAD_TIMEOUT-4}

if ! $python -c 'import torch' 2>/dev/null || ! dpkg -s libopenblas0-pthread >/dev/null 2>&1; then
  echo "installing python3-torch and libopenblas0-pthread (for this benchmark only)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends python3-torch libopenblas0-pthread >/dev/null
fi
gflops=$(OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 $python -c '
import time, torch
torch.set_num_threads(1)
a = torch.rand(1024, 1024); b = torch.rand(1024, 1024); a @ b
t = time.perf_counter(); [a @ b for _ in range(5)]
print(int(5 * 2 * 1024 ** 3 / (time.perf_counter() - t) / 1e9))')
if (( gflops < 20 )); then
  echo "PyTorch multiplies 1024x1024 matrices at $gflops GFLOP/s on one thread: it is on the reference BLAS," \
       "not OpenBLAS (update-alternatives --config libblas.so.3-x86_64-linux-gnu); refusing an unfair comparison" >&2
  exit 1
fi

mvn -o -B -q -pl bench -am process-classes
cp=bench/target/classes:$(cat bench/target/classpath.txt)
results=$(mktemp)
trap 'rm -f "$results"' EXIT

measure() {  # network arm threads
  local log rss line
  log=$(mktemp)
  if [[ $2 == pytorch-spinning ]]; then
    set -- "$1" "$2" "$3" env -u OPENBLAS_THREAD_TIMEOUT $python bench/pytorch/training_speed.py --network "$1" --threads "$3"
  elif [[ $2 == pytorch ]]; then
    set -- "$1" "$2" "$3" $python bench/pytorch/training_speed.py --network "$1" --threads "$3"
  else
    set -- "$1" "$2" "$3" java ${JAVA_OPTS:--Xmx2g} -cp "$cp" io.distillmesh.bench.TrainingSpeedBench \
      --network "$1" --arm "$2" --threads "$3"
  fi
  OMP_NUM_THREADS=$3 OPENBLAS_NUM_THREADS=$3 MKL_NUM_THREADS=$3 OMP_WAIT_POLICY=passive \
    /usr/bin/time -v "${@:4}" --seconds "$seconds" --warmup "$warmup" >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
  line=$(grep '^RESULT' "$log" | sed "s/ arm=[^ ]* / arm=$2 /")
  rss=$(grep 'Maximum resident set size' "$log" | awk '{print int($NF / 1024)}')
  echo "$line peak_rss_mb=$rss" | tee -a "$results"
  rm -f "$log"
}

arms() { if (( $1 > 1 )); then echo engine dl4j pytorch pytorch-spinning; else echo engine dl4j pytorch; fi; }

for r in $(seq "$rounds"); do
  echo "round $r of $rounds"
  for threads in $threads_list; do
    for network in $networks; do
      for arm in $(arms "$threads"); do
        measure "$network" "$arm" "$threads"
      done
    done
  done
done

median() { sort -n | awk 'NF {a[++n]=$1} END {if (n == 0) print "—"; else print a[int((n+1)/2)]}'; }
field() { { grep -o "$1=[^ ]*" || true; } | cut -d= -f2; }
echo
echo "| network | threads | engine samples/s | DL4J samples/s | PyTorch samples/s (OpenBLAS timeout 4 / default) | engine / PyTorch's faster | DL4J / PyTorch's faster | peak RSS MB (engine, DL4J, PyTorch) |"
echo "|---|---|---|---|---|---|---|---|"
for threads in $threads_list; do
  for network in $networks; do
    declare -A rate mem
    for arm in engine dl4j pytorch pytorch-spinning; do
      rows=$(grep "network=$network arm=$arm threads=$threads " "$results" || true)
      rate[$arm]=$(echo "$rows" | field samples_per_s | median)
      mem[$arm]=$(echo "$rows" | field peak_rss_mb | sort -n | awk 'NF {m=$1} END {print (m == "" ? "—" : m)}')
    done
    best=${rate[pytorch]}
    if [[ ${rate[pytorch-spinning]} != — ]] && awk -v a="${rate[pytorch-spinning]}" -v b="$best" 'BEGIN {exit !(a > b)}'; then
      best=${rate[pytorch-spinning]}
    fi
    pytorch=${rate[pytorch]%.*}
    [[ ${rate[pytorch-spinning]} == — ]] || pytorch="$pytorch / ${rate[pytorch-spinning]%.*}"
    ratio() { [[ ${rate[$1]} == — ]] && echo — || awk -v a="${rate[$1]}" -v b="$best" 'BEGIN {printf "%.2f×", a / b}'; }
    printf '| %s | %s | %s | %s | %s | %s | %s | %s, %s, %s |\n' "$network" "$threads" \
      "${rate[engine]%.*}" "${rate[dl4j]%.*}" "$pytorch" "$(ratio engine)" "$(ratio dl4j)" \
      "${mem[engine]}" "${mem[dl4j]}" "${mem[pytorch]}"
    unset rate mem
  done
done
echo "medians of $rounds rounds, ${seconds} s timed after ${warmup} s of warm-up per process; machine: $(nproc --all) cores," \
     "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), PyTorch $($python -c 'import torch; print(torch.__version__)')" \
     "(1024² SGEMM $gflops GFLOP/s on one thread), $(java -version 2>&1 | head -1), load average $(cut -d' ' -f1-3 /proc/loadavg)," \
     "transparent huge pages $(sed 's/.*\[\(.*\)\].*/\1/' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null), GLIBC_TUNABLES=$GLIBC_TUNABLES," \
     "OPENBLAS_THREAD_TIMEOUT=$OPENBLAS_THREAD_TIMEOUT"

#!/usr/bin/env bash
# Dataset distillation speed (DistillationSpeedBench: LeNet, fixed init, 1 image/class, S=1 x E=3, real
# batch 1024): seconds per meta-iteration and peak RSS for each backprop (hand-written, dl4j) under each
# nd4j-native classifier (avx2, onednn-avx2). One process per (classifier, backprop), with only that native
# jar on the classpath, every combination once per round so that drifting load hits all alike; peak RSS
# from /usr/bin/time -v. Prints every measurement, then the medians.
# Runs offline once the README's test command has run; a classifier other than the project's own (onednn-avx2) in
# COMBOS is fetched from Maven Central first.
# Usage (repository root):
#   [COMBOS="classifier:backprop ..."] [JAVA_OPTS="-Xmx..."] bench/distillation-speed.sh [rounds] [iterations per process]
set -euo pipefail
cd "$(dirname "$0")"
rounds=${1:-3}
iterations=${2:-15}
repo=~/.m2/repository/org/nd4j/nd4j-native/1.0.0-M2.1
(cd .. && mvn -o -B -q -pl bench -am process-classes)
base=$(tr ':' '\n' < target/classpath.txt | grep -v 'nd4j-native-1.0.0-M2.1-linux-x86_64' | paste -sd:)
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-2} OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-passive}
# as bin/distill-mesh: libnd4j's buffers on transparent huge pages (GLIBC_TUNABLES= to measure without)
export GLIBC_TUNABLES=${GLIBC_TUNABLES-glibc.malloc.hugetlb=1}
# as bin/distill-mesh: OpenBLAS's idle threads sleep at once (OPENBLAS_THREAD_TIMEOUT= to measure without)
export OPENBLAS_THREAD_TIMEOUT=${OPENBLAS_THREAD_TIMEOUT-4}
combos=${COMBOS:-"linux-x86_64-onednn-avx2:dl4j linux-x86_64-onednn-avx2:hand-written"}
for combo in $combos; do
  v=${combo%%:*}
  [ -f "$repo/nd4j-native-1.0.0-M2.1-$v.jar" ] || (cd .. && mvn -B -q dependency:get \
    -Dartifact=org.nd4j:nd4j-native:1.0.0-M2.1:jar:$v -Dtransitive=false)
done
results=$(mktemp)
for r in $(seq "$rounds"); do
  for combo in $combos; do
    v=${combo%%:*}
    b=${combo##*:}
    log=$(mktemp)
    /usr/bin/time -v java ${JAVA_OPTS:-} -cp "target/classes:$base:$repo/nd4j-native-1.0.0-M2.1-$v.jar" \
      io.distillmesh.bench.DistillationSpeedBench --backprops "$b" --rounds 1 --iterations "$iterations" >"$log" 2>&1
    s=$(grep -E "^  $b, [0-9]+ threads? +[0-9.]+ s" "$log" | awk '{print $4}')
    split=$(grep -E "^  $b, " "$log" | sed 's/.*(×[0-9.]* of the first; //; s/)$//')
    rss=$(grep "Maximum resident set size" "$log" | awk '{print $NF}')
    echo "round $r | $v | $b | $s s/iter | peak RSS $((rss / 1024)) MB | $split" | tee -a "$results"
    rm -f "$log"
  done
done
echo
echo "| nd4j-native classifier | backprop | s per meta-iteration, median of $rounds | peak RSS (max) |"
echo "|---|---|---|---|"
for combo in $combos; do
    v=${combo%%:*}
    b=${combo##*:}
    rows=$(grep "| $v | $b |" "$results")
    s=$(echo "$rows" | cut -d'|' -f4 | awk '{print $1}' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    rss=$(echo "$rows" | cut -d'|' -f5 | awk '{print $3}' | sort -n | tail -1)
    echo "| $v | $b | $s | $rss MB |"
done
echo "machine: $(nproc --all) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), OMP_NUM_THREADS=$OMP_NUM_THREADS, load average $(cut -d' ' -f1-3 /proc/loadavg)"
rm -f "$results"

#!/usr/bin/env bash
# Runs Nd4jVariantBench for each nd4j-native classifier, each time with only that native jar on the
# classpath, in rounds (every variant once per round) so that drifting load on a shared machine hits
# all variants alike; prints every measurement, then the median per variant.
# Usage (repository root; the variants' jars are fetched from Maven Central once): bench/nd4j-variants.sh [rounds]
set -euo pipefail
cd "$(dirname "$0")"
rounds=${1:-3}
repo=~/.m2/repository/org/nd4j/nd4j-native/1.0.0-M2.1
variants="linux-x86_64 linux-x86_64-avx2 linux-x86_64-avx512 linux-x86_64-onednn linux-x86_64-onednn-avx2 linux-x86_64-onednn-avx512"
for v in $variants; do
  [ -f "$repo/nd4j-native-1.0.0-M2.1-$v.jar" ] || mvn -B -q dependency:get -Dartifact=org.nd4j:nd4j-native:1.0.0-M2.1:jar:$v -Dtransitive=false
done
(cd .. && mvn -o -B -q -pl bench -am process-classes)
base=$(tr ':' '\n' < target/classpath.txt | grep -v 'nd4j-native-1.0.0-M2.1-linux-x86_64' | paste -sd:)
results=$(mktemp)
# as bin/distill-mesh: libnd4j's buffers on transparent huge pages (GLIBC_TUNABLES= to measure without)
export GLIBC_TUNABLES=${GLIBC_TUNABLES-glibc.malloc.hugetlb=1}
# as bin/distill-mesh: OpenBLAS's idle threads sleep at once (OPENBLAS_THREAD_TIMEOUT= to measure without)
export OPENBLAS_THREAD_TIMEOUT=${OPENBLAS_THREAD_TIMEOUT-4}
for r in $(seq "$rounds"); do
  for v in $variants; do
    cp="target/classes:$base:$repo/nd4j-native-1.0.0-M2.1-$v.jar"
    OMP_NUM_THREADS=${OMP_NUM_THREADS:-2} OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-passive} java -Xmx6g -cp "$cp" io.distillmesh.bench.Nd4jVariantBench --variant "$v" --repeats 1 2>/dev/null \
      | grep '^|' | tee -a "$results" || echo "| $v | failed to load or run | - | - |" | tee -a "$results"
  done
done
echo
echo "| nd4j-native classifier | correct | MLP 784-256-10 train samples/s (batch 64), median | CNN 16-32-128 train samples/s (batch 128), median |"
echo "|---|---|---|---|"
for v in $variants; do
  rows=$(grep "^| $v |" "$results" || true)
  ok=$(echo "$rows" | grep -q 'NO\|failed' && echo NO || echo yes)
  mlp=$(echo "$rows" | cut -d'|' -f4 | tr -d ' ' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  cnn=$(echo "$rows" | cut -d'|' -f5 | tr -d ' ' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "| $v | $ok | $mlp | $cnn |"
done
rm -f "$results"

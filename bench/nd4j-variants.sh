#!/usr/bin/env bash
# Runs Nd4jVariantBench once per nd4j-native classifier, each time with only that native jar on the
# classpath. Usage: bench/nd4j-variants.sh   (from the repository root, after mvn install -DskipTests)
set -euo pipefail
cd "$(dirname "$0")"
repo=~/.m2/repository/org/nd4j/nd4j-native/1.0.0-M2.1
variants="linux-x86_64 linux-x86_64-avx2 linux-x86_64-avx512 linux-x86_64-onednn linux-x86_64-onednn-avx2 linux-x86_64-onednn-avx512"
for v in $variants; do
  [ -f "$repo/nd4j-native-1.0.0-M2.1-$v.jar" ] || mvn -B -q dependency:get -Dartifact=org.nd4j:nd4j-native:1.0.0-M2.1:jar:$v -Dtransitive=false
done
mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt
base=$(tr ':' '\n' < target/cp.txt | grep -v 'nd4j-native-1.0.0-M2.1-linux-x86_64' | paste -sd:)
echo "| nd4j-native classifier | correct | MLP 784-256-10 train samples/s (batch 64) | CNN 16-32-128 train samples/s (batch 128) |"
echo "|---|---|---|---|"
for v in $variants; do
  cp="target/classes:$base:$repo/nd4j-native-1.0.0-M2.1-$v.jar"
  OMP_NUM_THREADS=${OMP_NUM_THREADS:-2} java -Xmx6g -cp "$cp" io.distillmesh.bench.Nd4jVariantBench --variant "$v" 2>/dev/null \
    | grep '^|' || echo "| $v | failed to load or run | - | - |"
done

#!/usr/bin/env bash
# Before/after of one optimization, measured in one run: two `fathom-bench` binaries (built
# before and after the change) run the same compare workload alternately, ROUNDS times each,
# so that the drifting load of a shared machine hits both alike. Prints the median images/s,
# CPU ms per step and peak resident MiB of each, and their ratios (after / before).
#
#   Benchmarks/compare/ab.sh BEFORE_BIN AFTER_BIN WORKLOAD [WORKLOAD …]
#   ROUNDS=5 Benchmarks/compare/ab.sh /tmp/bench-before .build/release/fathom-bench cnn28_train
set -euo pipefail
before=${1:?usage: ab.sh BEFORE_BIN AFTER_BIN WORKLOAD…}
after=${2:?usage: ab.sh BEFORE_BIN AFTER_BIN WORKLOAD…}
shift 2
rounds=${ROUNDS:-3}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
field() { tr ' ' '\n' | awk -F= -v k="$1" '$1 == k { print $2 }'; }
echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for workload in "$@"; do
    a_rate=() b_rate=() a_cpu=() b_cpu=() a_rss=() b_rss=()
    for _ in $(seq "$rounds"); do
        line=$("$before" compare "$workload"); a_rate+=("$(field img_s <<< "$line")"); a_cpu+=("$(field cpu_ms <<< "$line")")
        a_rss+=("$(field peak_rss_mib <<< "$line")")
        line=$("$after" compare "$workload"); b_rate+=("$(field img_s <<< "$line")"); b_cpu+=("$(field cpu_ms <<< "$line")")
        b_rss+=("$(field peak_rss_mib <<< "$line")")
    done
    ar=$(printf '%s\n' "${a_rate[@]}" | median); br=$(printf '%s\n' "${b_rate[@]}" | median)
    ac=$(printf '%s\n' "${a_cpu[@]}" | median); bc=$(printf '%s\n' "${b_cpu[@]}" | median)
    am=$(printf '%s\n' "${a_rss[@]}" | median); bm=$(printf '%s\n' "${b_rss[@]}" | median)
    echo "bench=ab workload=$workload rounds=$rounds before_img_s=$ar after_img_s=$br speedup=$(awk -v a="$ar" -v b="$br" 'BEGIN { printf "%.2f", b / a }')" \
         "before_cpu_ms=${ac:-n/a} after_cpu_ms=${bc:-n/a} cpu_ratio=$(awk -v a="$ac" -v b="$bc" 'BEGIN { if (a > 0) printf "%.2f", b / a; else print "n/a" }')" \
         "before_rss_mib=$am after_rss_mib=$bm rss_ratio=$(awk -v a="$am" -v b="$bm" 'BEGIN { printf "%.2f", b / a }')" \
         "before_rates=$(IFS=,; echo "${a_rate[*]}") after_rates=$(IFS=,; echo "${b_rate[*]}")"
done
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

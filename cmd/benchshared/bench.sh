#!/usr/bin/env bash
# Shared-crawl benchmark (issue 15): lede crawl with 1 then 3 workers on one Redis frontier,
# over HOSTS newsfarm sites on loopback ports, each answering after LATENCY. Prints, per run,
# the wall time, the distinct articles the sites answered and articles per second.
#
#   bash cmd/benchshared/bench.sh            # from the repository root; needs redis-server
#   HOSTS=3 ARTICLES=500 LATENCY=100ms PAR=2 ROUNDS=2 bash cmd/benchshared/bench.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
HOSTS=${HOSTS:-3} ARTICLES=${ARTICLES:-500} LATENCY=${LATENCY:-100ms} PAR=${PAR:-2} ROUNDS=${ROUNDS:-2}
tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT
cp -r ../shared/bench/newsfarm "$tmp/nfsrc"
(cd "$tmp/nfsrc" && go build -o "$tmp/newsfarm" .)
go build -o "$tmp/lede" ./cmd/lede
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$tmp" >/dev/null &
pids+=($!)
for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done

run() { # run WORKERS ROUND
  local w=$1 dir="$tmp/run-$1-$2" cfg urls=()
  mkdir -p "$dir"
  for h in $(seq "$HOSTS"); do
    "$tmp/newsfarm" -articles "$ARTICLES" -latency "$LATENCY" -log "$dir/req$h.log" -portfile "$dir/port$h" >/dev/null 2>&1 &
    pids+=($!)
  done
  for h in $(seq "$HOSTS"); do
    while [ ! -s "$dir/port$h" ]; do sleep 0.05; done
    urls+=("http://127.0.0.1:$(cat "$dir/port$h")/")
  done
  redis-cli -p "$port" flushall >/dev/null
  local start end
  start=$(date +%s.%N)
  local ws=()
  for i in $(seq "$w"); do
    "$tmp/lede" crawl --db "$dir/w$i.db" --frontier "redis://127.0.0.1:$port/0" --delay 0 \
      --parallelism "$PAR" --quiet "${urls[@]}" >"$dir/w$i.out" 2>"$dir/w$i.err" &
    ws+=($!)
  done
  wait "${ws[@]}"
  end=$(date +%s.%N)
  local arts=0 h
  for h in $(seq "$HOSTS"); do # distinct articles answered, host by host
    arts=$((arts + $(grep -E '^GET /news/.* 200$' "$dir/req$h.log" | sort -u | wc -l)))
  done
  local fetches
  fetches=$(cat "$dir"/req*.log | grep -cE '^GET /news/.* 200$')
  python3 -c "w,r,s,e,a,f=$w,$2,$start,$end,$arts,$fetches; print(f'workers {w} round {r}: {e-s:6.2f} s, {a} articles ({f} fetches), {a/(e-s):6.1f} articles/s')"
}
echo "$HOSTS hosts x $ARTICLES articles, latency $LATENCY, --delay 0 --parallelism $PAR per worker; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq "$ROUNDS"); do
  run 1 "$r"
  run 3 "$r"
done

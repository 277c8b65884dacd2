package redisfrontier

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"time"
)

// robots.txt fetched once for the whole crawl: the first worker to need a host's robots.txt
// takes its fetch ({ns}:robotslock:H, for a while), fetches it and keeps the answer in
// {ns}:robots (field host: "expiry|status|body", the expiry on Redis's clock); the other
// workers wait for it and read it. The answers go with the crawl (End, Reset) and expire
// earlier when the fetching worker says so.

var takeRobotsScript = lazyScript(nowMillis + `
local v = redis.call('HGET', KEYS[1], ARGV[1])
if v then
  local untl = tonumber(string.match(v, '^(%d+)|'))
  if untl and untl > now then return {1, v} end
end
if redis.call('SET', KEYS[2], ARGV[2], 'NX', 'PX', tonumber(ARGV[3])) then return {2} end
return {0}`)

var putRobotsScript = lazyScript(nowMillis + `
redis.call('HSET', KEYS[1], ARGV[1], tostring(now + tonumber(ARGV[2])) .. '|' .. ARGV[3] .. '|' .. ARGV[4])
redis.call('DEL', KEYS[2])
return 0`)

var dropRobotsScript = lazyScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 0`)

func (f *Frontier[T]) robotsLockKey(host string) string {
	return "{" + f.keys.ns + "}:robotslock:" + host
}

// TakeRobots returns host's robots.txt answer (its HTTP status, 0 when the host could not be
// reached, and body) that a worker of the crawl kept with PutRobots (found). Else it hands
// the fetch to this worker for at most hold (mine: fetch it, then PutRobots, or DropRobots
// when it could not be fetched), or reports neither: another worker is fetching it; ask again
// soon.
func (f *Frontier[T]) TakeRobots(ctx context.Context, host string, hold time.Duration) (status int, body []byte, found, mine bool, err error) {
	res, err := takeRobotsScript().Run(ctx, f.rdb, []string{f.keys.robots, f.robotsLockKey(host)},
		host, f.worker, max(hold.Milliseconds(), 1)).Slice()
	if err != nil {
		return 0, nil, false, false, fmt.Errorf("redis robots.txt of %s: %w", host, err)
	}
	switch code, _ := res[0].(int64); code {
	case 2:
		return 0, nil, false, true, nil
	case 1:
		v, _ := res[1].(string)
		_, rest, _ := bytes.Cut([]byte(v), []byte("|"))
		st, b, ok := bytes.Cut(rest, []byte("|"))
		n, cerr := strconv.Atoi(string(st))
		if !ok || cerr != nil {
			return 0, nil, false, false, fmt.Errorf("redis robots.txt of %s: malformed entry %.40q", host, v)
		}
		return n, b, true, false, nil
	}
	return 0, nil, false, false, nil
}

// PutRobots keeps host's robots.txt answer for every worker of the crawl, for ttl at most,
// and ends this worker's fetch of it.
func (f *Frontier[T]) PutRobots(ctx context.Context, host string, status int, body []byte, ttl time.Duration) error {
	err := putRobotsScript().Run(ctx, f.rdb, []string{f.keys.robots, f.robotsLockKey(host)},
		host, max(ttl.Milliseconds(), 1), status, body).Err()
	if err != nil {
		return fmt.Errorf("redis robots.txt of %s: %w", host, err)
	}
	return nil
}

// DropRobots gives up this worker's fetch of host's robots.txt (a fetch another worker took
// since, this one's having expired, stays theirs): the next worker to need it fetches it.
func (f *Frontier[T]) DropRobots(ctx context.Context, host string) error {
	if err := dropRobotsScript().Run(ctx, f.rdb, []string{f.robotsLockKey(host)}, f.worker).Err(); err != nil {
		return fmt.Errorf("redis robots.txt of %s: %w", host, err)
	}
	return nil
}

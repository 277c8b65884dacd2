package crawler

import (
	"context"
	"errors"
	"net/http"
	"time"
)

// robots.txt in a crawl shared by several processes: with a RobotsShare (the Redis
// frontier's), the first process to need a host's robots.txt fetches it and keeps the answer
// for the others, which wait for it and read it instead of fetching their own. An answer is
// kept for the crawl, at most robotsTTL (RFC 9309 asks not to cache robots.txt longer); an
// answer that keeps the host out (a 5xx, a 429, a host out of reach) for robotsFailTTL, after
// which the next process to need it asks the host again.
// A process holds the fetch of a host's robots.txt for as long as the request may take, plus
// robotsMargin: should it die meanwhile, the next process fetches it after that.
const (
	robotsTTL     = 24 * time.Hour
	robotsFailTTL = 10 * time.Minute
	robotsMargin  = 30 * time.Second
)

// robotsAnswer returns the host's robots.txt answer: the crawl's, when another process of a
// shared crawl fetched it, else fetched now (and kept for the others). ok is false when the
// run stopped first.
func (r *run) robotsAnswer(h *host, robotsURL string) (ans robotsAnswer, ok bool) {
	share, shared := r.c.frontier.(RobotsShare)
	if !shared {
		return r.fetchRobots(h, robotsURL)
	}
	hold := r.c.cfg.timeout + robotsMargin + r.hostDelay(h)
	for {
		status, body, found, mine, err := share.TakeRobots(r.ctx, h.name, hold)
		switch {
		case err != nil && r.ctx.Err() != nil:
			return ans, false
		case err != nil:
			r.log.Warn("shared robots.txt unreadable: fetching it in this process", "host", h.name, "err", err)
			return r.fetchRobots(h, robotsURL)
		case found:
			ans = robotsAnswer{status: status, body: body}
			if status == 0 {
				ans.err = errors.New(string(body))
			}
			return ans, true
		case mine:
			ans, ok = r.fetchRobots(h, robotsURL)
			ctx, cancel := context.WithTimeout(r.storeCtx, 5*time.Second)
			defer cancel()
			if !ok {
				err = share.DropRobots(ctx, h.name)
			} else {
				status, body, ttl := sharedRobots(ans)
				err = share.PutRobots(ctx, h.name, status, body, ttl)
			}
			if err != nil {
				r.log.Warn("robots.txt not shared with the other workers", "host", h.name, "err", err)
			}
			return ans, ok
		}
		if !r.sleep(sharedClockPoll) { // another process is fetching it
			return ans, false
		}
	}
}

// sharedRobots is how an answer is kept for the other processes, and for how long: a redirect
// lede cannot follow as a 404 (no rules), no answer as status 0 with the reason as body.
func sharedRobots(ans robotsAnswer) (status int, body []byte, ttl time.Duration) {
	switch {
	case ans.status == 0 && (errors.Is(ans.err, errTooManyRedirects) || redirectScheme(ans.err) != nil):
		return http.StatusNotFound, nil, robotsTTL
	case ans.status == 0:
		return 0, []byte(errReason(ans.err)), robotsFailTTL
	case ans.status >= 500 || ans.status == http.StatusTooManyRequests:
		return ans.status, nil, robotsFailTTL
	}
	return ans.status, ans.body, robotsTTL
}

// hostDelay is the host's delay between requests.
func (r *run) hostDelay(h *host) time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	return h.delay
}

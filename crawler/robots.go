package crawler

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/temoto/robotstxt"
)

// loadRobots fetches and parses the host's robots.txt once per run: which paths lede may
// fetch, its Crawl-delay (which wins over a shorter configured delay) and its Sitemap lines.
// As RFC 9309 says: a 4xx (or a redirect lede cannot follow) means no rules; a 5xx, a 429,
// a timeout or an unreachable host means the whole host is disallowed. lede then fetches
// nothing else of the host in this run: its URLs stay queued, and the next run asks for
// robots.txt again (see robotsFailed). In a crawl shared by several processes, one fetches it
// for all (robotsshare.go).
func (r *run) loadRobots(h *host, scheme string) {
	h.robotsOnce.Do(func() {
		if r.c.cfg.ignoreRobots {
			return
		}
		ans, ok := r.robotsAnswer(h, scheme+"://"+h.name+"/robots.txt")
		if !ok || r.ctx.Err() != nil {
			r.robotsFailed(h, "") // the run is stopping: nothing to report
			return
		}
		status := ans.status
		switch {
		case status == 0 && (errors.Is(ans.err, errTooManyRedirects) || redirectScheme(ans.err) != nil):
			r.log.Warn("robots.txt redirects where lede cannot follow: no rules applied", "host", h.name, "err", ans.err)
			return
		case status == 0:
			r.robotsFailed(h, "robots.txt unreachable: "+errReason(ans.err))
			return
		case status >= 500 || status == http.StatusTooManyRequests:
			r.robotsFailed(h, "robots.txt answered HTTP "+strconv.Itoa(status))
			return
		}
		data, err := robotstxt.FromStatusAndBytes(status, ans.body)
		if err != nil {
			r.log.Warn("robots.txt unreadable: no rules applied", "host", h.name, "status", status, "err", err)
			return
		}
		h.robots = data.FindGroup(r.c.cfg.userAgent)
		h.sitemaps = data.Sitemaps
		if h.robots != nil && h.robots.CrawlDelay > 0 {
			cd := min(h.robots.CrawlDelay, r.c.cfg.maxCrawlDelay)
			r.mu.Lock()
			if cd > h.delay {
				h.delay = cd
			}
			if next := time.Now().Add(h.delay); next.After(h.nextAt) {
				h.nextAt = next
			}
			r.mu.Unlock()
			r.log.Info("robots.txt Crawl-delay", "host", h.name, "delay", cd)
		}
	})
}

// robotsAnswer is what a host answered for its robots.txt.
type robotsAnswer struct {
	status int    // 0: no HTTP answer
	body   []byte // the body of an answer
	err    error  // why there is no HTTP answer
}

// fetchRobots fetches the host's robots.txt; ok is false when the run stopped before.
func (r *run) fetchRobots(h *host, robotsURL string) (ans robotsAnswer, ok bool) {
	res := h.fetch(robotsURL, nil, nil)
	r.released(h)
	r.countFetch(h, res)
	if notSent(res.err) {
		return ans, false
	}
	return robotsAnswer{status: res.status, body: res.body, err: res.err}, true
}

// robotsFailed keeps a host whose robots.txt could not be read out of this run: it counts as
// one error (unless reason is empty: the run is stopping), and the host's URLs stay queued
// for the next run, which asks for robots.txt again.
func (r *run) robotsFailed(h *host, reason string) {
	r.mu.Lock()
	h.dead = true
	h.robotsDown = true
	if reason != "" {
		h.counts.Errors++
	}
	r.mu.Unlock()
	if reason != "" {
		r.log.Warn("not crawling host in this run: robots.txt must be readable first", "host", h.name, "reason", reason)
	}
}

// robotsAllow reports whether robots.txt lets lede fetch rawURL.
func (h *host) robotsAllow(rawURL string) bool {
	if h.robots == nil {
		return true
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return false
	}
	p := u.EscapedPath()
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return h.robots.Test(p)
}

package crawler

import (
	"net/http"
	"net/url"
	"time"

	"github.com/temoto/robotstxt"
)

// loadRobots fetches and parses the host's robots.txt once: which paths lede may fetch,
// its Crawl-delay (which wins over a shorter configured delay) and its Sitemap lines.
// A 4xx means no rules; a 5xx or an unreachable host means "fetch nothing" for this run,
// as Google does.
func (r *run) loadRobots(h *host, scheme string) {
	h.robotsOnce.Do(func() {
		if r.c.cfg.ignoreRobots {
			return
		}
		robotsURL := scheme + "://" + h.name + "/robots.txt"
		res := h.fetch(robotsURL, nil, nil)
		r.released(h)
		r.countFetch(h, res)
		status := res.status
		if res.err != nil && status == 0 {
			if r.ctx.Err() == nil {
				r.log.Warn("robots.txt unreachable: not crawling host", "host", h.name, "err", res.err)
			}
			h.robots = disallowAll()
			return
		}
		data, err := robotstxt.FromStatusAndBytes(status, res.body)
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

// disallowAll is the robots.txt group of an unreachable host: nothing may be fetched.
func disallowAll() *robotstxt.Group {
	d, _ := robotstxt.FromStatusAndBytes(http.StatusServiceUnavailable, nil)
	return d.FindGroup("*")
}

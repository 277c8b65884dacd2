package crawler

import (
	"fmt"
	"lede"
)

// Counts are what a crawl did, overall or for one host.
type Counts struct {
	Fetched       int `json:"fetched"`        // HTTP requests answered (pages, feeds, sitemaps, robots.txt)
	New           int `json:"new_articles"`   // articles stored for the first time
	Updated       int `json:"updated"`        // stored articles whose text changed
	Duplicates    int `json:"duplicates"`     // articles already stored under another URL or hash
	Hubs          int `json:"hubs"`           // section fronts and listings: followed, not stored
	NotModified   int `json:"not_modified"`   // 304 answers to conditional requests
	AlreadyStored int `json:"already_stored"` // stored articles not fetched again
	Skipped       int `json:"skipped"`        // robots.txt, non-HTML, truncated, no article, 4xx
	DeadLinks     int `json:"dead_links"`     // URLs that answered 404 or 410 lately: not fetched again (WithRetryDeadAfter)
	Errors        int `json:"errors"`         // failures left after retries
	Retries       int `json:"retries"`        // requests retried after 429, 5xx or a network error
	// Paused counts the circuit breaker's pauses: the host failed too often in a row.
	Paused int `json:"paused,omitempty"`
	// Recleaned counts stored articles cleaned again at the end of the run because the
	// host's learned chrome changed (see chrome.Reclean).
	Recleaned int `json:"recleaned,omitempty"`

	answered int // pages, feeds and sitemaps answered (robots.txt and retried failures aside)
}

// add adds o's counts to c.
func (c *Counts) add(o *Counts) {
	c.Fetched += o.Fetched
	c.New += o.New
	c.Updated += o.Updated
	c.Duplicates += o.Duplicates
	c.Hubs += o.Hubs
	c.NotModified += o.NotModified
	c.AlreadyStored += o.AlreadyStored
	c.Skipped += o.Skipped
	c.DeadLinks += o.DeadLinks
	c.Errors += o.Errors
	c.Retries += o.Retries
	c.Paused += o.Paused
	c.Recleaned += o.Recleaned
	c.answered += o.answered
}

// Summary is the outcome of one Run: the totals, per-host counts and how the run ended.
type Summary struct {
	Counts
	Hosts          map[string]*Counts `json:"hosts"`
	Queued         int                `json:"queued"`            // URLs left in the frontier for the next run
	Resumed        bool               `json:"resumed,omitempty"` // the run started with URLs an earlier run left queued
	Stopped        lede.StopReason    `json:"stopped,omitempty"` // why the run ended early; "" when it ran to its end
	ElapsedSeconds float64            `json:"elapsed_s"`
}

// NothingFetched reports whether the run tried and got nothing: no page, feed or sitemap was
// answered while URLs failed (errors, retries, a host whose robots.txt could not be read).
// lede crawl exits 1 then.
func (s *Summary) NothingFetched() bool {
	return s.answered == 0 && (s.Errors > 0 || s.Retries > 0)
}

// total sums the per-host counts into the summary's own.
func (s *Summary) total() {
	s.Counts = Counts{}
	for _, c := range s.Hosts {
		s.Counts.add(c)
	}
}

// bump adds one to the field an outcome counts in. Retries are counted as they are
// scheduled (retry), and sitemaps and feeds only as fetches.
func (c *Counts) bump(o lede.Outcome) {
	switch o {
	case lede.OutcomeNew:
		c.New++
	case lede.OutcomeUpdated:
		c.Updated++
	case lede.OutcomeDuplicate:
		c.Duplicates++
	case lede.OutcomeHub:
		c.Hubs++
	case lede.OutcomeNotModified:
		c.NotModified++
	case lede.OutcomeAlreadyStored:
		c.AlreadyStored++
	case lede.OutcomeSkipped:
		c.Skipped++
	case lede.OutcomeDead:
		c.DeadLinks++
	case lede.OutcomeError:
		c.Errors++
	case lede.OutcomeRetry, lede.OutcomeSitemap, lede.OutcomeFeed:
	default:
		panic(fmt.Sprintf("crawler: outcome %v counts nowhere", o))
	}
}

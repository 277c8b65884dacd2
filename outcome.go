package lede

import "fmt"

// Outcome is what a crawl did with one URL: the counter of its summary it adds to, and what
// a progress display is told. Every value is one of the constants below.
type Outcome uint8

// Outcomes.
const (
	OutcomeNew           Outcome = iota + 1 // an article stored for the first time
	OutcomeUpdated                          // a stored article whose text changed
	OutcomeDuplicate                        // an article already stored under another URL, or a near-duplicate
	OutcomeHub                              // a front, section or listing: followed, not stored
	OutcomeNotModified                      // a 304 answer to a conditional request
	OutcomeAlreadyStored                    // a stored article not fetched again
	OutcomeSkipped                          // not stored: robots.txt, not HTML, too large, no article, a media page, a dead link, 4xx
	OutcomeDead                             // a URL that answered 404 or 410 lately: not fetched again
	OutcomeError                            // failed after retries
	OutcomeRetry                            // failed for now: retried later (a URL may have several)
	OutcomePaused                           // the URL's failure made the circuit breaker pause its host: an event about the host, not one more URL
	OutcomeSitemap                          // a sitemap read for its links
	OutcomeFeed                             // a feed read for its links
)

var outcomeNames = [...]string{
	OutcomeNew:           "new",
	OutcomeUpdated:       "updated",
	OutcomeDuplicate:     "duplicate",
	OutcomeHub:           "hub",
	OutcomeNotModified:   "not_modified",
	OutcomeAlreadyStored: "already_stored",
	OutcomeSkipped:       "skipped",
	OutcomeDead:          "dead",
	OutcomeError:         "error",
	OutcomeRetry:         "retry",
	OutcomePaused:        "paused",
	OutcomeSitemap:       "sitemap",
	OutcomeFeed:          "feed",
}

// String returns the outcome's name, as in the crawl summary's field names: "new",
// "not_modified", "already_stored", ...
func (o Outcome) String() string {
	if int(o) < len(outcomeNames) && outcomeNames[o] != "" {
		return outcomeNames[o]
	}
	return fmt.Sprintf("Outcome(%d)", uint8(o))
}

// MarshalText returns the outcome's name (see String).
func (o Outcome) MarshalText() ([]byte, error) { return []byte(o.String()), nil }

// StopReason says why a crawl ended before its queue was empty.
type StopReason string

// Stop reasons, as the crawl summary's "stopped" field shows them; a crawl that ran to its
// end has none ("").
const (
	StopMaxPages    StopReason = "max-pages"    // the page limit was reached
	StopMaxDuration StopReason = "max-duration" // the time limit was reached
	StopInterrupted StopReason = "interrupted"  // SIGINT, SIGTERM or a cancelled context
	StopFailed      StopReason = "failed"       // a store or network failure, or a store that could not be opened
	StopLocked      StopReason = "locked"       // another lede process holds the store: nothing was done
)

package crawler

// Retries: which failures are retried, and when (backoff, Retry-After).

import (
	"errors"
	"fmt"
	"io"
	"lede"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// retryable reports whether a failure may pass: 429, 5xx (but 501) or a network error.
func retryable(res *fetchResult) bool {
	switch res.status {
	case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout, 520, 521, 522, 524:
		return true
	case 0:
		err := res.err
		if err == nil || errors.Is(err, errTooManyRedirects) || redirectScheme(err) != nil {
			return false
		}
		var ne net.Error
		var ue *url.Error
		return errors.As(err, &ne) || errors.As(err, &ue) || errors.Is(err, io.ErrUnexpectedEOF)
	}
	return false
}

// errReason turns a fetch error into a short fetch-record reason.
func errReason(err error) string {
	if err == nil {
		return "no answer"
	}
	if errors.Is(err, errTooManyRedirects) {
		return "too many redirects"
	}
	s := err.Error()
	if len(s) > 200 {
		s = strings.ToValidUTF8(s[:200], "") // never a cut rune in the stored reason
	}
	return s
}

// succeeded closes the host's circuit breaker: it answers.
func (r *run) succeeded(h *host) {
	r.mu.Lock()
	h.failures, h.trips = 0, 0
	r.mu.Unlock()
}

// retry puts a failed task back in its host's queue after an exponential backoff with
// jitter, or the answer's Retry-After (capped) when longer; a 429's Retry-After pauses the
// whole host. Failures in a row trip the host's circuit breaker.
func (r *run) retry(h *host, t *task, res *fetchResult) {
	cfg := r.c.cfg
	t.attempt++
	ra := retryAfter(res.header, cfg.maxRetryAfter)
	reason := errReason(res.err)
	if res.status > 0 {
		reason = "HTTP " + strconv.Itoa(res.status)
	}
	now := time.Now()
	paused := false
	r.mu.Lock()
	h.failures++
	if ra > 0 && res.status == http.StatusTooManyRequests {
		// A rate limit is about all our requests to the host: pause it. A 503's Retry-After
		// is kept for the one URL; a host that keeps failing trips the circuit breaker.
		if until := now.Add(ra); until.After(h.nextAt) {
			h.nextAt = until
		}
	}
	if h.failures >= cfg.breakerThreshold {
		h.trips++
		h.failures = cfg.breakerThreshold - 1 // half-open: one more failure trips it again
		if h.trips >= cfg.breakerTrips {
			if !h.dead {
				r.log.Error("giving up on host for this run: it keeps failing", "host", h.name, "last", reason)
			}
			h.dead = true
		} else {
			pause := cfg.breakerCooldown << (h.trips - 1)
			if until := now.Add(pause); until.After(h.nextAt) {
				h.nextAt = until
			}
			h.counts.Paused++
			paused = true
			r.log.Warn("host keeps failing: pausing it", "host", h.name, "pause", pause, "last", reason)
		}
	}
	giveUp := t.attempt > cfg.maxRetries
	dead := h.dead
	if !giveUp && !dead {
		backoff := min(cfg.retryBase<<(t.attempt-1), time.Minute)
		backoff = backoff/2 + rand.N(backoff)
		t.notBefore = now.Add(max(backoff, ra))
		h.queue = append(h.queue, t)
		h.counts.Retries++
	}
	r.mu.Unlock()
	if paused {
		r.event(h, t.item.URL, outcome{counter: lede.OutcomePaused, status: res.status, reason: reason})
	}
	switch {
	case giveUp:
		reason = fmt.Sprintf("%s after %d attempts", reason, t.attempt)
		r.log.Warn("giving up on URL", "url", t.item.URL, "reason", reason)
		r.finish(h, t, outcome{counter: lede.OutcomeError, status: res.status, reason: reason,
			rec: &lede.FetchRecord{Kind: lede.KindError, Status: res.status, Reason: reason}})
	case dead:
		r.abandon(t)
	default:
		r.log.Debug("retrying", "url", t.item.URL, "reason", reason, "attempt", t.attempt, "at", t.notBefore)
		r.event(h, t.item.URL, outcome{counter: lede.OutcomeRetry, status: res.status, reason: reason})
	}
}

// retryAfter reads a Retry-After header (seconds or an HTTP date), capped; 0 when absent.
func retryAfter(h http.Header, limit time.Duration) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	var d time.Duration
	if secs, err := strconv.Atoi(v); err == nil {
		d = time.Duration(secs) * time.Second
	} else if at, err := http.ParseTime(v); err == nil {
		d = time.Until(at)
	}
	return min(max(d, 0), limit)
}

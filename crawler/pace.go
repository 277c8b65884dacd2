package crawler

import (
	"context"
	"errors"
	"fmt"
	"lede"
	"net/http"
	"net/http/httptrace"
	"sync"
	"time"
)

// Pacing. The least time between two requests to one host (its delay: the configured one or
// robots.txt's Crawl-delay, whichever is longer) is kept between the moments requests are
// actually sent, not between slots booked in advance: a worker that books a slot and then
// starts late (a loaded machine, a slow dial) would otherwise send its request less than the
// delay before the next worker's. So a request takes its host's slot in the host's
// RoundTripper, right before the transport, and with a delay set no other request of the host
// may take one until this one has been written on the wire; the next slot opens a delay
// after that moment (after the claim, when it is never written). Retry-After and circuit-
// breaker pauses push the same nextAt. Every wait gives up when the run stops. In a crawl
// shared by several processes (WithHostClock), the request also takes the host's slot on the
// shared clock, the same way: no other process takes it until the request was written, and
// then not before the delay.

// errNotSent is the error of a request the run stopped before it could be sent.
var errNotSent = errors.New("not sent: the crawl is stopping")

// notSent reports whether err means the request was never sent because the run stopped.
func notSent(err error) bool { return errors.Is(err, errNotSent) }

// pacedTransport is the RoundTripper of one host's collector: each request (redirect hops
// included) waits for the host's next slot, then goes to base.
type pacedTransport struct {
	r    *run
	h    *host
	base http.RoundTripper
}

// RoundTrip takes one of the host's slots for requests in flight (inflight.go) and the host's
// next slot in time, sends req through base and opens the next slot a delay after req was
// written; the first is given back when the answer's body is closed.
func (t *pacedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	release, err := t.r.inFlightSlot(t.h)
	if err != nil {
		return nil, err
	}
	sent, err := t.r.takeSlot(t.h)
	if err != nil {
		release()
		return nil, err
	}
	var once sync.Once
	written := func() { once.Do(sent) }
	ctx := httptrace.WithClientTrace(req.Context(), &httptrace.ClientTrace{
		WroteRequest: func(httptrace.WroteRequestInfo) { written() },
	})
	resp, err := t.base.RoundTrip(req.WithContext(ctx))
	written() // never written (a failed dial, say): the slot was used all the same
	if err != nil || resp == nil || resp.Body == nil {
		release()
		return resp, err
	}
	resp.Body = &releasingBody{ReadCloser: resp.Body, release: release}
	return resp, nil
}

// takeSlot waits until the host may be sent a request and claims that slot. The returned
// func must be called once the request is written (or failed): it opens the next slot.
func (r *run) takeSlot(h *host) (sent func(), err error) {
	for {
		r.mu.Lock()
		if r.stopping != "" {
			r.mu.Unlock()
			return nil, errNotSent
		}
		gate, at := h.sending, h.nextAt
		if now := time.Now(); gate == nil && !now.Before(at) {
			h.nextAt = now.Add(h.delay)
			var mine chan struct{}
			if h.delay > 0 {
				mine = make(chan struct{})
				h.sending = mine
			}
			delay := h.delay
			r.mu.Unlock()
			shared, err := r.sharedSlot(h, delay)
			if err != nil {
				r.slotUsed(h, mine)
				return nil, err
			}
			return func() {
				if shared != nil {
					shared()
				}
				r.slotUsed(h, mine)
			}, nil
		}
		r.mu.Unlock()
		if gate != nil {
			select {
			case <-gate:
				continue
			case <-r.ctx.Done():
			case <-r.halt:
			}
			return nil, errNotSent
		}
		if !r.waitUntil(at) {
			return nil, errNotSent
		}
	}
}

// sharedSlot waits, while holding the host's local slot, to take its slot on the shared host
// clock (WithHostClock), so that the host's delay holds across every process of the crawl.
// It returns what to call once the request was written (nil without a shared clock).
func (r *run) sharedSlot(h *host, delay time.Duration) (sent func(), err error) {
	clock := r.c.cfg.hostClock
	if clock == nil || delay <= 0 {
		return nil, nil
	}
	for {
		wait, err := clock.Take(r.ctx, h.name)
		if err != nil {
			if r.ctx.Err() != nil {
				return nil, errNotSent
			}
			return nil, fmt.Errorf("shared host clock: %w", err)
		}
		if wait <= 0 {
			break
		}
		// Another worker's request holds the slot until it is sent: look again soon.
		if !r.sleep(min(wait, sharedClockPoll)) {
			return nil, errNotSent
		}
	}
	return func() {
		ctx, cancel := context.WithTimeout(r.storeCtx, 5*time.Second)
		defer cancel()
		if err := clock.Sent(ctx, h.name, delay); err != nil {
			r.log.Warn("shared host clock", "host", h.name, "err", err)
		}
	}, nil
}

// sharedClockPoll is how often a request waiting for a host's slot taken by another process
// looks again.
const sharedClockPoll = 50 * time.Millisecond

// slotUsed notes that the request holding gate (nil without a delay) was written now: the
// host's next slot opens a delay from now, and the next request may claim it.
func (r *run) slotUsed(h *host, gate chan struct{}) {
	r.mu.Lock()
	if next := time.Now().Add(h.delay); next.After(h.nextAt) {
		h.nextAt = next
	}
	if gate != nil {
		if h.sending == gate {
			h.sending = nil
		}
		close(gate)
	}
	r.mu.Unlock()
}

// released notes the end of a request (its body read): the host's delay runs from here as
// well, so a slow answer is not followed at once by the next request.
func (r *run) released(h *host) {
	r.mu.Lock()
	if next := time.Now().Add(h.delay); next.After(h.nextAt) {
		h.nextAt = next
	}
	r.mu.Unlock()
}

// Page budget. --max-pages and a site's max_pages count the pages the hosts answered, not
// attempts: a request that failed (network error, 429, 5xx) gives its booking back. Pages in
// flight hold a booking, so the limits are never overshot; a worker whose page would exceed
// a limit only because of bookings in flight waits for them to settle.

// takePage books one page fetch against the limits. It reports false when the page must not
// be fetched: a limit was reached (the whole run stops at --max-pages), the host was given
// up on, or the run stops.
func (r *run) takePage(h *host) bool {
	limit := r.c.cfg.maxPages
	for {
		r.mu.Lock()
		site := h.site
		switch {
		case r.stopping != "" || h.dead || (site != nil && site.full):
			r.mu.Unlock()
			return false
		case limit > 0 && r.fetched >= limit:
			r.mu.Unlock()
			r.stop(lede.StopMaxPages)
			return false
		}
		busy := limit > 0 && r.fetched+r.pagesInFlight >= limit
		if site != nil && site.MaxPages > 0 && site.fetched+site.inFlight >= site.MaxPages {
			busy = true
		}
		if !busy {
			r.pagesInFlight++
			if site != nil {
				site.inFlight++
			}
			r.mu.Unlock()
			return true
		}
		r.mu.Unlock()
		if !r.sleep(10 * time.Millisecond) {
			return false
		}
	}
}

// settle notes how a fetch ended: an answer counts toward Summary.NothingFetched and, for a
// page, toward the limits (it may fill its site); a page's failed attempt gives its booking
// of takePage back.
func (r *run) settle(h *host, page, answered bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if answered {
		h.counts.answered++
	}
	if !page {
		return
	}
	r.pagesInFlight--
	site := h.site
	if site != nil {
		site.inFlight--
	}
	if !answered {
		return
	}
	r.fetched++
	if site != nil {
		site.fetched++
		if site.MaxPages > 0 && site.fetched >= site.MaxPages {
			site.full = true
		}
	}
}

// answered reports whether a request got an answer that counts as a fetch: any HTTP answer
// but the failures that are retried (429, 5xx), and a body refused for its type or size.
func answered(res *fetchResult) bool {
	if res.skip != "" || redirectScheme(res.err) != nil {
		return true
	}
	return res.status > 0 && !retryable(res)
}

package crawler

import (
	"context"
	"fmt"
	"io"
	"sync"
	"time"
)

// Requests in flight per host across the processes of a shared crawl. Within one process a
// host has at most its parallelism of workers; with a HostLimiter (the Redis frontier's), each
// request (each redirect hop) also holds one of the host's parallelism slots shared by every
// process, from before it is sent until its body is closed, so that the host sees no more
// requests at once than from one lede.

// inFlightSlot waits for one of the host's shared slots (at once without a HostLimiter) and
// returns what gives it back.
func (r *run) inFlightSlot(h *host) (release func(), err error) {
	lim, ok := r.c.frontier.(HostLimiter)
	if !ok {
		return func() {}, nil
	}
	for {
		token, err := lim.Acquire(r.ctx, h.name, h.parallelism)
		if err != nil {
			if r.ctx.Err() != nil {
				return nil, errNotSent
			}
			return nil, fmt.Errorf("shared requests in flight: %w", err)
		}
		if token != "" {
			var once sync.Once
			return func() {
				once.Do(func() {
					ctx, cancel := context.WithTimeout(r.storeCtx, 5*time.Second)
					defer cancel()
					if err := lim.ReleaseSlot(ctx, h.name, token); err != nil {
						r.log.Warn("shared requests in flight: slot not released; it expires by itself", "host", h.name, "err", err)
					}
				})
			}, nil
		}
		if !r.sleep(sharedClockPoll) {
			return nil, errNotSent
		}
	}
}

// releasingBody is a response body that gives its request's slot back when closed.
type releasingBody struct {
	io.ReadCloser
	release func()
}

// Close closes the body and releases the slot.
func (b *releasingBody) Close() error {
	err := b.ReadCloser.Close()
	b.release()
	return err
}

package redisfrontier_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"lede/crawler/redisfrontier"
	"lede/crawler/redisfrontier/redistest"
)

// item stands for the crawler's queue item.
type item struct {
	URL   string `json:"url"`
	Depth int    `json:"depth"`
}

func urlOf(it item) string { return it.URL }

func items(n int) []item {
	out := make([]item, n)
	for i := range out {
		out[i] = item{URL: fmt.Sprintf("http://127.0.0.1/a/%d", i), Depth: i % 3}
	}
	return out
}

// newWorker returns a frontier on srv for worker name, closed when the test ends.
func newWorker(t *testing.T, srv *redistest.Server, name string, opts ...redisfrontier.Option) *redisfrontier.Frontier[item] {
	f := redisfrontier.New(srv.Client(t), urlOf, append([]redisfrontier.Option{redisfrontier.WithWorker(name)}, opts...)...)
	t.Cleanup(func() { f.Close() })
	return f
}

func urls(its []item) []string {
	var out []string
	for _, it := range its {
		out = append(out, it.URL)
	}
	slices.Sort(out)
	return out
}

func TestPushPopDoneVisitedSet(t *testing.T) {
	srv := redistest.Start(t)
	ctx := context.Background()
	a := newWorker(t, srv, "a")
	b := newWorker(t, srv, "b")

	if n, err := a.Push(ctx, items(10)...); err != nil || n != 10 {
		t.Fatalf("push = %d, %v; want 10 new", n, err)
	}
	// Seeding the same URLs from another worker is harmless.
	if n, err := b.Push(ctx, items(10)...); err != nil || n != 0 {
		t.Fatalf("second push = %d, %v; want 0 new", n, err)
	}
	got, err := a.Pop(ctx, 4)
	if err != nil || len(got) != 4 || got[0] != items(1)[0] || got[1].Depth != 1 {
		t.Fatalf("pop = %v, %v; want the first 4 items, FIFO, with their fields", got, err)
	}
	rest, err := b.Pop(ctx, 100)
	if err != nil || len(rest) != 6 {
		t.Fatalf("b pop = %d items, %v; want the 6 a does not hold", len(rest), err)
	}
	if again, _ := a.Pop(ctx, 100); len(again) != 0 {
		t.Fatalf("pop with every item leased = %v; want none", again)
	}
	if n, _ := a.Len(ctx); n != 10 {
		t.Fatalf("len = %d; want 10 (leased items count until Done)", n)
	}
	if n, _ := a.Others(ctx); n != 6 {
		t.Fatalf("others = %d; want the 6 leased by b", n)
	}
	for _, it := range got {
		if err := a.Done(ctx, it.URL); err != nil {
			t.Fatal(err)
		}
	}
	if n, _ := a.Len(ctx); n != 6 {
		t.Fatalf("len after 4 done = %d; want 6", n)
	}
	// A URL done is still in the visited set: pushing it again queues nothing.
	if n, _ := b.Push(ctx, got[0]); n != 0 {
		t.Fatalf("push of a done URL = %d new; want 0", n)
	}
	if err := a.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	if n, _ := a.Len(ctx); n != 0 {
		t.Fatalf("len after reset = %d", n)
	}
	if n, _ := a.Push(ctx, got[0]); n != 1 {
		t.Fatalf("push after reset = %d new; want 1 (a new crawl)", n)
	}
}

func TestReleaseHandsTheURLToAnyWorker(t *testing.T) {
	srv := redistest.Start(t)
	ctx := context.Background()
	a := newWorker(t, srv, "a")
	b := newWorker(t, srv, "b")
	a.Push(ctx, items(3)...)
	got, _ := a.Pop(ctx, 1)
	b.Release(got[0].URL) // not b's lease: a no-op
	if again, _ := b.Pop(ctx, 1); again[0].URL == got[0].URL {
		t.Fatalf("b took a URL a holds")
	}
	a.Release(got[0].URL)
	again, _ := b.Pop(ctx, 1)
	if len(again) != 1 || again[0].URL != got[0].URL {
		t.Fatalf("after release b pops %v; want %s first", again, got[0].URL)
	}
}

// A worker that dies (no renewal, no Release) loses its leases after the lease duration, and
// another worker takes its URLs; a living worker keeps its leases however long it works.
func TestLeasesExpireUnlessRenewed(t *testing.T) {
	srv := redistest.Start(t)
	ctx := context.Background()
	const lease = 300 * time.Millisecond
	alive := newWorker(t, srv, "alive", redisfrontier.WithLease(lease))
	dead := redisfrontier.New(srv.Client(t), urlOf, redisfrontier.WithWorker("dead"), redisfrontier.WithLease(lease))
	alive.Push(ctx, items(4)...)
	kept, _ := alive.Pop(ctx, 2)
	lost, _ := dead.Pop(ctx, 2)
	dead.Close() // stops renewing, as a process killed with SIGKILL

	if got, _ := alive.Pop(ctx, 10); len(got) != 0 {
		t.Fatalf("pop right away = %v; want nothing (leases held)", got)
	}
	time.Sleep(4 * lease)
	got, err := alive.Pop(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(urls(got), urls(lost)) {
		t.Fatalf("after the lease, pop = %v; want the dead worker's %v and none of the renewed %v", urls(got), urls(lost), urls(kept))
	}
	w, err := alive.Workers(ctx)
	if err != nil || w["alive"] != 4 {
		t.Fatalf("workers = %v, %v; want alive holding 4 leases", w, err)
	}
}

// Many workers popping at once: every URL is handed out exactly once.
func TestConcurrentWorkersTakeEachURLOnce(t *testing.T) {
	srv := redistest.Start(t)
	ctx := context.Background()
	seed := newWorker(t, srv, "seed")
	if _, err := seed.Push(ctx, items(500)...); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	taken := map[string]int{}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			f := redisfrontier.New(srv.Client(t), urlOf, redisfrontier.WithWorker(fmt.Sprint("w", w)))
			defer f.Close()
			for {
				got, err := f.Pop(ctx, 7)
				if err != nil {
					t.Error(err)
					return
				}
				if len(got) == 0 {
					return
				}
				for _, it := range got {
					mu.Lock()
					taken[it.URL]++
					mu.Unlock()
					if err := f.Done(ctx, it.URL); err != nil {
						t.Error(err)
					}
				}
			}
		})
	}
	wg.Wait()
	if len(taken) != 500 {
		t.Fatalf("%d URLs taken; want 500", len(taken))
	}
	for u, n := range taken {
		if n != 1 {
			t.Fatalf("%s taken %d times", u, n)
		}
	}
	if n, _ := seed.Len(ctx); n != 0 {
		t.Fatalf("len = %d after all done", n)
	}
}

func TestRedisGoneIsAnError(t *testing.T) {
	srv := redistest.Start(t)
	ctx := context.Background()
	f := newWorker(t, srv, "f")
	f.Push(ctx, items(2)...)
	srv.Stop()
	if _, err := f.Pop(ctx, 1); err == nil {
		t.Fatal("pop with Redis gone: no error")
	}
	if _, err := f.Push(ctx, item{URL: "http://127.0.0.1/x"}); err == nil {
		t.Fatal("push with Redis gone: no error")
	}
}

// One host's slot: taken by one worker until its request is sent, then free a delay later,
// for any worker; another host has its own.
func TestHostSlotIsOneForAllWorkers(t *testing.T) {
	srv := redistest.Start(t)
	ctx := context.Background()
	a, b := newWorker(t, srv, "a"), newWorker(t, srv, "b")
	const delay = 2 * time.Second
	if w, err := a.Take(ctx, "news.test"); err != nil || w != 0 {
		t.Fatalf("first take = %v, %v; want the slot", w, err)
	}
	if w, _ := b.Take(ctx, "news.test"); w < 20*time.Second {
		t.Fatalf("take while a's request is unsent = %v; want a long hold", w)
	}
	if w, _ := b.Take(ctx, "other.test"); w != 0 {
		t.Fatalf("another host waits %v; want its own slot, free", w)
	}
	if err := a.Sent(ctx, "news.test", delay); err != nil {
		t.Fatal(err)
	}
	w, _ := b.Take(ctx, "news.test")
	if w <= delay/2 || w > delay {
		t.Fatalf("take right after a's request was sent = wait %v; want about %v", w, delay)
	}
	time.Sleep(w + 50*time.Millisecond)
	if w, _ := b.Take(ctx, "news.test"); w != 0 {
		t.Fatalf("take after the delay = wait %v; want the slot", w)
	}
}

func TestStatsCountsPerHostAndWorkers(t *testing.T) {
	srv := redistest.Start(t)
	ctx := context.Background()
	w := newWorker(t, srv, "w")
	viewer := newWorker(t, srv, "viewer")
	w.Push(ctx, items(3)...)
	w.Push(ctx, item{URL: "http://other.test/x"})
	w.Pop(ctx, 2)
	time.Sleep(100 * time.Millisecond)
	st, err := viewer.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Pending != 4 || st.Leased != 2 || st.Waiting != 2 || st.Seen != 4 ||
		st.ByHost["127.0.0.1"] != 3 || st.ByHost["other.test"] != 1 {
		t.Fatalf("stats = %+v", st)
	}
	if len(st.Workers) != 1 || st.Workers["w"] != 2 {
		t.Fatalf("workers = %v; want w holding 2 (a frontier that never popped is no worker)", st.Workers)
	}
	if st.Seeding != 0 {
		t.Fatalf("seeding = %d; want none", st.Seeding)
	}
	done, err := w.Seeding(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := viewer.Stats(ctx); st.Seeding != 1 {
		t.Fatalf("seeding = %d while a worker seeds; want 1", st.Seeding)
	}
	done()
	if st, _ := viewer.Stats(ctx); st.Seeding != 0 {
		t.Fatalf("seeding = %d after it ended; want none", st.Seeding)
	}
}

package redisfrontier_test

import (
	"context"
	"testing"
	"time"

	"lede/crawler/redisfrontier"
	"lede/crawler/redisfrontier/redistest"
)

// A host's requests in flight are bounded for all workers together; a worker renews its
// slots while it lives, and a worker that dies loses them after its lease.
func TestAcquireBoundsRequestsInFlightAcrossWorkers(t *testing.T) {
	srv := redistest.Start(t)
	ctx := context.Background()
	a := newWorker(t, srv, "a")
	b := newWorker(t, srv, "b", redisfrontier.WithLease(time.Second))
	t1, err := a.Acquire(ctx, "news.test", 2)
	if err != nil || t1 == "" {
		t.Fatalf("first slot: %q, %v", t1, err)
	}
	if t2, _ := b.Acquire(ctx, "news.test", 2); t2 == "" {
		t.Fatal("second slot refused; want 2 in flight")
	}
	if t3, _ := a.Acquire(ctx, "news.test", 2); t3 != "" {
		t.Fatal("third slot given while 2 are in flight")
	}
	if other, _ := a.Acquire(ctx, "other.test", 2); other == "" {
		t.Fatal("another host's slot refused")
	}
	if err := a.ReleaseSlot(ctx, "news.test", t1); err != nil {
		t.Fatal(err)
	}
	if t3, _ := b.Acquire(ctx, "news.test", 2); t3 == "" {
		t.Fatal("slot not given back by ReleaseSlot")
	}
	// b holds two slots past its lease: it renews them.
	time.Sleep(2 * time.Second)
	if t4, _ := a.Acquire(ctx, "news.test", 2); t4 != "" {
		t.Fatal("a live worker's slots expired")
	}
	// b dies holding them: they free themselves after its lease.
	b.Close()
	time.Sleep(2 * time.Second)
	if t4, _ := a.Acquire(ctx, "news.test", 2); t4 == "" {
		t.Fatal("a dead worker's slot did not expire")
	}
}

// End ends the crawl only when the ending worker is the last with work: not while another
// seeds, not while URLs are pending or leased; its leftovers stay queued for the next crawl.
func TestEndOnlyWhenLastAndNeverLosesASeeder(t *testing.T) {
	srv := redistest.Start(t)
	ctx := context.Background()
	a, b := newWorker(t, srv, "a"), newWorker(t, srv, "b")
	its := items(3)
	if _, err := a.Push(ctx, its...); err != nil {
		t.Fatal(err)
	}
	got, _ := a.Pop(ctx, 3)
	if ended, err := a.End(ctx, nil); err != nil || ended {
		t.Fatalf("End with 3 URLs leased = %v, %v; want false", ended, err)
	}
	for _, it := range got[:2] {
		a.Done(ctx, it.URL)
	}
	a.Release(got[2].URL) // given up on in this run: a leftover

	// b starts while a ends the crawl: it seeds URLs a has already seen and one more.
	done, err := b.Seeding(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if ended, _ := a.End(ctx, got[2:]); ended {
		t.Fatal("End while another worker seeds; want false")
	}
	seeds := append(items(2), item{URL: "http://127.0.0.1/late"})
	if n, _ := b.Push(ctx, seeds...); n != 1 {
		t.Fatalf("late seeding queued %d; want only the URL the crawl has not seen", n)
	}
	done()
	if ended, _ := a.End(ctx, got[2:]); ended {
		t.Fatal("End with the late seeder's URL pending; want false")
	}
	late, _ := b.Pop(ctx, 10)
	if len(late) != 2 {
		t.Fatalf("b popped %v; want the leftover and its own seed", urls(late))
	}
	b.Done(ctx, late[0].URL)
	b.Done(ctx, late[1].URL)

	// The last worker ends the crawl; a leftover still pending stays queued for the next one.
	if _, err := a.Push(ctx, item{URL: "http://127.0.0.1/left"}); err != nil {
		t.Fatal(err)
	}
	left, _ := a.Pop(ctx, 1)
	a.Release(left[0].URL)
	if ended, err := a.End(ctx, left); err != nil || !ended {
		t.Fatalf("End by the last worker = %v, %v; want true", ended, err)
	}
	if n, _ := a.Len(ctx); n != 1 {
		t.Fatalf("after End %d pending; want the leftover", n)
	}
	if n, _ := b.Push(ctx, items(3)...); n != 3 {
		t.Fatalf("next crawl's seeding queued %d of 3; want all (the visited set was emptied)", n)
	}
	if n, _ := b.Push(ctx, left...); n != 0 {
		t.Fatal("the leftover was queued twice")
	}
}

// One worker fetches a host's robots.txt; the others wait for its answer and read it.
func TestRobotsTakenByOneWorker(t *testing.T) {
	srv := redistest.Start(t)
	ctx := context.Background()
	a, b := newWorker(t, srv, "a"), newWorker(t, srv, "b")
	_, _, found, mine, err := a.TakeRobots(ctx, "news.test", time.Minute)
	if err != nil || found || !mine {
		t.Fatalf("first take: found %v mine %v, %v; want the fetch", found, mine, err)
	}
	if _, _, found, mine, _ := b.TakeRobots(ctx, "news.test", time.Minute); found || mine {
		t.Fatal("second worker took the fetch while the first fetches")
	}
	body := []byte("User-agent: *\nDisallow: /a|b\n")
	if err := a.PutRobots(ctx, "news.test", 200, body, time.Hour); err != nil {
		t.Fatal(err)
	}
	status, got, found, _, err := b.TakeRobots(ctx, "news.test", time.Minute)
	if err != nil || !found || status != 200 || string(got) != string(body) {
		t.Fatalf("second take = %d %q found %v, %v; want the first's answer", status, got, found, err)
	}
	// An expired answer is fetched again; a dropped fetch goes to the next worker.
	a.PutRobots(ctx, "down.test", 503, nil, 20*time.Millisecond)
	time.Sleep(40 * time.Millisecond)
	if _, _, found, mine, _ := b.TakeRobots(ctx, "down.test", time.Minute); found || !mine {
		t.Fatal("an expired answer was not fetched again")
	}
	b.DropRobots(ctx, "down.test")
	if _, _, _, mine, _ := a.TakeRobots(ctx, "down.test", time.Minute); !mine {
		t.Fatal("a dropped fetch did not go to the next worker")
	}
}

// Chrome counted by two workers is one host's counts: either reads the blocks both counted.
func TestChromeCountsAreTheCrawls(t *testing.T) {
	srv := redistest.Start(t)
	ctx := context.Background()
	a, b := newWorker(t, srv, "a"), newWorker(t, srv, "b")
	const chromeFP, rareFP = 42, 7
	if err := a.AddBlockCounts(ctx, "news.test", 12, map[uint64]int{chromeFP: 12, rareFP: 2}); err != nil {
		t.Fatal(err)
	}
	if set, _ := b.HostChrome(ctx, "news.test", 20, 0.6); len(set) != 0 {
		t.Fatalf("chrome %v learned from 12 pages; want none before 20", set)
	}
	if err := b.AddBlockCounts(ctx, "news.test", 12, map[uint64]int{chromeFP: 11}); err != nil {
		t.Fatal(err)
	}
	set, err := a.HostChrome(ctx, "news.test", 20, 0.6)
	if err != nil || len(set) != 1 || !set[chromeFP] {
		t.Fatalf("chrome = %v, %v; want the block on 23 of 24 pages", set, err)
	}
	if pages, fps, _ := b.ChromeStats(ctx, "news.test"); pages != 24 || fps != 2 {
		t.Fatalf("stats = %d pages, %d fingerprints; want 24, 2", pages, fps)
	}
	// The counts stay bounded: the rarest go beyond the cap.
	many := map[uint64]int{}
	for i := range 3000 {
		many[uint64(1000+i)] = 1
	}
	if err := a.AddBlockCounts(ctx, "news.test", 1, many); err != nil {
		t.Fatal(err)
	}
	if _, fps, _ := a.ChromeStats(ctx, "news.test"); fps > 2048 {
		t.Fatalf("%d fingerprints kept; want at most the cap", fps)
	}
	if set, _ := a.HostChrome(ctx, "news.test", 20, 0.6); !set[chromeFP] {
		t.Fatal("eviction dropped the learned chrome")
	}
}

package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
)

// syncBuffer is a bytes.Buffer safe for a writer and a reader in different goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestScheduleRunsIncrementally: the schedule crawls at once, then again when its interval
// has passed (on a fake clock) without fetching stored articles, and stops with exit 130
// when interrupted.
func TestScheduleRunsIncrementally(t *testing.T) {
	clock := clockwork.NewFakeClock()
	scheduleClock = clock
	t.Cleanup(func() { scheduleClock = clockwork.NewRealClock() })
	s := newNewsSite(t, 5)
	db := filepath.Join(t.TempDir(), "lede.db")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr syncBuffer
	code := make(chan int, 1)
	go func() {
		code <- run(ctx, []string{"schedule", "--db", db, "--every", "1h", "--delay", "0", "--quiet", s.URL + "/"},
			strings.NewReader(""), &stdout, &stderr)
	}()
	runs := func() int { return strings.Count(stdout.String(), "\n") }
	waitFor(t, "the first run, at once", func() bool { return runs() >= 1 })
	// The scheduler's one timer, the next tick's, is set: move the clock to just before it.
	if err := clock.BlockUntilContext(untilDeadline(t), 1); err != nil {
		t.Fatal("the schedule set no timer for its next run")
	}
	clock.Advance(59 * time.Minute)
	time.Sleep(300 * time.Millisecond) // time for a wrong tick to reach the site
	if fronts := s.hitsOf("/"); fronts != 1 || runs() != 1 {
		t.Fatalf("a second run before the hour was up: front page fetched %d times, output:\n%s", fronts, stdout.String())
	}
	// A tick while the first run is still finishing is skipped (runs never overlap): the
	// clock moves on a minute at a time until the second run is done.
	waitFor(t, "a second run an hour later", func() bool {
		clock.Advance(time.Minute)
		return runs() >= 2
	})
	cancel()
	select {
	case c := <-code:
		if c != exitInterrupted {
			t.Errorf("exit %d, want 130; stderr: %s", c, stderr.String())
		}
	case <-untilDeadline(t).Done():
		t.Fatal("schedule did not stop after cancellation")
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	first, second := summaryLine(t, lines[0]), summaryLine(t, lines[1])
	if first["new_articles"] != 5.0 || second["new_articles"] != 0.0 || second["already_stored"] != 5.0 {
		t.Errorf("runs: %v then %v; want 5 new, then 5 already stored", first, second)
	}
	if total, _ := s.articleHits(); total != 5 {
		t.Errorf("articles fetched %d times over the runs, want 5", total)
	}
}

// TestScheduleEveryAndCron: --every and --cron both say when to run; both is a usage error.
func TestScheduleEveryAndCron(t *testing.T) {
	db := filepath.Join(t.TempDir(), "lede.db")
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"schedule", "--db", db, "--every", "1h", "--cron", "*/5 * * * *", "http://127.0.0.1:1/"},
		strings.NewReader(""), &stdout, &stderr)
	if code != exitUsage || !strings.Contains(stderr.String(), "--every and --cron") {
		t.Errorf("schedule --every --cron: exit %d, %q; want 2", code, stderr.String())
	}
	if _, err := os.Stat(db); !errors.Is(err, os.ErrNotExist) {
		t.Error("a usage error created the store")
	}
}

// TestScheduleStopsOnDamagedStore: a damaged store stays damaged until someone restores it,
// so the schedule does not fail run after run in silence: it stops at the first run that
// finds the damage, exits 1 naming the file and saying what to do, and never writes to it.
func TestScheduleStopsOnDamagedStore(t *testing.T) {
	s := newNewsSite(t, 2)
	db := damagedStores(t)["cut short"]
	before, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	ctx := untilDeadline(t)
	var stdout, stderr syncBuffer
	code := run(ctx, []string{"schedule", "--db", db, "--every", "1h", "--delay", "0", "--quiet", s.URL + "/"},
		strings.NewReader(""), &stdout, &stderr)
	if ctx.Err() != nil {
		t.Fatal("schedule went on with a damaged store")
	}
	if code != exitFailed {
		t.Errorf("exit %d, want 1; stderr:\n%s", code, stderr.String())
	}
	for _, want := range []string{db + " is damaged", "lede stats --check --db " + db, "backup"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
		}
	}
	if sum := summaryLine(t, strings.TrimSpace(stdout.String())); sum["stopped"] != "failed" {
		t.Errorf("summary %v, want stopped: failed", sum)
	}
	if after, _ := os.ReadFile(db); !bytes.Equal(before, after) {
		t.Fatal("schedule wrote to the damaged store")
	}
}

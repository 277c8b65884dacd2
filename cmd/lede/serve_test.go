package main

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"lede/store"
)

// freeAddr returns a loopback address no one listens on (just now).
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// fetch GETs url and returns the status and body (status 0 when nothing answers).
func fetch(url string) (int, string) {
	resp, err := http.Get(url)
	if err != nil {
		return 0, ""
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// startLede runs lede with args in-process until the test ends (or stop is called) and
// returns its exit code channel.
func startLede(t *testing.T, args ...string) (stop func(), code <-chan int, stdout, stderr *syncBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr = &syncBuffer{}, &syncBuffer{}
	c := make(chan int, 1)
	go func() { c <- run(ctx, args, strings.NewReader(""), stdout, stderr) }()
	t.Cleanup(cancel)
	return cancel, c, stdout, stderr
}

func waitExit(t *testing.T, code <-chan int, want int, stderr *syncBuffer) {
	t.Helper()
	select {
	case c := <-code:
		if c != want {
			t.Errorf("exit %d, want %d; stderr:\n%s", c, want, stderr.String())
		}
	case <-untilDeadline(t).Done():
		t.Fatal("lede did not stop")
	}
}

// TestServe: lede serve shows a demo store, never keeps a crawl out of it, says so while a
// crawl holds it, and stops with exit 130.
func TestServe(t *testing.T) {
	db := filepath.Join(t.TempDir(), "demo.db")
	if c := run(context.Background(), []string{"demo", "--db", db}, strings.NewReader(""), io.Discard, io.Discard); c != exitOK {
		t.Fatalf("demo: exit %d", c)
	}
	// The demo's crawl was recorded for the overview's list of runs.
	st, err := store.Open(db, store.ReadOnly())
	if err != nil {
		t.Fatal(err)
	}
	runs, err := st.Runs(context.Background(), 10)
	st.Close()
	if err != nil || len(runs) != 1 || !strings.Contains(string(runs[0].Summary), `"new_articles":5`) {
		t.Fatalf("recorded runs %v (%v), want the demo crawl's", runs, err)
	}

	addr := freeAddr(t)
	stop, code, _, stderr := startLede(t, "serve", "--db", db, "--addr", addr)
	base := "http://" + addr
	// The overview answers at once and lists the articles once the index has read them.
	waitFor(t, "lede serve to list the articles", func() bool {
		c, body := fetch(base + "/")
		return c == http.StatusOK && strings.Contains(body, `href="/a/`)
	})
	status, body := fetch(base + "/")
	for _, want := range []string{`href="/site/127.0.0.1"`, "5 articles", "Last crawls", "واشنطن تجدد دعوتها"} {
		if !strings.Contains(body, want) {
			t.Errorf("overview (%d) lacks %q", status, want)
		}
	}
	id := regexp.MustCompile(`href="/a/([0-9a-f]{16})"`).FindStringSubmatch(body)
	if id == nil {
		t.Fatal("no article link on the overview")
	}
	if c, _ := fetch(base + "/a/" + id[1] + "/explain"); c != http.StatusOK {
		t.Errorf("explain view: %d", c)
	}
	if strings.Contains(stderr.String(), "warning") {
		t.Errorf("loopback address warned about: %s", stderr.String())
	}

	// A crawl (here, a writer) opens the store at once although lede serve is running.
	crawl, err := store.Open(db, store.WithTimeout(200*time.Millisecond))
	if err != nil {
		t.Fatalf("lede serve keeps a crawl out of the store: %v", err)
	}
	c, body := fetch(base + "/a/" + id[1])
	crawl.Close()
	if c != http.StatusServiceUnavailable || !strings.Contains(body, "try again in a moment") {
		t.Errorf("page while a crawl holds the store: %d", c)
	}
	if c, _ := fetch(base + "/a/" + id[1]); c != http.StatusOK {
		t.Errorf("page after the crawl let go: %d", c)
	}
	stop()
	waitExit(t, code, exitInterrupted, stderr)
}

func TestServeErrors(t *testing.T) {
	db := filepath.Join(t.TempDir(), "demo.db")
	if c := run(context.Background(), []string{"demo", "--db", db}, strings.NewReader(""), io.Discard, io.Discard); c != exitOK {
		t.Fatalf("demo: exit %d", c)
	}
	for _, tc := range []struct {
		args []string
		code int
		want []string
	}{
		{[]string{"serve", "--db", filepath.Join(t.TempDir(), "none.db")}, exitFailed, []string{"none.db does not exist"}},
		{[]string{"serve", "--db", db, "--addr", "nonsense"}, exitUsage, []string{`--addr "nonsense"`}},
		// A documentation address (TEST-NET-1) is not loopback: warned about, then it cannot
		// be bound on this machine.
		{[]string{"serve", "--db", db, "--addr", "192.0.2.1:0"}, exitFailed, []string{"warning: 192.0.2.1:0 is not a loopback address: the corpus becomes visible to the network", "listen on 192.0.2.1:0"}},
	} {
		var stderr syncBuffer
		c := run(context.Background(), tc.args, strings.NewReader(""), io.Discard, &stderr)
		if c != tc.code {
			t.Errorf("%v: exit %d, want %d; stderr:\n%s", tc.args, c, tc.code, stderr.String())
		}
		for _, w := range tc.want {
			if !strings.Contains(stderr.String(), w) {
				t.Errorf("%v: stderr lacks %q:\n%s", tc.args, w, stderr.String())
			}
		}
	}
}

// TestScheduleServe: lede schedule --serve serves the UI from the scheduling process and
// /metrics counts the runs' fetches, articles and runs.
func TestScheduleServe(t *testing.T) {
	s := newNewsSite(t, 5)
	db := filepath.Join(t.TempDir(), "lede.db")
	addr := freeAddr(t)
	clock := clockwork.NewFakeClock()
	scheduleClock = clock
	t.Cleanup(func() { scheduleClock = clockwork.NewRealClock() })
	stop, code, stdout, stderr := startLede(t, "schedule", "--db", db, "--every", "1h", "--delay", "0", "--quiet",
		"--serve="+addr, s.URL+"/")
	base := "http://" + addr
	// A tick while the first run is still finishing is skipped (runs never overlap): the
	// clock moves on an hour at a time until the second run is done.
	waitFor(t, "two scheduled runs", func() bool {
		clock.Advance(time.Hour)
		return strings.Count(stdout.String(), "\n") >= 2
	})

	c, body := fetch(base + "/metrics")
	if c != http.StatusOK {
		t.Fatalf("/metrics: %d", c)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(strings.NewReader(body))
	if err != nil {
		t.Fatalf("/metrics does not parse: %v", err)
	}
	sum := func(name string, label, value string) float64 {
		total := 0.0
		for _, m := range fams[name].GetMetric() {
			ok := label == ""
			for _, l := range m.GetLabel() {
				ok = ok || (l.GetName() == label && l.GetValue() == value)
			}
			if ok {
				total += m.GetCounter().GetValue()
			}
		}
		return total
	}
	host := strings.TrimPrefix(s.URL, "http://")
	if got := sum("lede_crawl_articles_total", "host", host); got != 5 {
		t.Errorf("lede_crawl_articles_total{host=%q} = %v, want 5", host, got)
	}
	if got := sum("lede_crawl_fetches_total", "host", host); got < 6 {
		t.Errorf("lede_crawl_fetches_total{host=%q} = %v, want the front and 5 articles at least", host, got)
	}
	if got := sum("lede_crawl_runs_total", "result", "done"); got < 2 {
		t.Errorf("lede_crawl_runs_total{result=done} = %v, want 2 runs or more", got)
	}
	if fams["lede_crawl_run_duration_seconds"].GetMetric()[0].GetHistogram().GetSampleCount() < 2 {
		t.Error("run durations not observed")
	}
	c, body = fetch(base + "/")
	if c != http.StatusOK || !strings.Contains(body, "Last crawls") || strings.Count(body, "<td>done</td>") < 2 {
		t.Errorf("overview during the schedule: %d, runs listed %d", c, strings.Count(body, "<td>done</td>"))
	}
	stop()
	waitExit(t, code, exitInterrupted, stderr)
	// The store was released: another lede can open it.
	st, err := store.Open(db, store.WithTimeout(200*time.Millisecond))
	if err != nil {
		t.Fatalf("store held after the schedule stopped: %v", err)
	}
	st.Close()
}

// TestDemoServe: lede demo --serve opens the demo corpus in the UI.
func TestDemoServe(t *testing.T) {
	addr := freeAddr(t)
	stop, code, stdout, stderr := startLede(t, "demo", "--serve="+addr)
	waitFor(t, "the demo's UI", func() bool { return strings.Contains(stderr.String(), "Browse the demo corpus on http://"+addr) })
	c, body := fetch("http://" + addr + "/")
	if c != http.StatusOK || !strings.Contains(body, `href="/site/127.0.0.1"`) || !strings.Contains(body, "lede demo") {
		t.Errorf("demo overview: %d\n%s", c, body)
	}
	var sum struct {
		New int `json:"new_articles"`
	}
	if err := json.Unmarshal([]byte(strings.SplitN(stdout.String(), "\n", 2)[0]), &sum); err != nil || sum.New != 5 {
		t.Errorf("demo summary %q", strings.SplitN(stdout.String(), "\n", 2)[0])
	}
	stop()
	waitExit(t, code, exitInterrupted, stderr)
}

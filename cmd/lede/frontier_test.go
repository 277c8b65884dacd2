package main

import (
	"bytes"
	"encoding/json"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"lede/crawler/redisfrontier/redistest"
)

func TestCrawlFrontierUsageErrors(t *testing.T) {
	db := filepath.Join(t.TempDir(), "lede.db")
	for _, fr := range []string{
		"http://:hunter2@127.0.0.1:6379/0",
		"redis://:hunter2@127.0.0.1:6379/notanumber",
		"redis://:hunter2@127.0.0.1:6379/0/1",
	} {
		code, _, stderr := ledeExec(t, "crawl", "--db", db, "--frontier", fr, "http://127.0.0.1:1/")
		if code != exitUsage {
			t.Errorf("--frontier %s: exit %d, want %d; stderr: %s", fr, code, exitUsage, stderr)
		}
		if !strings.Contains(stderr, "--frontier") || strings.Contains(stderr, "hunter2") {
			t.Errorf("--frontier %s: stderr %q should name the flag and never the password", fr, stderr)
		}
	}
}

func TestCrawlFrontierUnreachable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	code, _, stderr := ledeExec(t, "crawl", "--db", filepath.Join(t.TempDir(), "lede.db"),
		"--frontier", "redis://:hunter2@"+addr+"/0", "http://127.0.0.1:1/")
	if code != exitFailed {
		t.Fatalf("exit %d, want %d; stderr: %s", code, exitFailed, stderr)
	}
	if !strings.Contains(stderr, addr) || strings.Contains(stderr, "hunter2") {
		t.Fatalf("stderr %q should name %s and never the password", stderr, addr)
	}
}

// Two workers share one crawl: every article is fetched once and stored in one shard, and
// each shard holds part of the work.
func TestCrawlTwoWorkersShareOneFrontier(t *testing.T) {
	srv := redistest.Start(t)
	s := newNewsSite(t, 80)
	s.setDelay(100 * time.Millisecond)
	dir := t.TempDir()
	args := func(shard string) []string {
		return []string{"--db", filepath.Join(dir, shard), "--frontier", srv.URL(3), "--delay", "0",
			"--parallelism", "2", "--quiet", s.URL + "/"}
	}
	a, aout, aerr := startCrawl(t, args("a.db")...)
	b, bout, berr := startCrawl(t, args("b.db")...)
	if err := a.Wait(); err != nil {
		t.Fatalf("worker a: %v\n%s", err, aerr)
	}
	if err := b.Wait(); err != nil {
		t.Fatalf("worker b: %v\n%s", err, berr)
	}
	sa, sb := summaryLine(t, aout.String()), summaryLine(t, bout.String())
	stored := storedURLs(t, filepath.Join(dir, "a.db"))
	inB := storedURLs(t, filepath.Join(dir, "b.db"))
	if len(stored) == 0 || len(inB) == 0 {
		t.Errorf("shards hold %d and %d articles; want both a part (summaries %v, %v)\n%s\n%s", len(stored), len(inB), sa, sb, aerr, berr)
	}
	for u, n := range inB {
		stored[u] += n
	}
	checkEveryArticleOnce(t, s, stored)
	if total, distinct := s.articleHits(); total != distinct {
		t.Errorf("%d article fetches for %d articles: a URL was fetched by both workers", total, distinct)
	}
}

// A scheduled re-run of a shared crawl: a fresh shard (a new machine) and one of the first
// run's shards share it. No article stored by the first run's workers is fetched again, by
// either; the articles published since are fetched once; the merged shards export each once.
func TestCrawlWorkersReRunFetchOnlyWhatIsNew(t *testing.T) {
	srv := redistest.Start(t)
	s := newNewsSite(t, 60)
	dir := t.TempDir()
	shard := func(name string) string { return filepath.Join(dir, name) }
	run := func(shards ...string) []map[string]any {
		var cmds []*exec.Cmd
		var outs, errs []*bytes.Buffer
		for _, name := range shards {
			cmd, out, errb := startCrawl(t, "--db", shard(name), "--frontier", srv.URL(2), "--delay", "0",
				"--parallelism", "2", "--quiet", s.URL+"/")
			cmds, outs, errs = append(cmds, cmd), append(outs, out), append(errs, errb)
		}
		waitAll(t, cmds, errs)
		var sums []map[string]any
		for _, out := range outs {
			sums = append(sums, summaryLine(t, out.String()))
		}
		return sums
	}
	run("a.db", "b.db")
	if fetches, distinct := s.articleHits(); fetches != 60 || distinct != 60 {
		t.Fatalf("first run: %d article fetches of %d distinct; want 60 of 60", fetches, distinct)
	}

	s.setArticles(80)
	sums := run("c.db", "a.db")
	if fetches, distinct := s.articleHits(); fetches != 80 || distinct != 80 {
		t.Errorf("two runs: %d article fetches of %d distinct; want 80 of 80: each article fetched once, by one worker", fetches, distinct)
	}
	skipped := 0.0
	for _, sum := range sums {
		skipped += sum["already_stored"].(float64)
	}
	if skipped == 0 {
		t.Errorf("the re-run met no stored article (summaries %v): the test tests nothing", sums)
	}

	total := map[string]int{}
	for _, name := range []string{"a.db", "b.db", "c.db"} {
		for u, n := range storedURLs(t, shard(name)) {
			total[u] += n
		}
	}
	checkEveryArticleOnce(t, s, total)
}

// Redis going away mid-crawl stops the worker: exit 1, a message naming Redis, and what it
// stored stays stored.
func TestCrawlRedisLostMidCrawl(t *testing.T) {
	srv := redistest.Start(t)
	s := newNewsSite(t, 200)
	s.setDelay(30 * time.Millisecond)
	db := filepath.Join(t.TempDir(), "a.db")
	cmd, out, errb := startCrawl(t, "--db", db, "--frontier", srv.URL(0), "--delay", "0", s.URL+"/")
	waitFor(t, "some articles fetched", func() bool { n, _ := s.articleHits(); return n >= 10 })
	srv.Stop()
	err := cmd.Wait()
	code := cmd.ProcessState.ExitCode()
	if code != exitFailed {
		t.Fatalf("exit %d (%v), want %d; stderr: %s", code, err, exitFailed, errb)
	}
	if !strings.Contains(errb.String(), "lost the Redis frontier at "+srv.Addr) {
		t.Fatalf("stderr should say Redis at %s was lost: %s", srv.Addr, errb)
	}
	sum := summaryLine(t, out.String())
	stored := storedURLs(t, db)
	if len(stored) == 0 || float64(len(stored)) < sum["new_articles"].(float64) {
		t.Fatalf("%d articles in the shard, summary says %v new: what was stored must stay", len(stored), sum["new_articles"])
	}
}

// Two workers crawling one host with --delay: the host sees its requests a delay apart, as
// from one lede (the server's own request times tell).
func TestCrawlWorkersShareHostDelay(t *testing.T) {
	srv := redistest.Start(t)
	s := newNewsSite(t, 25)
	const delay = 250 * time.Millisecond
	dir := t.TempDir()
	var cmds []*exec.Cmd
	var errs []*bytes.Buffer
	for _, shard := range []string{"a.db", "b.db"} {
		cmd, _, errb := startCrawl(t, "--db", filepath.Join(dir, shard), "--frontier", srv.URL(0),
			"--delay", delay.String(), "--parallelism", "2", "--quiet", s.URL+"/")
		cmds, errs = append(cmds, cmd), append(errs, errb)
	}
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("worker %d: %v\n%s", i, err, errs[i])
		}
	}
	s.mu.Lock()
	times, paths := slices.Clone(s.times), slices.Clone(s.paths)
	s.mu.Unlock()
	if len(times) < 25 {
		t.Fatalf("%d requests; want the whole site", len(times))
	}
	// The host's slot opens a delay after a request was sent; the server sees it a little
	// later, so a request that took longer to arrive may come a little closer to the next.
	for i := 1; i < len(times); i++ {
		if gap := times[i].Sub(times[i-1]); gap < delay/2 {
			t.Errorf("requests %d and %d (%s, %s) came %v apart; want at least about %v", i-1, i, paths[i-1], paths[i], gap, delay)
		}
	}
}

// Three workers share a crawl: the first is killed with SIGKILL midway, the third joins late.
// Every article is stored in some shard, the merged export holds each once, the killed
// worker's URLs were fetched by the others after its leases expired, and few articles were
// fetched twice (only those the killed worker had fetched and not yet marked done).
func TestCrawlWorkersSurviveAKillAndALateJoiner(t *testing.T) {
	srv := redistest.Start(t)
	s := newNewsSite(t, 300)
	s.setDelay(60 * time.Millisecond)
	dir := t.TempDir()
	shard := func(name string) string { return filepath.Join(dir, name) }
	worker := func(name string) (*exec.Cmd, *bytes.Buffer) {
		cmd, _, errb := startCrawl(t, "--db", shard(name), "--frontier", srv.URL(1), "--lease", "2s", "--max-depth", "100",
			"--delay", "0", "--parallelism", "2", "--quiet", s.URL+"/")
		return cmd, errb
	}
	killed, _ := worker("a.db")
	b, berr := worker("b.db")
	waitFor(t, "a third of the articles fetched", func() bool { n, _ := s.articleHits(); return n >= 100 })
	if err := killed.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	killed.Wait()
	late, lerr := worker("c.db")
	for name, w := range map[string]*exec.Cmd{"b": b, "c": late} {
		if err := w.Wait(); err != nil {
			t.Fatalf("worker %s: %v\n%s%s", name, err, berr, lerr)
		}
	}

	total := map[string]int{}
	for _, name := range []string{"a.db", "b.db", "c.db"} {
		stored := storedURLs(t, shard(name))
		switch {
		case len(stored) > 0:
		case name == "a.db": // on a slow machine the killed worker may have stored nothing yet
			t.Logf("the killed worker's shard holds no article")
		default:
			t.Errorf("shard %s holds no article: every worker should have done part of the work", name)
		}
		for u, n := range stored {
			total[u] += n
		}
	}
	for u, n := range total {
		if n > 1 {
			t.Logf("%s stored in %d shards (the killed worker had not marked it done)", u, n)
			total[u] = 1
		}
	}
	checkEveryArticleOnce(t, s, total)

	out := filepath.Join(dir, "corpus.jsonl")
	code, _, stderr := ledeExec(t, "export", "--db", shard("a.db"), "--db", shard("b.db"), "--db", shard("c.db"), "-o", out)
	if code != 0 {
		t.Fatalf("export: exit %d: %s", code, stderr)
	}
	exported := map[string]int{}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var rec struct{ URL string }
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatal(err)
		}
		exported[rec.URL]++
	}
	checkEveryArticleOnce(t, s, exported)

	// Fetched twice: at most what the killed worker held (a few URLs: its window).
	if fetches, distinct := s.articleHits(); distinct != s.n || fetches > s.n+32 {
		t.Errorf("%d article fetches of %d distinct; want %d, each fetched once but for the killed worker's few", fetches, distinct, s.n)
	}
}

func TestStatsFrontier(t *testing.T) {
	srv := redistest.Start(t)
	c := srv.Client(t)
	if err := c.HSet(t.Context(), "{lede}:items", "http://a.test/1", "{}", "http://a.test/2", "{}", "http://b.test/1", "{}").Err(); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := ledeExec(t, "stats", "--frontier", srv.URL(0), "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var st struct {
		Pending int            `json:"pending"`
		ByHost  map[string]int `json:"by_host"`
	}
	if err := json.Unmarshal([]byte(stdout), &st); err != nil {
		t.Fatalf("%v: %s", err, stdout)
	}
	if st.Pending != 3 || st.ByHost["a.test"] != 2 || st.ByHost["b.test"] != 1 {
		t.Fatalf("stats --frontier = %+v; want 3 pending, 2 on a.test, 1 on b.test", st)
	}
}

// waitAll waits for every worker to exit 0.
func waitAll(t *testing.T, cmds []*exec.Cmd, errs []*bytes.Buffer) {
	t.Helper()
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("worker %d: %v\n%s", i, err, errs[i])
		}
	}
}

// Three workers starting together on two hosts: each host's robots.txt is fetched once for
// the whole crawl, and obeyed by every worker.
func TestCrawlWorkersFetchRobotsOncePerHost(t *testing.T) {
	srv := redistest.Start(t)
	sites := []*newsSite{newNewsSite(t, 30), newNewsSite(t, 30)}
	dir := t.TempDir()
	var cmds []*exec.Cmd
	var errs []*bytes.Buffer
	for _, shard := range []string{"a.db", "b.db", "c.db"} {
		cmd, _, errb := startCrawl(t, "--db", filepath.Join(dir, shard), "--frontier", srv.URL(0),
			"--delay", "0", "--quiet", sites[0].URL+"/", sites[1].URL+"/private/", sites[1].URL+"/")
		cmds, errs = append(cmds, cmd), append(errs, errb)
	}
	waitAll(t, cmds, errs)
	for i, s := range sites {
		s.mu.Lock()
		robots, private := s.hits["/robots.txt"], s.hits["/private/"]
		s.mu.Unlock()
		if robots != 1 {
			t.Errorf("host %d: robots.txt fetched %d times by 3 workers; want once for the crawl", i, robots)
		}
		if private != 0 {
			t.Errorf("host %d: a path robots.txt disallows was fetched %d times", i, private)
		}
		if _, distinct := s.articleHits(); distinct != s.n {
			t.Errorf("host %d: %d of %d articles fetched", i, distinct, s.n)
		}
	}
}

// Two workers with --parallelism 2 on one host: the host never answers more than 2 requests
// at once, as with one lede (the server counts the requests it is answering).
func TestCrawlWorkersShareHostParallelism(t *testing.T) {
	srv := redistest.Start(t)
	s := newNewsSite(t, 40)
	s.setDelay(80 * time.Millisecond)
	dir := t.TempDir()
	var cmds []*exec.Cmd
	var errs []*bytes.Buffer
	for _, shard := range []string{"a.db", "b.db"} {
		cmd, _, errb := startCrawl(t, "--db", filepath.Join(dir, shard), "--frontier", srv.URL(0),
			"--delay", "0", "--parallelism", "2", "--quiet", s.URL+"/")
		cmds, errs = append(cmds, cmd), append(errs, errb)
	}
	waitAll(t, cmds, errs)
	s.mu.Lock()
	most := s.maxInFlight
	s.mu.Unlock()
	if most > 2 {
		t.Errorf("the host answered %d requests at once; want at most --parallelism 2 across the workers", most)
	}
	if most < 2 {
		t.Errorf("the host never answered 2 requests at once: the workers did not use --parallelism 2")
	}
	if _, distinct := s.articleHits(); distinct != s.n {
		t.Errorf("%d of %d articles fetched", distinct, s.n)
	}
}

package main

import (
	"context"
	"errors"
	"io"
	"lede"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	gowarc "github.com/nlnwa/gowarc/v3"

	"lede/store"
)

// storedTexts returns each stored article's text by URL.
func storedTexts(t *testing.T, dbPath string) map[string]string {
	t.Helper()
	db, err := store.Open(dbPath, store.ReadOnly())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	out := map[string]string{}
	if err := db.Articles(context.Background(), store.Filter{}, func(a *lede.Article) error {
		out[a.URL] = a.Text
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestCrawlWARCThenImport: a crawl with --warc archives every exchange (robots.txt,
// sitemap, pages) in complete files whose digests gowarc verifies; importing them into a
// fresh store gives the same articles.
func TestCrawlWARCThenImport(t *testing.T) {
	s := newNewsSite(t, 25)
	dir := t.TempDir()
	crawled, imported, warcDir := filepath.Join(dir, "crawl.db"), filepath.Join(dir, "import.db"), filepath.Join(dir, "warc")
	if code, _, stderr := ledeExec(t, "crawl", "--db", crawled, "--delay", "0", "--parallelism", "4", "--warc", warcDir,
		"--warc-max-size", "20000", s.URL+"/"); code != 0 {
		t.Fatalf("crawl exit %d: %s", code, stderr)
	}
	files, _ := filepath.Glob(filepath.Join(warcDir, "*"))
	if len(files) < 2 {
		t.Fatalf("WARC files %v: want several (rotated at 20 kB)", files)
	}
	targets := map[string]int{}
	for _, f := range files {
		if !strings.HasSuffix(f, ".warc.gz") || !strings.HasPrefix(filepath.Base(f), "lede-") {
			t.Errorf("WARC file %s: want lede-TIMESTAMP-SERIAL-HOST.warc.gz, closed", filepath.Base(f))
			continue
		}
		// A second implementation reads the files and verifies every digest.
		r, err := gowarc.NewWarcFileReader(f, 0, gowarc.WithStrictValidation())
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; ; i++ {
			rec, err := r.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("%s: record %d: %v", filepath.Base(f), i, err)
			}
			wr := rec.WarcRecord
			if i == 0 && wr.Type() != gowarc.Warcinfo {
				t.Errorf("%s: first record is %s, want warcinfo", filepath.Base(f), wr.Type())
			}
			if v, err := wr.ValidateDigest(); err != nil || len(v) > 0 {
				t.Errorf("%s: record %d: digests: %v %v", filepath.Base(f), i, err, v)
			}
			h := wr.WarcHeader()
			if wr.Type() == gowarc.Response {
				if h.Get(gowarc.WarcIPAddress) != "127.0.0.1" || h.Get(gowarc.WarcPayloadDigest) == "" || h.Get(gowarc.WarcBlockDigest) == "" {
					t.Errorf("%s: response record fields: %v", filepath.Base(f), h)
				}
				targets[h.Get(gowarc.WarcTargetURI)]++
			}
			if wr.Type() == gowarc.Request && h.Get(gowarc.WarcConcurrentTo) == "" {
				t.Errorf("%s: request record without WARC-Concurrent-To", filepath.Base(f))
			}
			rec.Close()
		}
		r.Close()
	}
	for _, u := range []string{s.URL + "/robots.txt", s.URL + "/sitemap.xml", s.URL + "/"} {
		if targets[u] == 0 {
			t.Errorf("no response record for %s (have %d targets)", u, len(targets))
		}
	}

	args := append([]string{"import", "--db", imported}, files...)
	code, out, stderr := ledeExec(t, args...)
	if code != 0 {
		t.Fatalf("import exit %d: %s", code, stderr)
	}
	want, got := storedTexts(t, crawled), storedTexts(t, imported)
	if len(want) != s.n || len(got) != len(want) {
		t.Errorf("crawl stored %d articles, import of its WARC files %d (site has %d); import summary %s", len(want), len(got), s.n, out)
	}
	for u, text := range want {
		if got[u] != text {
			t.Errorf("%s: imported text differs from the crawl's:\n%.120q\n%.120q", u, got[u], text)
		}
	}
}

// TestCrawlWARCConfigKey: the config file's warc key archives the crawl as --warc does.
func TestCrawlWARCConfigKey(t *testing.T) {
	s := newNewsSite(t, 3)
	dir := t.TempDir()
	warcDir := filepath.Join(dir, "archive")
	cfg := filepath.Join(dir, "sites.yaml")
	yaml := "delay: 0s\nwarc: " + warcDir + "\nsites:\n  - start: [" + s.URL + "/]\n"
	if err := os.WriteFile(cfg, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := ledeExec(t, "crawl", "--db", filepath.Join(dir, "lede.db"), "--config", cfg); code != 0 {
		t.Fatalf("crawl exit %d: %s", code, stderr)
	}
	files, _ := filepath.Glob(filepath.Join(warcDir, "lede-*.warc.gz"))
	if len(files) != 1 {
		t.Fatalf("WARC files %v: want one, closed", files)
	}
	code, out, stderr := ledeExec(t, "import", "--db", filepath.Join(dir, "again.db"), files[0])
	if code != 0 || summaryLine(t, out)["new_articles"] != 3.0 {
		t.Errorf("import of the config's WARC file: exit %d, %s %s", code, out, stderr)
	}
}

// TestCrawlWARCReadableAfterKill: after kill -9 the open WARC file is readable up to its
// last whole record, and lede import stores the articles it holds.
func TestCrawlWARCReadableAfterKill(t *testing.T) {
	s := newNewsSite(t, 60)
	s.mu.Lock()
	s.delay = 20 * time.Millisecond
	s.mu.Unlock()
	dir := t.TempDir()
	warcDir := filepath.Join(dir, "warc")
	cmd, _, _ := startCrawl(t, "--db", filepath.Join(dir, "lede.db"), "--delay", "0", "--parallelism", "2", "--quiet",
		"--warc", warcDir, s.URL+"/")
	waitFor(t, "20 articles fetched", func() bool { _, d := s.articleHits(); return d >= 20 })
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	files, _ := filepath.Glob(filepath.Join(warcDir, "*.warc.gz.open"))
	if len(files) != 1 {
		t.Fatalf("open WARC files after kill -9: %v, want one", files)
	}
	code, out, stderr := ledeExec(t, "import", "--db", filepath.Join(dir, "import.db"), files[0])
	if code != 0 && !strings.Contains(stderr, "truncated") {
		t.Fatalf("import of the killed crawl's file: exit %d: %s", code, stderr)
	}
	if n := summaryLine(t, out)["new_articles"].(float64); n < 15 {
		t.Errorf("import of the killed crawl's file stored %v articles, want most of the 20 fetched", n)
	}
}

package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"lede"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"lede/store"
)

// runStoreCLI runs lede in-process and returns its exit code, stdout and stderr.
func runStoreCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// exportCorpus is stored by seedStore: two sites, two languages, dated and undated articles.
var exportCorpus = []*lede.Article{
	{URL: "https://www.news.example/ar/1", CanonicalURL: "https://news.example/ar/1", SiteName: "أخبار المثال", Lang: "ar",
		Title: "واشنطن تجدد دعوتها موسكو للتعاون", Byline: "مراسلنا", Published: time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC),
		Text: "جددت الولايات المتحدة دعوتها لروسيا إلى التعاون في سورية.\n\nالمصدر: وكالات",
		HTML: "<p>جددت الولايات المتحدة دعوتها لروسيا إلى التعاون في سورية.</p><p>المصدر: وكالات</p>"},
	{URL: "https://news.example/en/2", Lang: "en-GB", Title: `Bridge closed, "for now"`, Published: time.Date(2025, 3, 2, 23, 30, 0, 0, time.UTC),
		Text: "The council closed the bridge on Sunday,\nciting the storm.\n\nIt will reopen when engineers agree.",
		HTML: "<h2>Storm</h2><p>The council closed the <b>bridge</b> on Sunday, citing the storm.</p><p>It will reopen when engineers agree.</p>"},
	{URL: "https://other.example/3", Lang: "en", Title: "Undated note", FirstSeen: time.Date(2025, 3, 5, 0, 0, 0, 0, time.UTC),
		Text: "A short undated note."},
}

// seedStore writes exportCorpus to a new store file and returns its path.
func seedStore(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "lede.db")
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, a := range exportCorpus {
		a := *a
		if _, err := db.PutArticle(context.Background(), &a, []byte("<html>raw</html>")); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

func TestExportJSONL(t *testing.T) {
	db := seedStore(t)
	code, out, errs := runStoreCLI(t, "export", "--db", db)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines, want 3:\n%s", len(lines), out)
	}
	var first map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"id", "url", "canonical_url", "site", "site_name", "title", "byline", "published", "lang", "text", "word_count", "fetched_at", "content_hash"} {
		if _, ok := first[k]; !ok {
			t.Errorf("jsonl record lacks %q: %s", k, lines[0])
		}
	}
	if first["text"] != exportCorpus[0].Text || first["site"] != "news.example" || first["published"] != "2025-03-01T09:00:00Z" {
		t.Fatalf("first record = %v", first)
	}
	if strings.Contains(lines[0], `\u`) {
		t.Errorf("Arabic escaped in jsonl: %s", lines[0])
	}
}

func TestExportFilters(t *testing.T) {
	db := seedStore(t)
	cases := []struct {
		args []string
		want []string // titles, in order
	}{
		{nil, []string{"واشنطن تجدد دعوتها موسكو للتعاون", `Bridge closed, "for now"`, "Undated note"}},
		{[]string{"--site", "news.example"}, []string{"واشنطن تجدد دعوتها موسكو للتعاون", `Bridge closed, "for now"`}},
		{[]string{"--site", "www.other.example"}, []string{"Undated note"}},
		{[]string{"--lang", "en"}, []string{`Bridge closed, "for now"`, "Undated note"}},
		{[]string{"--lang", "ar"}, []string{"واشنطن تجدد دعوتها موسكو للتعاون"}},
		{[]string{"--since", "2025-03-02"}, []string{`Bridge closed, "for now"`, "Undated note"}},
		{[]string{"--until", "2025-03-02"}, []string{"واشنطن تجدد دعوتها موسكو للتعاون", `Bridge closed, "for now"`}},
		{[]string{"--until", "2025-03-02T23:00:00Z"}, []string{"واشنطن تجدد دعوتها موسكو للتعاون"}},
		{[]string{"--since", "2025-03-03", "--until", "2025-03-05"}, []string{"Undated note"}},
		{[]string{"--min-words", "12"}, []string{`Bridge closed, "for now"`}},
		{[]string{"--site", "news.example", "--lang", "en", "--since", "2025-03-02"}, []string{`Bridge closed, "for now"`}},
	}
	for _, c := range cases {
		code, out, errs := runStoreCLI(t, append([]string{"export", "--db", db}, c.args...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", c.args, code, errs)
		}
		var got []string
		sc := bufio.NewScanner(strings.NewReader(out))
		for sc.Scan() {
			var a lede.Article
			if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
				t.Fatal(err)
			}
			got = append(got, a.Title)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("export %v = %q, want %q", c.args, got, c.want)
		}
	}
}

func TestExportCSVParsesBack(t *testing.T) {
	db := seedStore(t)
	code, out, errs := runStoreCLI(t, "export", "--db", db, "--format", "csv")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("csv does not parse back: %v", err)
	}
	if len(rows) != 4 || !slices.Equal(rows[0], store.CSVHeader) {
		t.Fatalf("rows = %d, header %q", len(rows), rows[0])
	}
	col := slices.Index(rows[0], "text")
	title := slices.Index(rows[0], "title")
	if rows[2][col] != exportCorpus[1].Text || rows[2][title] != exportCorpus[1].Title || rows[1][col] != exportCorpus[0].Text {
		t.Fatalf("csv text/title did not round-trip: %q / %q", rows[2][title], rows[2][col])
	}
}

func TestExportTextAndMarkdown(t *testing.T) {
	db := seedStore(t)
	code, out, _ := runStoreCLI(t, "export", "--db", db, "--format", "text")
	if code != 0 || strings.Count(out, "\n"+strings.Repeat("=", 66)+"\n")+boolInt(strings.HasPrefix(out, strings.Repeat("=", 66)+"\n")) != 3 {
		t.Fatalf("text export: exit %d, want 3 separated blocks:\n%s", code, out)
	}
	if !strings.Contains(out, "title: Bridge closed, \"for now\"\n") || !strings.Contains(out, exportCorpus[0].Text) {
		t.Fatalf("text export lacks title or text:\n%s", out)
	}

	code, out, _ = runStoreCLI(t, "export", "--db", db, "--format", "markdown", "--site", "news.example")
	if code != 0 {
		t.Fatalf("markdown: exit %d", code)
	}
	docs := strings.Split(out, "---\n")
	// "", front matter 1, body 1, front matter 2, body 2
	if len(docs) != 5 {
		t.Fatalf("markdown: %d parts, want 2 documents:\n%s", len(docs), out)
	}
	if !strings.Contains(docs[3], "title: 'Bridge closed, \"for now\"'") && !strings.Contains(docs[3], `title: Bridge closed, "for now"`) {
		t.Errorf("front matter lacks the title:\n%s", docs[3])
	}
	if !strings.Contains(docs[4], "## Storm") || !strings.Contains(docs[4], "**bridge**") || !strings.Contains(docs[4], "# Bridge closed") {
		t.Errorf("markdown body not converted from HTML:\n%s", docs[4])
	}
	if !strings.Contains(docs[2], "المصدر: وكالات") {
		t.Errorf("Arabic body missing:\n%s", docs[2])
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestExportGzipFile(t *testing.T) {
	db := seedStore(t)
	dir := t.TempDir()
	outPath := filepath.Join(dir, "corpus.jsonl.gz")
	code, _, errs := runStoreCLI(t, "export", "--db", db, "-o", outPath, "--lang", "en")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	f, err := os.Open(outPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("-o .gz is not gzip: %v", err)
	}
	body, _ := io.ReadAll(zr)
	if n := strings.Count(string(body), "\n"); n != 2 {
		t.Fatalf("%d records in the gzip file, want 2", n)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("left behind: %v", entries)
	}
}

func TestExportBadInput(t *testing.T) {
	db := seedStore(t)
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.db")
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"export", "--db", missing}, exitFailed, missing + " does not exist"},
		{[]string{"stats", "--db", missing}, exitFailed, missing + " does not exist"},
		{[]string{"show", "--db", missing, "x"}, exitFailed, missing + " does not exist"},
		{[]string{"export", "--db", db, "--format", "xml"}, exitUsage, `"xml"`},
		{[]string{"export", "--db", db, "--since", "yesterday"}, exitUsage, `bad --since "yesterday"`},
		{[]string{"export", "--db", db, "--until", "2025-13-01"}, exitUsage, `bad --until "2025-13-01"`},
		{[]string{"export", "--db", db, "--since", "2025-03-05", "--until", "2025-03-01"}, exitUsage, "after --until"},
		{[]string{"export", "--db", db, "-o", filepath.Join(dir, "no", "such", "dir.jsonl")}, exitFailed, "no such file or directory"},
		{[]string{"export", "--db", db, "-o", db}, exitUsage, "is the store itself"},
	}
	for _, c := range cases {
		code, _, errs := runStoreCLI(t, c.args...)
		if code != c.code || !strings.Contains(errs, c.want) {
			t.Errorf("lede %v: exit %d, stderr %q; want exit %d mentioning %q", c.args, code, errs, c.code, c.want)
		}
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Fatal("export/stats/show created the missing store")
	}

	// A foreign file is reported and left alone.
	foreign := filepath.Join(dir, "notes.txt")
	os.WriteFile(foreign, []byte(strings.Repeat("hello\n", 1000)), 0o644)
	code, _, errs := runStoreCLI(t, "export", "--db", foreign)
	if got, _ := os.ReadFile(foreign); code != exitFailed || !strings.Contains(errs, "not a bbolt file") || string(got) != strings.Repeat("hello\n", 1000) {
		t.Fatalf("foreign file: exit %d, %q", code, errs)
	}
}

func TestExportLockedStore(t *testing.T) {
	path := seedStore(t)
	held, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	out := filepath.Join(t.TempDir(), "x.jsonl")
	code, _, errs := runStoreCLI(t, "export", "--db", path, "-o", out)
	if code != exitLocked || !strings.Contains(errs, path+" is locked by another lede process") {
		t.Fatalf("export of a held store: exit %d, %q; want 75 and the lock message", code, errs)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatal("a failed export left an output file")
	}
}

func TestStatsAndShow(t *testing.T) {
	db := seedStore(t)
	code, out, errs := runStoreCLI(t, "stats", "--db", db)
	if code != 0 {
		t.Fatalf("stats: exit %d %s", code, errs)
	}
	flat := strings.Join(strings.Fields(out), " ")
	for _, want := range []string{"articles: 3", "dates: 2025-03-01 … 2025-03-05", "2 news.example", "1 other.example", "1 ar", "1 en-gb"} {
		if !strings.Contains(flat, want) {
			t.Errorf("stats lacks %q:\n%s", want, out)
		}
	}
	if code, _, errs := runStoreCLI(t, "stats", "--db", db, "--check"); code != 0 || !strings.Contains(errs, "consistency check passed") {
		t.Errorf("stats --check: exit %d, %q", code, errs)
	}
	code, out, _ = runStoreCLI(t, "stats", "--db", db, "--json")
	var st store.Stats
	if code != 0 || json.Unmarshal([]byte(out), &st) != nil || st.Articles != 3 || st.BySite["news.example"] != 2 || st.FileSize == 0 {
		t.Fatalf("stats --json: exit %d, %+v", code, st)
	}

	code, out, _ = runStoreCLI(t, "show", "--db", db, "https://news.example/ar/1")
	if code != 0 || !strings.Contains(out, "title:") || !strings.Contains(out, exportCorpus[0].Text) || !strings.Contains(strings.Join(strings.Fields(out), " "), "site: news.example (أخبار المثال)") {
		t.Fatalf("show by URL: exit %d\n%s", code, out)
	}
	var a lede.Article
	code, out, _ = runStoreCLI(t, "show", "--db", db, "--json", "https://www.news.example/ar/1")
	if code != 0 || json.Unmarshal([]byte(out), &a) != nil || a.Title != exportCorpus[0].Title {
		t.Fatalf("show --json: exit %d\n%s", code, out)
	}
	code, out, _ = runStoreCLI(t, "show", "--db", db, a.ID)
	if code != 0 || !strings.Contains(out, a.ID) {
		t.Fatalf("show by ID: exit %d\n%s", code, out)
	}
	code, out, _ = runStoreCLI(t, "show", "--db", db, "--raw", a.ID)
	if code != 0 || out != "<html>raw</html>" {
		t.Fatalf("show --raw: exit %d %q", code, out)
	}
	code, _, errs = runStoreCLI(t, "show", "--db", db, "https://nowhere.example/")
	if code != exitFailed || !strings.Contains(errs, "https://nowhere.example/") {
		t.Fatalf("show unknown: exit %d %q", code, errs)
	}
}

func TestExportInterruptedLeavesNoFile(t *testing.T) {
	db := seedStore(t)
	out := filepath.Join(t.TempDir(), "corpus.csv")
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // as if SIGINT arrived at once
	var stdout, stderr bytes.Buffer
	code := run(ctx, []string{"export", "--db", db, "--format", "csv", "-o", out}, strings.NewReader(""), &stdout, &stderr)
	if code != exitInterrupted {
		t.Fatalf("exit %d (%s), want %d", code, stderr.String(), exitInterrupted)
	}
	entries, _ := os.ReadDir(filepath.Dir(out))
	if len(entries) != 0 {
		t.Fatalf("an interrupted export left %v", entries)
	}
}

// TestExportToSpecialFiles: -o never replaces what is not a regular file. A symbolic link
// keeps pointing where it did and its target gets the corpus; a FIFO is written as it is,
// for the program reading it; /dev/full (as root, a device anyone can open) reports its
// write error with exit 1 and stays a device; a directory is refused.
func TestExportToSpecialFiles(t *testing.T) {
	db := seedStore(t)
	dir := t.TempDir()

	// A symbolic link (relative, as ln -s makes it) to an existing file, and one to a new name.
	target := filepath.Join(dir, "corpus-2025.jsonl")
	os.WriteFile(target, []byte("old\n"), 0o644)
	for name, dest := range map[string]string{"existing target": "corpus-2025.jsonl", "new target": "corpus-new.jsonl"} {
		link := filepath.Join(dir, "latest-"+strings.Fields(name)[0]+".jsonl")
		if err := os.Symlink(dest, link); err != nil {
			t.Fatal(err)
		}
		code, _, errs := runStoreCLI(t, "export", "--db", db, "-o", link)
		if code != exitOK {
			t.Fatalf("%s: exit %d: %s", name, code, errs)
		}
		if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
			t.Fatalf("%s: -o replaced the symbolic link %s", name, link)
		}
		if got, _ := os.ReadFile(filepath.Join(dir, dest)); strings.Count(string(got), "\n") != len(exportCorpus) {
			t.Errorf("%s: the link's target holds %q, want the %d articles", name, got, len(exportCorpus))
		}
	}

	// A FIFO: written directly, read by another goroutine, still a FIFO after.
	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	read := make(chan []byte, 1)
	go func() {
		f, err := os.Open(fifo)
		if err != nil {
			read <- nil
			return
		}
		defer f.Close()
		b, _ := io.ReadAll(f)
		read <- b
	}()
	code, _, errs := runStoreCLI(t, "export", "--db", db, "--format", "csv", "-o", fifo)
	if code != exitOK {
		t.Fatalf("FIFO: exit %d: %s", code, errs)
	}
	select {
	case b := <-read:
		if !bytes.HasPrefix(b, []byte("id,")) || bytes.Count(b, []byte("\n")) < len(exportCorpus)+1 {
			t.Errorf("the FIFO's reader got %q, want the CSV export", b)
		}
	case <-untilDeadline(t).Done():
		t.Fatal("nothing read from the FIFO")
	}
	if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Fatal("-o replaced the FIFO")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 5 {
		t.Errorf("left in the directory: %v, want the two links, their two targets and the FIFO", entries)
	}

	// A directory: refused as a usage error.
	if code, _, errs := runStoreCLI(t, "export", "--db", db, "-o", dir); code != exitUsage || !strings.Contains(errs, "is a directory") {
		t.Errorf("-o DIR: exit %d, %q; want 2 and a message", code, errs)
	}

	// /dev/full: every write fails with ENOSPC. Root could rename over it, so -o must not.
	if fi, err := os.Stat("/dev/full"); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
		code, _, errs := runStoreCLI(t, "export", "--db", db, "-o", "/dev/full")
		if code != exitFailed || !strings.Contains(errs, "no space left on device") {
			t.Errorf("-o /dev/full: exit %d, %q; want 1 and the write error", code, errs)
		}
		if fi, err := os.Stat("/dev/full"); err != nil || fi.Mode()&os.ModeCharDevice == 0 {
			t.Fatal("-o /dev/full replaced the device")
		}
	}
}

// failingWriter fails every write, as stdout on a full disk or a closed descriptor does.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, syscall.ENOSPC }

// TestStatsAndShowReportOutputErrors: output that cannot be written is a failure (exit 1),
// not a silent success.
func TestStatsAndShowReportOutputErrors(t *testing.T) {
	db := seedStore(t)
	for _, args := range [][]string{
		{"stats", "--db", db},
		{"stats", "--db", db, "--json"},
		{"show", "--db", db, "https://news.example/en/2"},
		{"show", "--db", db, "--json", "https://news.example/en/2"},
		{"show", "--db", db, "--raw", "https://news.example/en/2"},
	} {
		var stderr bytes.Buffer
		code := run(context.Background(), args, strings.NewReader(""), failingWriter{}, &stderr)
		if code != exitFailed || !strings.Contains(stderr.String(), "no space left on device") {
			t.Errorf("lede %s to a full disk: exit %d, %q; want 1 and the write error", strings.Join(args, " "), code, stderr.String())
		}
	}
	if f, err := os.OpenFile("/dev/full", os.O_WRONLY, 0); err == nil {
		defer f.Close()
		var stderr bytes.Buffer
		if code := run(context.Background(), []string{"stats", "--db", db}, strings.NewReader(""), f, &stderr); code != exitFailed {
			t.Errorf("lede stats > /dev/full: exit %d, %q; want 1", code, stderr.String())
		}
	}
}

// TestShowRawOfAHub: --raw asks for page bytes; a hub's are not kept (unless it was a close
// call, see TestShowRawOfAKeptFront), so it fails saying so and prints nothing, instead of
// printing the fetch record as if it were the page.
func TestShowRawOfAHub(t *testing.T) {
	db := seedStore(t)
	s, err := store.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	const hub = "https://news.example/world/"
	if err := s.PutFetch(context.Background(), lede.FetchRecord{URL: hub, Status: 200, Kind: "hub"}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	code, out, errs := runStoreCLI(t, "show", "--db", db, "--raw", hub)
	if code != exitFailed || out != "" || !strings.Contains(errs, hub+" is a hub: followed, not stored") {
		t.Errorf("show --raw HUB: exit %d, stdout %q, stderr %q; want 1, nothing printed, and that it is a hub", code, out, errs)
	}
	if code, out, _ := runStoreCLI(t, "show", "--db", db, hub); code != exitOK || !strings.Contains(out, "kind:") {
		t.Errorf("show HUB: exit %d, %q; want its fetch record", code, out)
	}
}

// TestShowRawOfAKeptFront: the raw page of a front kept for lede reclassify (a close call) is
// what --raw prints.
func TestShowRawOfAKeptFront(t *testing.T) {
	db := seedStore(t)
	s, err := store.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	const hub = "https://news.example/world/"
	ctx := context.Background()
	if err := s.PutFetch(ctx, lede.FetchRecord{URL: hub, Status: 200, Kind: "hub", Reason: "score -0.5"}); err != nil {
		t.Fatal(err)
	}
	if err := s.PutHubPage(ctx, hub, []byte("<html>front</html>")); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if code, out, errs := runStoreCLI(t, "show", "--db", db, "--raw", hub); code != exitOK || out != "<html>front</html>" {
		t.Errorf("show --raw KEPT-FRONT: exit %d, stdout %q, stderr %q; want its raw page", code, out, errs)
	}
}

// lede export with two shards of a shared crawl: a near copy and an exact copy stored under
// other URLs by the second worker are exported once, and the shards are merged in published
// order; filters apply as to one store.
func TestExportShardsMergesCopies(t *testing.T) {
	a := seedStore(t)
	b := filepath.Join(t.TempDir(), "b.db")
	db, err := store.Open(b)
	if err != nil {
		t.Fatal(err)
	}
	for _, art := range []*lede.Article{
		{URL: "https://mirror.example/bridge", Lang: "en", Published: time.Date(2025, 3, 2, 23, 45, 0, 0, time.UTC),
			Text: "The council closed the bridge on Sunday,\nciting the storm.\n\nIt will reopen when engineers concur."}, // near copy
		{URL: "https://other.example/3?amp=1", Lang: "en", FirstSeen: time.Date(2025, 3, 5, 1, 0, 0, 0, time.UTC),
			Text: "A short undated note."}, // exact copy
		{URL: "https://news.example/en/4", Lang: "en", Published: time.Date(2025, 3, 2, 10, 0, 0, 0, time.UTC),
			Text: "The ferry resumed its crossings once the wind dropped."},
	} {
		if _, err := db.PutArticle(context.Background(), art, nil); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	code, out, errs := runStoreCLI(t, "export", "--db", a, "--db", b)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var urls []string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var rec struct{ URL string }
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatal(err)
		}
		urls = append(urls, rec.URL)
	}
	want := []string{"https://www.news.example/ar/1", "https://news.example/en/4", "https://news.example/en/2", "https://other.example/3"}
	if !slices.Equal(urls, want) {
		t.Fatalf("exported %v; want %v (each article once, merged in published order)", urls, want)
	}
	code, out, errs = runStoreCLI(t, "export", "--db", a, "--db", b, "--lang", "en", "--format", "csv")
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if code != 0 || err != nil || len(rows) != 4 { // the header and three rows
		t.Fatalf("exit %d, %v, csv:\n%s%s", code, err, out, errs)
	}
}

package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"lede/warc/warctest"
)

// duckDBResult is what testdata/duckdb/read.mjs prints about a Parquet file.
type duckDBResult struct {
	Count int               `json:"count"`
	Types map[string]string `json:"types"`
	Rows  []struct {
		ID, URL, Title, Text, Lang, Byline string
		Published                          *string `json:"published"`
		FetchedAt                          string  `json:"fetched_at"`
		WordCount                          any     `json:"word_count"`
	} `json:"rows"`
	Groups int      `json:"groups"`
	Codecs []string `json:"codecs"`
}

// readWithDuckDB reads a Parquet file with DuckDB (the npm package @duckdb/node-api, which
// .ci/run installs into testdata/duckdb); the test skips when node or the package is missing.
func readWithDuckDB(t *testing.T, file string) duckDBResult {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not on PATH: the Parquet export is not checked with DuckDB (install Node.js, then run: npm ci --prefix testdata/duckdb)")
	}
	dir, _ := filepath.Abs(filepath.Join("..", "..", "testdata", "duckdb"))
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "@duckdb", "node-api")); err != nil {
		t.Skip("@duckdb/node-api not installed: the Parquet export is not checked with DuckDB (run: npm ci --prefix testdata/duckdb)")
	}
	cmd := exec.Command(node, filepath.Join(dir, "read.mjs"), file)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("DuckDB could not read %s: %v\n%s", file, err, stderr.String())
	}
	var res duckDBResult
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("read.mjs output: %v\n%s", err, out)
	}
	return res
}

// jsonlTexts exports the store as jsonl and returns each article's text by ID.
func jsonlTexts(t *testing.T, db string) map[string]string {
	t.Helper()
	code, out, errOut := runStoreCLI(t, "export", "--db", db, "--format", "jsonl")
	if code != 0 {
		t.Fatalf("export jsonl: exit %d: %s", code, errOut)
	}
	texts := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var a struct{ ID, Text string }
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			t.Fatal(err)
		}
		texts[a.ID] = a.Text
	}
	return texts
}

func TestExportParquetReadByDuckDB(t *testing.T) {
	db := seedStore(t)
	file := filepath.Join(t.TempDir(), "corpus.parquet")
	code, _, errOut := runStoreCLI(t, "export", "--db", db, "--format", "parquet", "-o", file)
	if code != 0 {
		t.Fatalf("export parquet: exit %d: %s", code, errOut)
	}
	res := readWithDuckDB(t, file)
	if res.Count != len(exportCorpus) {
		t.Errorf("DuckDB counts %d rows, want %d articles", res.Count, len(exportCorpus))
	}
	for col, want := range map[string]string{"published": "TIMESTAMP", "modified": "TIMESTAMP", "fetched_at": "TIMESTAMP",
		"word_count": "BIGINT", "text": "VARCHAR", "id": "VARCHAR"} {
		if !strings.HasPrefix(res.Types[col], want) {
			t.Errorf("column %s is %q, want %s", col, res.Types[col], want)
		}
	}
	texts := jsonlTexts(t, db)
	published := map[string]bool{}
	for _, r := range res.Rows {
		if texts[r.ID] != r.Text {
			t.Errorf("%s: text %q, jsonl export has %q", r.URL, r.Text, texts[r.ID])
		}
		if r.Published != nil {
			published[*r.Published] = true
		}
		if r.WordCount == nil || fmt.Sprint(r.WordCount) == "0" {
			t.Errorf("%s: word_count %v", r.URL, r.WordCount)
		}
	}
	if !published["2025-03-01T09:00:00Z"] || !published["2025-03-02T23:30:00Z"] || len(published) != 2 {
		t.Errorf("published dates %v: want the two dated articles' and a null for the undated one", published)
	}
	if len(res.Codecs) != 1 || res.Codecs[0] != "ZSTD" {
		t.Errorf("column chunks compressed with %v, want ZSTD", res.Codecs)
	}
}

// TestImportedCorpusExportsCleanParquet: pages with chrome, imported from a WARC, reach
// DuckDB without it, filters apply as for the other formats.
func TestImportedCorpusExportsCleanParquet(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "news.db")
	var recs [][]byte
	for i := 1; i <= 12; i++ {
		recs = append(recs, warctest.Response(fmt.Sprintf("https://news.example.com/2024/03/05/story-%d.html", i), 200,
			[]byte(storyHTML(i)), "Content-Type: text/html; charset=utf-8"))
	}
	warcFile := filepath.Join(dir, "stories.warc.gz")
	if err := os.WriteFile(warcFile, warctest.PerRecordGzip(recs...), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := runStoreCLI(t, "import", "--db", db, warcFile); code != 0 {
		t.Fatalf("import: exit %d: %s", code, errOut)
	}
	file := filepath.Join(dir, "corpus.parquet")
	if code, _, errOut := runStoreCLI(t, "export", "--db", db, "--format", "parquet", "--site", "news.example.com", "-o", file); code != 0 {
		t.Fatalf("export parquet: exit %d: %s", code, errOut)
	}
	res := readWithDuckDB(t, file)
	if res.Count != 12 {
		t.Errorf("DuckDB counts %d rows, want the 12 imported articles", res.Count)
	}
	for _, r := range res.Rows {
		if strings.Contains(r.Text, "Accessibility links") || strings.Contains(r.Text, "Skip to content") {
			t.Errorf("%s: chrome in the exported text: %.120q", r.URL, r.Text)
		}
		if r.FetchedAt != "2024-03-05T10:00:00Z" {
			t.Errorf("%s: fetched_at %q, want the record's WARC-Date", r.URL, r.FetchedAt)
		}
	}
	if code, _, _ := runStoreCLI(t, "export", "--db", db, "--format", "parquet", "--site", "elsewhere.example", "-o", file); code != 0 {
		t.Fatal("export of an empty selection failed")
	}
	if res := readWithDuckDB(t, file); res.Count != 0 {
		t.Errorf("--site elsewhere.example: %d rows, want 0", res.Count)
	}
}

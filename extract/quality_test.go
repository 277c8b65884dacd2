package extract

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"lede"
	nurl "net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	readability "codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"
)

// TestWritePredictions checks that every page of the article-extraction benchmark gives
// text (an empty output counts as a failure there) and writes pred.json files for evalf1.py,
// plus removed.json (every block removed and by which rule, to audit rules against the
// truth), when LEDE_BENCH_DIR names the benchmark's folder (html/*.html.gz,
// ground-truth.json). F1 and timing are cmd/benchextract's job.
//
//	LEDE_BENCH_DIR=../shared/bench/zyte-dev LEDE_PRED_OUT=/tmp/pred go test -run TestWritePredictions ./extract
//
// It writes $LEDE_PRED_OUT/lede.json and readeck.json. Skipped otherwise.
func TestWritePredictions(t *testing.T) {
	dir, out := os.Getenv("LEDE_BENCH_DIR"), os.Getenv("LEDE_PRED_OUT")
	if dir == "" || out == "" {
		t.Skip("LEDE_BENCH_DIR and LEDE_PRED_OUT not set")
	}
	truth, err := readTruth(dir)
	if err != nil {
		t.Fatal(err)
	}
	only := os.Getenv("LEDE_ONLY")
	mine, peer := map[string]any{}, map[string]any{}
	var removed []map[string]string // every block removed, for checking rules against the truth
	for id, gt := range truth {
		if only != "" && id != only {
			continue
		}
		page := readGz(t, filepath.Join(dir, "html", id+".html.gz"))
		if os.Getenv("LEDE_KIND") != "" {
			if d, err := Parse(page, gt.URL); err == nil {
				if k, why := d.Kind(); k != lede.KindArticle {
					t.Logf("Kind %s (%s): %s", k, why, gt.URL)
				}
			}
		}
		var text string
		a, err := Extract(page, gt.URL, WithContentType("text/html; charset=utf-8"), WithExplain(func(rule, s string) {
			if only != "" {
				t.Logf("%s: %s", rule, s)
			}
			removed = append(removed, map[string]string{"id": id, "rule": rule, "text": s})
		}))
		if err != nil {
			t.Errorf("%s: %v", id, err)
		} else {
			text = a.Text
		}
		if strings.TrimSpace(text) == "" {
			t.Errorf("%s: empty output (%s)", id, gt.URL)
		}
		mine[id] = map[string]string{"articleBody": text}
		if only != "" {
			os.WriteFile(filepath.Join(out, "one.txt"), []byte(text), 0o644)
		}
		doc, _ := html.Parse(bytes.NewReader(page))
		u, _ := nurl.Parse(gt.URL)
		p := readability.NewParser()
		r, _ := p.ParseAndMutate(doc, u)
		var sb strings.Builder
		if r.Node != nil {
			r.RenderText(&sb)
		}
		peer[id] = map[string]string{"articleBody": sb.String()}
	}
	for name, m := range map[string]any{"lede.json": mine, "readeck.json": peer, "removed.json": removed} {
		b, _ := json.Marshal(m)
		if err := os.WriteFile(filepath.Join(out, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// benchPage is a page of the article-extraction benchmark's ground truth.
type benchPage struct {
	URL string `json:"url"`
}

// readTruth reads the ground truth (id → page) of the benchmark folder dir.
func readTruth(dir string) (map[string]benchPage, error) {
	raw, err := os.ReadFile(filepath.Join(dir, "ground-truth.json"))
	if err != nil {
		return nil, err
	}
	var truth map[string]benchPage
	if err := json.Unmarshal(raw, &truth); err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	return truth, nil
}

func readGz(t *testing.T, path string) []byte {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(z)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

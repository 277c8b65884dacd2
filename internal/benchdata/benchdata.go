// Package benchdata reads the labelled pages the benchmark tools score lede on (testdata/meta,
// testdata/pagekind): page files that may be gzip-compressed, some of them in the Go module
// cache.
package benchdata

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"lede/crawler"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// ReadPage reads a page file, gunzipping it when it is gzip data. A missing file gives an
// error that matches os.ErrNotExist.
func ReadPage(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if crawler.IsGzip(b) {
		zr, err := crawler.Gunzipped(bytes.NewReader(b))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		defer zr.Close()
		if b, err = io.ReadAll(zr); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
	}
	return b, nil
}

// ModCache is the Go module cache folder (go env GOMODCACHE, else ~/go/pkg/mod), where the
// test pages of go-readability and go-htmldate are. go-htmldate is no dependency of lede's:
// `go mod download github.com/markusmobius/go-htmldate@v1.10.1` puts its pages there.
func ModCache() string {
	if out, err := exec.Command("go", "env", "GOMODCACHE").Output(); err == nil {
		if s := strings.TrimSpace(string(out)); s != "" {
			return s
		}
	}
	home, _ := os.UserHomeDir()
	return filepath.Join(home, "go", "pkg", "mod")
}

// Labelled is a page of testdata/pagekind's labels.json (see its README): its URL, its kind
// ("article" or "front") and where its file is, one of File (relative to the labels file),
// Shared (relative to the shared data folder) or Modcache (relative to the Go module cache).
type Labelled struct {
	URL   string `json:"url"`
	Kind  string `json:"kind"` // "article" or "front"
	Class string `json:"class"`
	Lang  string `json:"lang"`
	Note  string `json:"note"`

	File     string `json:"file"`
	Shared   string `json:"shared"`
	Modcache string `json:"modcache"`

	Body []byte `json:"-"` // the page, read by LoadLabelled
}

// LoadLabelled reads the labels file at labels and the page of each entry (shared is the
// shared data folder). Pages whose file is missing are left out and counted in missing.
func LoadLabelled(labels, shared string) (pages []*Labelled, missing int, err error) {
	raw, err := os.ReadFile(labels)
	if err != nil {
		return nil, 0, fmt.Errorf("labels: %w", err)
	}
	var all []*Labelled
	if err := json.Unmarshal(raw, &all); err != nil {
		return nil, 0, fmt.Errorf("labels %s: %w", labels, err)
	}
	modcache := ModCache()
	for i, p := range all {
		if p.Kind != "article" && p.Kind != "front" {
			return nil, 0, fmt.Errorf("labels %s: entry %d (%s): kind %q, want article or front", labels, i, p.URL, p.Kind)
		}
		var path string
		switch {
		case p.File != "":
			path = filepath.Join(filepath.Dir(labels), p.File)
		case p.Shared != "":
			path = filepath.Join(shared, p.Shared)
		case p.Modcache != "":
			path = filepath.Join(modcache, p.Modcache)
		default:
			return nil, 0, fmt.Errorf("labels %s: entry %d (%s) names no file", labels, i, p.URL)
		}
		b, err := ReadPage(path)
		if errors.Is(err, os.ErrNotExist) {
			missing++
			continue
		}
		if err != nil {
			return nil, 0, err
		}
		p.Body = b
		pages = append(pages, p)
	}
	return pages, missing, nil
}

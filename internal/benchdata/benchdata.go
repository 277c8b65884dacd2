// Package benchdata reads the labelled pages the benchmark tools score lede on (testdata/meta,
// testdata/pagekind): page files that may be gzip-compressed, some of them in the Go module
// cache.
package benchdata

import (
	"bytes"
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

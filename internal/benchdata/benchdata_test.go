package benchdata

import (
	"bytes"
	"compress/gzip"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestReadPage reads plain and gzip-compressed pages alike, and says when one is missing.
func TestReadPage(t *testing.T) {
	dir := t.TempDir()
	page := []byte("<html><body><p>Hello</p></body></html>")
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(page)
	zw.Close()
	os.WriteFile(filepath.Join(dir, "a.html"), page, 0o644)
	os.WriteFile(filepath.Join(dir, "a.html.gz"), gz.Bytes(), 0o644)
	for _, name := range []string{"a.html", "a.html.gz"} {
		got, err := ReadPage(filepath.Join(dir, name))
		if err != nil || !bytes.Equal(got, page) {
			t.Errorf("ReadPage(%s) = %q, %v; want the page", name, got, err)
		}
	}
	if _, err := ReadPage(filepath.Join(dir, "missing.html")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a missing page: %v, want os.ErrNotExist", err)
	}
}

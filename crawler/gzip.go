package crawler

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
)

// Gunzipped returns what r holds, decompressed when it is gzip data: told apart by gzip's
// magic bytes, not by a file name or a header, since servers and saved pages label it
// either way. Close releases the decompressor (r itself is not closed). The caller bounds
// what it reads.
func Gunzipped(r io.Reader) (io.ReadCloser, error) {
	br := bufio.NewReader(r)
	if magic, _ := br.Peek(2); !IsGzip(magic) {
		return io.NopCloser(br), nil
	}
	zr, err := gzip.NewReader(br)
	if err != nil {
		return nil, fmt.Errorf("gunzip: %w", err)
	}
	return zr, nil
}

// IsGzip reports whether b starts with gzip's magic bytes.
func IsGzip(b []byte) bool { return len(b) >= 2 && b[0] == 0x1f && b[1] == 0x8b }

package crawler

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"lede/extract"
)

// TestFetchPage: lede extract's fetch is the crawl's: its User-Agent, the page as sent with
// its Content-Type, the final URL after a redirect, and a page above the body limit refused
// (said by Content-Length, or cut by the limit when streamed) instead of cut.
func TestFetchPage(t *testing.T) {
	const limit = 4096
	page := "<html><head><meta charset=windows-1256></head><body><p>" + strings.Repeat("\xc7", 100) + "</p></body></html>"
	var agent string
	mux := http.NewServeMux()
	mux.HandleFunc("/page", func(w http.ResponseWriter, r *http.Request) {
		agent = r.UserAgent()
		w.Header().Set("Content-Type", "text/html; charset=windows-1256")
		w.Write([]byte(page))
	})
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/page", http.StatusFound) })
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(strings.Repeat("x", limit+1)))
	})
	mux.HandleFunc("/big-streamed", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		for range 4 {
			w.Write([]byte(strings.Repeat("x", limit/2)))
			w.(http.Flusher).Flush() // chunked: no Content-Length
		}
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	ctx := context.Background()

	p, err := FetchPage(ctx, srv.URL+"/moved", WithMaxBodySize(limit))
	if err != nil {
		t.Fatal(err)
	}
	if string(p.Body) != page || p.ContentType != "text/html; charset=windows-1256" || p.URL != srv.URL+"/page" {
		t.Errorf("FetchPage = %q, %q, %q", p.Body[:20], p.ContentType, p.URL)
	}
	if agent != DefaultUserAgent {
		t.Errorf("User-Agent %q, want %q", agent, DefaultUserAgent)
	}
	for _, path := range []string{"/big", "/big-streamed"} {
		if _, err := FetchPage(ctx, srv.URL+path, WithMaxBodySize(limit)); !errors.Is(err, extract.ErrTooLarge) {
			t.Errorf("%s: err %v, want extract.ErrTooLarge", path, err)
		}
	}
	if _, err := FetchPage(ctx, srv.URL+"/nope"); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("missing page: err %v, want one naming 404", err)
	}
}

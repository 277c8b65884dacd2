package demosite

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestHandler: the site serves its pages with the charset the demo relies on, fills in its
// own address in robots.txt, the feed and the sitemap, and answers 404 for anything else.
func TestHandler(t *testing.T) {
	srv := httptest.NewServer(Handler())
	defer srv.Close()
	get := func(path string) (*http.Response, string) {
		t.Helper()
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp, string(b)
	}
	resp, body := get("/")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/html; charset=utf-8" || !strings.Contains(body, "<html") {
		t.Errorf("front page: %d %q %.80q", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	for _, path := range []string{"/robots.txt", "/rss.xml", "/sitemap.xml"} {
		resp, body := get(path)
		if resp.StatusCode != http.StatusOK || strings.Contains(body, "{{BASE}}") || !strings.Contains(body, srv.URL) {
			t.Errorf("%s: status %d, the site's address not filled in: %.200q", path, resp.StatusCode, body)
		}
	}
	// One Arabic article names its charset (windows-1256) only in a <meta> tag.
	legacy := 0
	for _, path := range []string{"/news/grain-harvest.html", "/news/harbour-bridge.html", "/news/museum-reopens.html",
		"/news/refugees-europe.html", "/news/washington-moscow-syria.html", "/world/", "/arabic/"} {
		resp, body := get(path)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d", path, resp.StatusCode)
		}
		if strings.Contains(body, "windows-1256") {
			legacy++
			if ct := resp.Header.Get("Content-Type"); ct != "text/html" {
				t.Errorf("%s: Content-Type %q, want text/html without a charset", path, ct)
			}
		}
	}
	if legacy != 1 {
		t.Errorf("%d pages in windows-1256, want 1", legacy)
	}
	if resp, _ := get("/no-such-page.html"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a missing page: status %d, want 404", resp.StatusCode)
	}
}

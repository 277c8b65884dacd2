package lede

import "testing"

func TestCanonicalize(t *testing.T) {
	for in, want := range map[string]string{
		"HTTP://Example.COM:80/a/b.html#comments":                       "http://example.com/a/b.html",
		"https://example.com:443":                                       "https://example.com/",
		"https://example.com:8443/x":                                    "https://example.com:8443/x",
		"https://example.com/a?utm_source=tw&utm_medium=social&id=7":    "https://example.com/a?id=7",
		"https://example.com/a?b=2&a=1&fbclid=XYZ&gclid=1":              "https://example.com/a?a=1&b=2",
		"https://example.com/a?":                                        "https://example.com/a",
		"https://user:pw@example.com/a":                                 "https://example.com/a",
		"https://example.com/search?q=caf%C3%A9+au+lait&page=2&_ga=1.2": "https://example.com/search?page=2&q=caf%C3%A9+au+lait",
		"https://example.com/ar/%D8%B3%D9%88%D8%B1%D9%8A%D8%A9":         "https://example.com/ar/%D8%B3%D9%88%D8%B1%D9%8A%D8%A9",
	} {
		got, err := Canonicalize(in)
		if err != nil || got != want {
			t.Errorf("Canonicalize(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"mailto:a@example.com", "ftp://example.com/", "/relative", "javascript:void(0)", "http://",
		"http://example.com:99999/", "http://example.com:0/", "https://example.com:65536/a"} {
		if got, err := Canonicalize(bad); err == nil {
			t.Errorf("Canonicalize(%q) = %q, want an error", bad, got)
		}
	}
}

func TestURLKey(t *testing.T) {
	for in, want := range map[string]string{
		"https://example.com/a?b=1&spm=2&share=tw&xtor=3": "https://example.com/a?b=1",
		"http://[::1]:8080/a":                             "http://[::1]:8080/a",
		"HTTP://[::1]:80/a#x":                             "http://[::1]/a",
		" not a url ":                                     "not a url",
		"":                                                "",
	} {
		if got := URLKey(in); got != want {
			t.Errorf("URLKey(%q) = %q, want %q", in, got, want)
		}
		if got := URLKey(want); got != want {
			t.Errorf("URLKey(%q) = %q: not a fixed point", want, got)
		}
	}
}

func TestSiteOf(t *testing.T) {
	for in, want := range map[string]string{
		"https://WWW.Example.com:8443/a": "example.com",
		"www.example.org":                "example.org",
		"news.example.com:8080/path":     "news.example.com",
		"http://[::1]:8080/":             "::1",
		" Example.NET ":                  "example.net",
	} {
		if got := SiteOf(in); got != want {
			t.Errorf("SiteOf(%q) = %q, want %q", in, got, want)
		}
	}
	if got := NormalizeHost("WWW.news.example:8080"); got != "news.example:8080" {
		t.Errorf("NormalizeHost kept %q", got)
	}
}

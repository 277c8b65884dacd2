package crawler

import (
	"strings"
	"testing"
	"time"
)

func TestParseConfig(t *testing.T) {
	cfg, err := ParseConfig([]byte(`
user_agent: test-bot
delay: 2s
parallelism: 2
retry_dead_after: 168h
sites:
  - name: example
    start: [https://example.com/, https://example.com/world/]
    feeds: https://example.com/rss.xml
    deny: ['/video/']
    delay: 500ms
    max_pages: 50
  - sitemaps: [https://example.org/sitemap.xml]
`))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.UserAgent != "test-bot" || time.Duration(*cfg.Delay) != 2*time.Second || int(*cfg.Parallelism) != 2 ||
		time.Duration(*cfg.RetryDeadAfter) != 7*24*time.Hour {
		t.Errorf("globals: %+v", cfg)
	}
	sites := cfg.CrawlSites([]string{"/news/"}, nil)
	if len(sites) != 2 {
		t.Fatalf("got %d sites", len(sites))
	}
	s := sites[0]
	if s.Name != "example" || len(s.Start) != 2 || len(s.Feeds) != 1 || s.MaxPages != 50 || *s.Delay != 500*time.Millisecond ||
		len(s.Deny) != 1 || len(s.Allow) != 1 {
		t.Errorf("site 0: %+v", s)
	}
}

func TestParseConfigErrorsNameTheLine(t *testing.T) {
	for name, tc := range map[string]struct{ doc, want string }{
		"unknown key":  {"sites:\n  - start: https://a.example/\n    colour: red\n", `line 3: unknown key "colour" in site #1 under sites: (the keys there: name, start,`},
		"bad duration": {"delay: 2x\nsites:\n  - start: https://a.example/\n", `line 1: "2x" is not a duration`},
		"bad count":    {"sites:\n  - start: https://a.example/\n    parallelism: -1\n", "line 3:"},
		"bad URL":      {"sites:\n  - start: [https://a.example/, 'ftp://b']\n", `line 2: "ftp://b" is not an http(s) URL`},
		"bad pattern":  {"sites:\n  - start: https://a.example/\n    allow: ['(']\n", "line 3: pattern"},
		"empty site":   {"sites:\n  - name: a\n  - name: b\n    start: https://b.example/\n", "line 2: site a has no start"},
		"no sites":     {"delay: 1s\n", "no sites"},
		"top typo":     {"delays: 1s\nsites:\n  - start: https://a.example/\n", `line 1: unknown key "delays" at the top level (the keys there: user_agent, delay,`},
		"named site":   {"sites:\n  - start: https://a.example/\n  - name: b\n    start: https://b.example/\n    max_page: 3\n", `line 5: unknown key "max_page" in site b under sites:`},
		"max_body 0":   {"max_body: 0\nsites:\n  - start: https://a.example/\n", "line 1: max_body: 0 is not allowed: want a size in bytes above 0"},
		"timeout 0":    {"sites:\n  - start: https://a.example/\ntimeout: 0s\n", "line 3: timeout: 0 is not allowed: want a duration above 0"},
		"parallel 0":   {"parallelism: 0\nsites:\n  - start: https://a.example/\n", "line 1: parallelism: 0 is not allowed: want 1 or more"},
		"site par 0":   {"sites:\n  - start: https://a.example/\n  - start: https://b.example/\n    parallelism: 0\n", "line 4: parallelism: 0 is not allowed"},
	} {
		_, err := ParseConfig([]byte(tc.doc))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want it to contain %q", name, err, tc.want)
		}
		// A message speaks of the file, never of lede's Go types or its flags.
		if err != nil && (strings.Contains(err.Error(), "crawler.") || strings.Contains(err.Error(), "--")) {
			t.Errorf("%s: error %q names a Go type or a flag", name, err)
		}
	}
}

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
	if cfg.UserAgent != "test-bot" || time.Duration(*cfg.Delay) != 2*time.Second || int(*cfg.Parallelism) != 2 {
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
		"unknown key":  {"sites:\n  - start: https://a.example/\n    colour: red\n", "line 3: field colour not found"},
		"bad duration": {"delay: 2x\nsites:\n  - start: https://a.example/\n", `line 1: "2x" is not a duration`},
		"bad count":    {"sites:\n  - start: https://a.example/\n    parallelism: -1\n", "line 3:"},
		"bad URL":      {"sites:\n  - start: [https://a.example/, 'ftp://b']\n", `line 2: "ftp://b" is not an http(s) URL`},
		"bad pattern":  {"sites:\n  - start: https://a.example/\n    allow: ['(']\n", "line 3: pattern"},
		"empty site":   {"sites:\n  - name: a\n  - name: b\n    start: https://b.example/\n", "line 2: site a has no start"},
		"no sites":     {"delay: 1s\n", "no sites"},
		"top typo":     {"delays: 1s\nsites:\n  - start: https://a.example/\n", "line 1: field delays not found"},
	} {
		_, err := ParseConfig([]byte(tc.doc))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want it to contain %q", name, err, tc.want)
		}
	}
}

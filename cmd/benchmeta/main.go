// Command benchmeta scores lede's title, byline and publication date against hand-checked
// labels of real article pages (testdata/meta/labels.json: the headline as displayed, the
// people credited, the day of publication shown).
//
//	go run ./cmd/benchmeta                      # the scores, overall, by language and by source
//	go run ./cmd/benchmeta -v                   # + every page that misses, with the label's note
//	go run ./cmd/benchmeta -tags                # + how often each hard-case tag comes with a miss
//
// A label's source names the page: "shared:bench/zyte-dev/html/ID.html.gz" under -shared
// (../shared), "modcache:github.com/…" in the Go module cache (pages of go-htmldate's and
// readeck's tests). Pages whose source is missing are skipped and counted.
//
// Scores, per page:
//   - title exact: lede's title is the displayed headline (or its listed alternative),
//     spaces aside;
//   - authors: every credited person is named, and nobody else (names compared without case
//     and spacing); a page that credits nobody must get no byline, or only the names its
//     metadata alone gives (authors_metadata_only);
//   - all named: every credited person is named, whoever else is (the looser reading);
//   - same day: lede's published date, on its own calendar (the zone it carries), is the
//     day shown (or its listed alternative); a page without a date must get none.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode"

	"lede/extract"
	"lede/internal/benchdata"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "benchmeta:", err)
		os.Exit(1)
	}
}

// label is one hand-checked page.
type label struct {
	Source              string   `json:"source"`
	URL                 string   `json:"url"`
	Lang                string   `json:"lang"`
	Title               string   `json:"title"`
	TitleAlt            string   `json:"title_alt"`
	Authors             []string `json:"authors"`
	AuthorsMetadataOnly []string `json:"authors_metadata_only"`
	Published           string   `json:"published"`
	PublishedAlt        string   `json:"published_alt"`
	Hard                []string `json:"hard"`
	Note                string   `json:"note"`
}

// outcome is one page's result.
type outcome struct {
	l                           label
	title, by, day              string
	titleOK, byOK, namedOK, dOK bool
	err                         error
}

// tally counts the pages right on each field.
type tally struct{ n, title, authors, named, day int }

func (t *tally) add(o outcome) {
	t.n++
	if o.titleOK {
		t.title++
	}
	if o.byOK {
		t.authors++
	}
	if o.namedOK {
		t.named++
	}
	if o.dOK {
		t.day++
	}
}

func pct(a, n int) string {
	if n == 0 {
		return "-"
	}
	return fmt.Sprintf("%5.1f%%", 100*float64(a)/float64(n))
}

func (t tally) row(name string) string {
	return fmt.Sprintf("%-22s %5d %8s %8s %9s %8s", name, t.n, pct(t.title, t.n), pct(t.authors, t.n), pct(t.named, t.n), pct(t.day, t.n))
}

func run(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("benchmeta", flag.ContinueOnError)
	labelsPath := fs.String("labels", "testdata/meta/labels.json", "the hand-checked labels")
	shared := fs.String("shared", "../shared", `folder that "shared:" sources are relative to`)
	verbose := fs.Bool("v", false, "list every page with a miss")
	tags := fs.Bool("tags", false, "count the hard-case tags of the pages with a miss")
	if err := fs.Parse(args); err != nil {
		return err
	}
	raw, err := os.ReadFile(*labelsPath)
	if err != nil {
		return fmt.Errorf("labels: %w", err)
	}
	var labels []label
	if err := json.Unmarshal(raw, &labels); err != nil {
		return fmt.Errorf("labels %s: %w", *labelsPath, err)
	}
	modcache := benchdata.ModCache()
	var outcomes []outcome
	missing := 0
	for _, l := range labels {
		page, err := readSource(l.Source, *shared, modcache)
		if err != nil {
			missing++
			continue
		}
		outcomes = append(outcomes, score(l, page))
	}
	fmt.Fprintf(out, "%s: %d pages scored", *labelsPath, len(outcomes))
	if missing > 0 {
		fmt.Fprintf(out, ", %d skipped (source not found: ../shared, or go mod download github.com/markusmobius/go-htmldate@v1.10.1 for go-htmldate's pages)", missing)
	}
	fmt.Fprintf(out, "\n\n%-22s %5s %8s %8s %9s %8s\n", "", "pages", "title", "authors", "all named", "same day")
	var all tally
	bySource, byLang := map[string]*tally{}, map[string]*tally{}
	for _, o := range outcomes {
		all.add(o)
		for _, g := range []struct {
			m map[string]*tally
			k string
		}{{bySource, sourceGroup(o.l.Source)}, {byLang, langGroup(o.l.Lang)}} {
			if g.m[g.k] == nil {
				g.m[g.k] = &tally{}
			}
			g.m[g.k].add(o)
		}
	}
	fmt.Fprintln(out, all.row("all"))
	for _, group := range []map[string]*tally{byLang, bySource} {
		fmt.Fprintln(out)
		for _, k := range sortedKeys(group) {
			fmt.Fprintln(out, group[k].row(k))
		}
	}
	if *tags {
		printTags(out, outcomes)
	}
	if *verbose {
		fmt.Fprintln(out)
		for _, o := range outcomes {
			if o.titleOK && o.byOK && o.dOK {
				continue
			}
			fmt.Fprintf(out, "%s %s\n", filepath.Base(o.l.Source), o.l.URL)
			if o.err != nil {
				fmt.Fprintf(out, "  error: %v\n", o.err)
			}
			if !o.titleOK {
				fmt.Fprintf(out, "  title   %q\n     want %q\n", o.title, o.l.Title)
			}
			if !o.byOK {
				fmt.Fprintf(out, "  byline  %q\n     want %q\n", o.by, strings.Join(o.l.Authors, ", "))
			}
			if !o.dOK {
				fmt.Fprintf(out, "  date    %q\n     want %q\n", o.day, o.l.Published)
			}
			fmt.Fprintf(out, "  note: %s\n", o.l.Note)
		}
	}
	return nil
}

// score extracts the page and compares it with its label.
func score(l label, page []byte) outcome {
	o := outcome{l: l}
	a, err := extract.Extract(page, l.URL)
	if err != nil {
		o.err = err
		o.byOK = len(l.Authors) == 0
		o.namedOK = o.byOK
		o.dOK = l.Published == ""
		return o
	}
	o.title, o.by = a.Title, a.Byline
	if !a.Published.IsZero() {
		o.day = a.Published.Format("2006-01-02")
	}
	o.titleOK = spaces(a.Title) == spaces(l.Title) || (l.TitleAlt != "" && spaces(a.Title) == spaces(l.TitleAlt))
	o.byOK = authorsOK(l, a.Byline, true)
	o.namedOK = authorsOK(l, a.Byline, false)
	o.dOK = o.day == l.Published || (o.day != "" && o.day == l.PublishedAlt)
	return o
}

// authorsOK reports whether byline names the credited people — with exact, them and nobody
// else — or, for a page that credits nobody, nobody but those its metadata names.
func authorsOK(l label, byline string, exact bool) bool {
	got := map[string]bool{}
	for _, n := range strings.Split(byline, ", ") {
		if k := nameKey(n); k != "" {
			got[k] = true
		}
	}
	want := map[string]bool{}
	for _, n := range l.Authors {
		want[nameKey(n)] = true
	}
	if len(want) == 0 {
		for _, n := range l.AuthorsMetadataOnly {
			delete(got, nameKey(n))
		}
		return len(got) == 0
	}
	if exact && len(got) != len(want) {
		return false
	}
	for k := range want {
		if !got[k] {
			return false
		}
	}
	return true
}

// nameKey folds case and keeps letters and digits, so that "TOM KRISHER" is "Tom Krisher".
func nameKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// spaces collapses every run of white space (no-break and ideographic spaces included).
func spaces(s string) string { return strings.Join(strings.Fields(s), " ") }

// readSource reads a label's page (gzip or plain).
func readSource(src, shared, modcache string) ([]byte, error) {
	var path string
	switch {
	case strings.HasPrefix(src, "shared:"):
		path = filepath.Join(shared, strings.TrimPrefix(src, "shared:"))
	case strings.HasPrefix(src, "modcache:") && modcache != "":
		path = filepath.Join(modcache, strings.TrimPrefix(src, "modcache:"))
	default:
		return nil, errors.New("unknown source " + src)
	}
	return benchdata.ReadPage(path)
}

// sourceGroup names a source's collection: "zyte-dev", "pagekind-dev", "go-htmldate", "readeck".
func sourceGroup(src string) string {
	switch {
	case strings.Contains(src, "zyte-dev"):
		return "source zyte-dev"
	case strings.Contains(src, "pagekind-dev"):
		return "source pagekind-dev"
	case strings.Contains(src, "go-htmldate"):
		return "source go-htmldate"
	case strings.Contains(src, "readeck"):
		return "source readeck"
	}
	return "source other"
}

// langGroup puts a page's language in a class: English, the other Latin-script languages,
// Arabic-script, Cyrillic, Chinese-Japanese-Korean, the rest.
func langGroup(lang string) string {
	switch strings.ToLower(strings.SplitN(lang, "-", 2)[0]) {
	case "en":
		return "lang en"
	case "ar", "fa", "ur":
		return "lang ar fa ur"
	case "ru", "uk", "bg", "sr", "mk", "be":
		return "lang cyrillic"
	case "zh", "ja", "ko":
		return "lang zh ja ko"
	case "de", "fr", "es", "pt", "it", "nl", "id", "tr", "pl", "cs", "hu", "da", "sv", "fi", "lt", "sq", "ca", "tl", "ro", "no", "nb":
		return "lang other latin"
	}
	return "lang other scripts"
}

func sortedKeys(m map[string]*tally) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// printTags counts, for each hard-case tag, the pages carrying it and those with a miss.
func printTags(out io.Writer, outcomes []outcome) {
	type count struct{ pages, title, authors, day int }
	counts := map[string]*count{}
	for _, o := range outcomes {
		for _, t := range o.l.Hard {
			c := counts[t]
			if c == nil {
				c = &count{}
				counts[t] = c
			}
			c.pages++
			if !o.titleOK {
				c.title++
			}
			if !o.byOK {
				c.authors++
			}
			if !o.dOK {
				c.day++
			}
		}
	}
	var ks []string
	for k, c := range counts {
		if c.title+c.authors+c.day > 0 {
			ks = append(ks, k)
		}
	}
	sort.Slice(ks, func(i, j int) bool {
		a, b := counts[ks[i]], counts[ks[j]]
		return a.title+a.authors+a.day > b.title+b.authors+b.day
	})
	fmt.Fprintf(out, "\n%-34s %5s %6s %7s %6s\n", "misses by hard-case tag", "pages", "title", "authors", "date")
	for _, k := range ks {
		c := counts[k]
		fmt.Fprintf(out, "%-34s %5d %6d %7d %6d\n", k, c.pages, c.title, c.authors, c.day)
	}
}

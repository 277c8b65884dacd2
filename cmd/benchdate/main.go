// Command benchdate compares lede's date reader with go-htmldate on go-htmldate's own test
// pages: the 1,000 saved pages of its comparison benchmark (200 from MediaCloud, 800 from
// htmldate's corpus), each with the publication date a person found on it.
//
//	go -C cmd/benchdate run .        # or: cd cmd/benchdate && go run .
//	go -C cmd/benchdate run . -v     # + every page where lede's day is wrong or missing
//
// For every page it runs lede's extractor (extract.Extract with the page's URL; the
// published date of the Article) and go-htmldate in its two modes, fast
// (SkipExtensiveSearch, the mode lede used before it had its own reader) and extensive
// (go-dateparser over the page's text), with UseOriginalDate, as htmldate's own comparison
// script does. A page counts as a true positive when the day matches the expected one, a
// false positive when another day is given, a false negative when no date is given.
//
// This folder is a module of its own so that lede's go.mod does not depend on go-htmldate
// (whose go-dateparser builds ~100 MB of tables at package init): it uses lede's extract
// package through a replace directive, and finds the test pages and expected dates in
// go-htmldate's folder of the module cache (the expected dates are read from the Go source of
// its comparison script, scripts/comparison/data-*.go).
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/go-shiori/dom"
	htmldate "github.com/markusmobius/go-htmldate"
	"lede/extract"
)

const htmldatePath = "github.com/markusmobius/go-htmldate"

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "benchdate:", err)
		os.Exit(1)
	}
}

// page is one test page with the date a person found on it.
type page struct {
	corpus, url, file, want string
}

// score counts the outcomes of one date reader.
type score struct {
	tp, fp, fn, tn int
	elapsed        time.Duration
}

func (s *score) add(got, want string) {
	switch {
	case got == "" && want == "":
		s.tn++
	case got == "":
		s.fn++
	case got == want:
		s.tp++
	default:
		s.fp++
	}
}

func (s score) n() int { return s.tp + s.fp + s.fn + s.tn }

func (s score) row(name string) string {
	tp, fp, fn, tn := float64(s.tp), float64(s.fp), float64(s.fn), float64(s.tn)
	return fmt.Sprintf("%-20s %5d %5d %5d %5d %7.3f %7.3f %7.3f %7.3f %8.2f",
		name, s.tp, s.fp, s.fn, s.tn, tp/(tp+fp), tp/(tp+fn), (tp+tn)/(tp+fp+fn+tn),
		2*tp/(2*tp+fp+fn), float64(s.elapsed.Microseconds())/1000/float64(max(s.n(), 1)))
}

// reader is one date reader under test: it returns the page's publication day or "".
type reader struct {
	name string
	read func(raw []byte, url string) string
}

func run(args []string, out, errOut io.Writer) error {
	fs := flag.NewFlagSet("benchdate", flag.ContinueOnError)
	fs.SetOutput(errOut)
	dir := fs.String("htmldate", "", "go-htmldate's module folder (default: the version this module requires, in the module cache)")
	verbose := fs.Bool("v", false, "list the pages where lede's day is wrong or missing")
	only := fs.String("corpus", "", "only this corpus: mediacloud or default")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dir == "" {
		d, err := moduleDir()
		if err != nil {
			return err
		}
		*dir = d
	}
	pages, err := loadPages(*dir)
	if err != nil {
		return err
	}
	readers := []reader{
		{"lede", readLede},
		{"htmldate fast", func(raw []byte, url string) string { return readHTMLDate(raw, url, false) }},
		{"htmldate extensive", func(raw []byte, url string) string { return readHTMLDate(raw, url, true) }},
	}
	scores := map[string]map[string]*score{} // corpus → reader → score
	corpora := []string{"mediacloud", "default", "all"}
	for _, c := range corpora {
		scores[c] = map[string]*score{}
		for _, r := range readers {
			scores[c][r.name] = &score{}
		}
	}
	var misses []string
	for _, p := range pages {
		if *only != "" && p.corpus != *only {
			continue
		}
		raw, err := readPage(*dir, p.file)
		if err != nil {
			return err
		}
		got := map[string]string{}
		for _, r := range readers {
			start := time.Now()
			day := r.read(raw, p.url)
			el := time.Since(start)
			got[r.name] = day
			for _, c := range []string{p.corpus, "all"} {
				scores[c][r.name].add(day, p.want)
				scores[c][r.name].elapsed += el
			}
		}
		if got["lede"] != p.want {
			l := orNone(got["lede"])
			if l == "-" && !ledeFindsArticle(raw, p.url) {
				l = "noart"
			}
			misses = append(misses, fmt.Sprintf("%-10s want %-10s lede %-10s fast %-10s ext %-10s %s",
				p.corpus, p.want, l, orNone(got["htmldate fast"]), orNone(got["htmldate extensive"]), p.url))
		}
	}
	fmt.Fprintf(out, "go-htmldate's comparison pages (%s), day of publication\n", filepath.Base(*dir))
	for _, c := range corpora {
		if scores[c]["lede"].n() == 0 {
			continue
		}
		fmt.Fprintf(out, "\n%s: %d pages\n", c, scores[c]["lede"].n())
		fmt.Fprintf(out, "%-20s %5s %5s %5s %5s %7s %7s %7s %7s %8s\n", "", "TP", "FP", "FN", "TN", "prec", "recall", "acc", "F1", "ms/page")
		for _, r := range readers {
			fmt.Fprintln(out, scores[c][r.name].row(r.name))
		}
	}
	fmt.Fprintln(out, "\nlede's ms/page is a whole extraction (text and metadata), htmldate's the date alone.")
	if *verbose {
		fmt.Fprintf(out, "\nlede's misses (%d):\n", len(misses))
		for _, m := range misses {
			fmt.Fprintln(out, m)
		}
	}
	return nil
}

func orNone(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// readLede is lede's published day, in the page's own time zone, or "". A page lede finds
// no article on gets no date (lede stores articles only); -v marks them "noart".
func readLede(raw []byte, url string) string {
	a, err := extract.Extract(raw, url)
	if err != nil || a.Published.IsZero() {
		return ""
	}
	return a.Published.Format("2006-01-02")
}

// ledeFindsArticle reports whether lede extracts an article from the page.
func ledeFindsArticle(raw []byte, url string) bool {
	_, err := extract.Extract(raw, url)
	return err == nil
}

// readHTMLDate is go-htmldate's original (publication) day, parsed the way its own comparison
// script does, or "".
func readHTMLDate(raw []byte, url string, extensive bool) string {
	doc, err := dom.Parse(bytes.NewReader(raw))
	if err != nil {
		return ""
	}
	opts := htmldate.Options{URL: url, UseOriginalDate: true, SkipExtensiveSearch: !extensive}
	res, err := htmldate.FromDocument(doc, opts)
	if err != nil || res.IsZero() {
		return ""
	}
	return res.Format("2006-01-02")
}

// moduleDir finds the folder of the go-htmldate version this program was built with.
func moduleDir() (string, error) {
	version := ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, m := range bi.Deps {
			if m.Path == htmldatePath {
				version = m.Version
			}
		}
	}
	if version == "" {
		return "", errors.New("no go-htmldate version in the build info: give -htmldate DIR")
	}
	cache, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMODCACHE: %w", err)
	}
	dir := filepath.Join(strings.TrimSpace(string(cache)), htmldatePath+"@"+version)
	if _, err := os.Stat(filepath.Join(dir, "test-files")); err != nil {
		return "", fmt.Errorf("go-htmldate's test pages: %w (run go mod download %s)", err, htmldatePath)
	}
	return dir, nil
}

// loadPages reads the comparison entries (URL, File, Date) from the Go source of
// go-htmldate's comparison script.
func loadPages(dir string) ([]page, error) {
	var pages []page
	for _, f := range []struct{ corpus, file string }{
		{"mediacloud", "data-mediacloud.go"}, {"default", "data-default.go"},
	} {
		path := filepath.Join(dir, "scripts", "comparison", f.file)
		file, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			return nil, fmt.Errorf("read expected dates: %w", err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			lit, ok := n.(*ast.CompositeLit)
			if !ok {
				return true
			}
			p := page{corpus: f.corpus}
			fields := 0
			for _, e := range lit.Elts {
				kv, ok := e.(*ast.KeyValueExpr)
				if !ok {
					continue
				}
				key, ok1 := kv.Key.(*ast.Ident)
				val, ok2 := kv.Value.(*ast.BasicLit)
				if !ok1 || !ok2 || val.Kind != token.STRING {
					continue
				}
				s, err := strconv.Unquote(val.Value)
				if err != nil {
					continue
				}
				switch key.Name {
				case "URL":
					p.url, fields = s, fields+1
				case "File":
					p.file, fields = s, fields+1
				case "Date":
					if s == "nan" { // the page shows no date
						s = ""
					}
					p.want, fields = s, fields+1
				}
			}
			if fields == 3 {
				pages = append(pages, p)
				return false
			}
			return true
		})
	}
	if len(pages) == 0 {
		return nil, fmt.Errorf("no comparison entries found under %s", dir)
	}
	return pages, nil
}

// readPage reads a test page from the folders htmldate's comparison script looks in.
func readPage(dir, name string) ([]byte, error) {
	for _, sub := range []string{"mediacloud", "comparison", "mock"} {
		b, err := os.ReadFile(filepath.Join(dir, "test-files", sub, name))
		if err == nil {
			return b, nil
		}
	}
	return nil, fmt.Errorf("test page %s not found under %s", name, filepath.Join(dir, "test-files"))
}

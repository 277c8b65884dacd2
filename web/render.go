package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// pages are the templates, each parsed with the layout. They are parsed when the first
// server is made, not at package init: every lede command links this package, and parsing
// them costs a few milliseconds and 400 kB that only lede serve needs.
var pages = sync.OnceValue(parsePages)

func parsePages() map[string]*template.Template {
	funcs := template.FuncMap{
		"date":     formatDate,
		"datetime": formatDateTime,
		"num":      formatNum,
		"count": func(n int, one, many string) string {
			if n == 1 {
				return "1 " + one
			}
			return formatNum(n) + " " + many
		},
		"bytes":   formatBytes,
		"seconds": func(s float64) string { return strconv.FormatFloat(s, 'f', 1, 64) + " s" },
		"dir":     textDir,
		"siteURL": func(site string) string { return "/site/" + url.PathEscape(site) },
		"lookupURL": func(u string) string {
			return "/lookup?" + url.Values{"url": {u}}.Encode()
		},
	}
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		panic(err)
	}
	out := map[string]*template.Template{}
	for _, name := range names {
		if name == "templates/layout.html" || name == "templates/partials.html" {
			continue
		}
		t := template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFiles, "templates/layout.html", "templates/partials.html", name))
		out[name[len("templates/"):len(name)-len(".html")]] = t
	}
	return out
}

// layoutData is what the layout shows around a page.
type layoutData struct {
	Title  string
	Corpus string
	Status string
	Query  string
	Page   any
}

// render writes page tmpl with data in the layout.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, tmpl, title string, data any) {
	t, ok := pages()[tmpl]
	if !ok {
		panic("web: no template " + tmpl)
	}
	ld := layoutData{Title: title, Corpus: s.title, Query: r.URL.Query().Get("q"), Page: data}
	if !s.ready.Load() {
		ld.Status = fmt.Sprintf("Reading the store into the search index: %s articles so far. Lists and search results fill as it goes.",
			formatNum(s.corpus.Load().size()))
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", ld); err != nil {
		s.log.Error("render page", "page", tmpl, "err", err)
		http.Error(w, "page failed to render", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

type errorData struct {
	Code    int
	Heading string
	Message string
}

// errorPage answers with the error page.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, status int, heading, msg string) {
	s.render(w, r, status, "error", heading, &errorData{Code: status, Heading: heading, Message: msg})
}

// staticHandler serves the stylesheet; it changes only with the binary.
func (s *Server) staticHandler() http.Handler {
	files := http.FileServerFS(staticFiles)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/") {
			s.notFound(w, r, "No such file.")
			return
		}
		if _, err := fs.Stat(staticFiles, strings.TrimPrefix(r.URL.Path, "/")); err != nil {
			s.notFound(w, r, "No such file.")
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=3600")
		files.ServeHTTP(w, r)
	})
}

// metricsHandler serves the metrics in Prometheus's text format.
func (s *Server) metricsHandler() http.Handler {
	return promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{})
}

// corpusCollector exports the indexed corpus's size per site.
type corpusCollector struct{ s *Server }

var articlesDesc = sync.OnceValue(func() *prometheus.Desc {
	return prometheus.NewDesc("lede_store_articles", "Articles in the store, per site (as indexed by the UI).", []string{"site"}, nil)
})

func (c corpusCollector) Describe(ch chan<- *prometheus.Desc) { ch <- articlesDesc() }

func (c corpusCollector) Collect(ch chan<- prometheus.Metric) {
	desc := articlesDesc()
	for site, n := range c.s.corpus.Load().siteCounts() {
		ch <- prometheus.MustNewConstMetric(desc, prometheus.GaugeValue, float64(n), site)
	}
}

func formatDate(t time.Time) string {
	if t.IsZero() {
		return "–"
	}
	return t.UTC().Format("2 Jan 2006")
}

func formatDateTime(t time.Time) string {
	if t.IsZero() {
		return "–"
	}
	return t.UTC().Format("2 Jan 2006 15:04 UTC")
}

// formatNum writes n with thousands separators: 20,000.
func formatNum(n int) string {
	s := strconv.Itoa(n)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	var b []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b = append(b, ',')
		}
		b = append(b, s[i])
	}
	if neg {
		return "-" + string(b)
	}
	return string(b)
}

func formatBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f kB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

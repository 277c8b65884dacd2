package crawler

import (
	"context"
	"errors"
	"fmt"
	"lede/extract"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/gocolly/colly/v2"
)

// contentTypeHeader is where lede keeps a response's original Content-Type. Colly re-encodes
// a body to UTF-8 when the Content-Type names another charset, yet extract must see the
// original bytes and header to decode them itself (Colly's detection ignores <meta charset>),
// so keepCharset moves the header aside before Colly sees it.
const contentTypeHeader = "X-Lede-Content-Type"

// keepCharset is an http.RoundTripper that strips the parameters from Content-Type (keeping
// the original under contentTypeHeader), so Colly hands over the body untouched.
type keepCharset struct{ base http.RoundTripper }

// RoundTrip sends req and moves the answer's Content-Type aside (see contentTypeHeader).
func (t keepCharset) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	if ct := resp.Header.Get("Content-Type"); ct != "" {
		resp.Header.Set(contentTypeHeader, ct)
		mt, _, _ := strings.Cut(ct, ";")
		resp.Header.Set("Content-Type", strings.TrimSpace(mt))
	}
	return resp, nil
}

// newTransport returns the HTTP transport shared by every host's collector: connection
// reuse for up to perHost requests in flight per host, bounded dials and handshakes.
func newTransport(perHost int) *http.Transport {
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          256,
		MaxIdleConnsPerHost:   max(perHost, 2),
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
}

// fetchResult is what one request produced.
type fetchResult struct {
	status      int
	header      http.Header
	body        []byte
	finalURL    string // after redirects
	contentType string // the original Content-Type header
	err         error  // transport error, timeout, redirect loop or HTTP error status
	skip        string // why the body was not downloaded (non-HTML, too large)
	tooLarge    bool   // skipped for its Content-Length above the body limit
	accept      func(contentType string) string
}

// ctxKey is the colly.Context key under which a request's fetchResult travels.
const ctxKey = "lede.result"

// errTooManyRedirects ends a redirect chain longer than the crawler allows.
var errTooManyRedirects = errors.New("too many redirects")

// redirectSchemeError ends a redirect to a URL lede cannot fetch (whatsapp:, ftp:, file:,
// mailto:): the answer is final, so the URL is skipped, never retried.
type redirectSchemeError struct{ target string }

func (e *redirectSchemeError) Error() string {
	return "redirected to " + e.target + ": not an http(s) URL"
}

// redirectScheme returns the redirectSchemeError in err's chain, or nil.
func redirectScheme(err error) *redirectSchemeError {
	var e *redirectSchemeError
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// newCollector builds the Colly collector of one host: every fetch's settings
// (newFetchCollector) through the run's paced transport, and one LimitRule for that host alone.
func (c *Crawler) newCollector(r *run, h *host) (*colly.Collector, error) {
	col := newFetchCollector(r.ctx, &c.cfg, r.archive(&pacedTransport{r: r, h: h, base: r.transport}))
	// Parallelism is enforced per host twice over: by the crawler's workers and by this rule.
	// The delay is the crawler's (context-aware); Colly's LimitRule sleep is not.
	if err := col.Limit(&colly.LimitRule{DomainGlob: globEscape(h.name), Parallelism: h.parallelism}); err != nil {
		return nil, fmt.Errorf("limit rule for %s: %w", h.name, err)
	}
	return col, nil
}

// newFetchCollector builds a Colly collector with the settings of every fetch, the crawl's and
// lede extract's (FetchPage): the User-Agent, lede's own robots.txt handling, charset left to
// extract (keepCharset around transport), a body cap, a timeout, bounded redirects, and the
// callbacks that fill a request's fetchResult.
func newFetchCollector(ctx context.Context, cfg *config, transport http.RoundTripper) *colly.Collector {
	col := colly.NewCollector(
		colly.UserAgent(cfg.userAgent),
		colly.MaxBodySize(cfg.maxBodySize),
		colly.AllowURLRevisit(), // the Frontier is the visited set
		// robots.txt is obeyed by lede itself (robots.go): it is fetched once per host through
		// this collector, cached, and its Crawl-delay and Sitemap lines are honoured, which
		// Colly's built-in check (IgnoreRobotsTxt=false) never does.
		colly.IgnoreRobotsTxt(),
		colly.StdlibContext(ctx),
	)
	col.WithTransport(keepCharset{base: transport})
	col.SetRequestTimeout(cfg.timeout)
	maxRedirects := cfg.maxRedirects
	col.SetRedirectHandler(func(req *http.Request, via []*http.Request) error {
		if s := req.URL.Scheme; s != "http" && s != "https" {
			return &redirectSchemeError{target: req.URL.Redacted()}
		}
		if len(via) > maxRedirects {
			return fmt.Errorf("%w: stopped after %d", errTooManyRedirects, maxRedirects)
		}
		for _, prev := range via {
			if prev.URL.String() == req.URL.String() {
				return fmt.Errorf("%w: redirect loop back to %s", errTooManyRedirects, req.URL)
			}
		}
		return nil
	})
	maxBody := cfg.maxBodySize
	col.OnResponseHeaders(func(resp *colly.Response) {
		res, _ := resp.Ctx.GetAny(ctxKey).(*fetchResult)
		if res == nil || resp.StatusCode != http.StatusOK {
			return
		}
		ct := resp.Headers.Get(contentTypeHeader)
		if res.accept != nil {
			if reason := res.accept(ct); reason != "" {
				res.skip = reason
				resp.Request.Abort()
				return
			}
		}
		if cl := resp.Headers.Get("Content-Length"); cl != "" && maxBody > 0 && res.accept != nil { // pages only: a long sitemap is read up to the cap
			var n int64
			if _, err := fmt.Sscan(cl, &n); err == nil && n > int64(maxBody) {
				res.skip = fmt.Sprintf("too large: %d bytes (limit %d)", n, maxBody)
				res.tooLarge = true
				resp.Request.Abort()
			}
		}
	})
	col.OnResponse(func(resp *colly.Response) {
		res, _ := resp.Ctx.GetAny(ctxKey).(*fetchResult)
		if res == nil {
			return
		}
		res.fill(resp)
	})
	col.OnError(func(resp *colly.Response, err error) {
		res, _ := resp.Ctx.GetAny(ctxKey).(*fetchResult)
		if res == nil {
			return
		}
		res.err = err
		res.fill(resp)
	})
	return col
}

// fill copies what Colly received into res: status, body, headers and the final URL.
func (res *fetchResult) fill(resp *colly.Response) {
	res.status = resp.StatusCode
	res.body = resp.Body
	if resp.Headers != nil {
		res.header = *resp.Headers
		res.contentType = resp.Headers.Get(contentTypeHeader)
	}
	if resp.Request != nil && resp.Request.URL != nil {
		res.finalURL = resp.Request.URL.String()
	}
}

// fetch GETs url through the host's collector. accept, when set, vets the Content-Type of a
// 200 answer before its body is downloaded and returns a skip reason to refuse it.
func (h *host) fetch(url string, hdr http.Header, accept func(ct string) string) *fetchResult {
	return fetchWith(h.col, url, hdr, accept)
}

// fetchWith GETs url through col (see host.fetch).
func fetchWith(col *colly.Collector, url string, hdr http.Header, accept func(ct string) string) *fetchResult {
	res := &fetchResult{accept: accept}
	cctx := colly.NewContext()
	cctx.Put(ctxKey, res)
	if hdr == nil {
		hdr = http.Header{}
	}
	err := col.Request(http.MethodGet, url, nil, cctx, hdr)
	if err != nil && res.err == nil {
		res.err = err
	}
	if res.skip != "" {
		res.err = nil
	}
	if res.finalURL == "" {
		res.finalURL = url
	}
	return res
}

// globEscape quotes the characters gobwas/glob treats specially, so a rule matches one host.
func globEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '*', '?', '[', ']', '{', '}', '\\', '!':
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// truncated reports whether the body reached the limit: Colly cuts a body at MaxBodySize
// silently, so a body of exactly the limit is taken as cut.
func (res *fetchResult) truncated(limit int) bool { return limit > 0 && len(res.body) >= limit }

// Page is a page fetched by FetchPage.
type Page struct {
	Body        []byte // as sent (charset not decoded; Content-Encoding undone)
	ContentType string // the answer's Content-Type header, charset included
	URL         string // the final URL, after redirects
}

// FetchPage GETs one page as the crawl fetches its pages: the same User-Agent, timeout,
// redirect rules, body limit and charset handling (the body undecoded, with its original
// Content-Type, for extract), and the options that set them (WithUserAgent, WithTimeout,
// WithMaxRedirects, WithMaxBodySize); no robots.txt, pacing or store. lede extract fetches
// with it. A page above the body limit is an error wrapping extract.ErrTooLarge, never cut;
// an answer other than 200 OK is an error naming the status.
func FetchPage(ctx context.Context, url string, opts ...Option) (*Page, error) {
	cfg := defaultConfig()
	for _, o := range opts {
		o(&cfg)
	}
	transport := cfg.transport
	if transport == nil {
		tr := newTransport(1)
		defer tr.CloseIdleConnections()
		transport = tr
	}
	col := newFetchCollector(ctx, &cfg, transport)
	res := fetchWith(col, url, nil, func(string) string { return "" }) // any type: extract says what it cannot read
	switch {
	case res.tooLarge:
		return nil, fmt.Errorf("%s: %w", res.skip, extract.ErrTooLarge)
	case res.status != 0 && res.status != http.StatusOK:
		return nil, fmt.Errorf("HTTP %d %s", res.status, http.StatusText(res.status))
	case res.err != nil:
		return nil, res.err
	case res.truncated(cfg.maxBodySize):
		return nil, fmt.Errorf("body reached the %d-byte limit: %w", cfg.maxBodySize, extract.ErrTooLarge)
	}
	return &Page{Body: res.body, ContentType: res.contentType, URL: res.finalURL}, nil
}

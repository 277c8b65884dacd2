package crawler

import (
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptrace"
	"sync"
	"time"

	"lede/warc"
)

// WithWARC archives every HTTP exchange of the crawl (robots.txt, sitemaps, feeds, pages,
// error answers) to w as WARC request and response records. The caller closes w after Run.
func WithWARC(w *warc.Writer) Option { return func(c *config) { c.warc = w } }

// archive wraps base so that each exchange is written to the crawl's WARC writer, if any.
func (r *run) archive(base http.RoundTripper) http.RoundTripper {
	if r.c.cfg.warc == nil {
		return base
	}
	return &warcTransport{base: base, w: r.c.cfg.warc, limit: r.c.cfg.maxBodySize, log: r.log}
}

// warcTransport is an http.RoundTripper that records each exchange once its body has been
// read (or abandoned: a page refused on its Content-Type, a body over the limit).
type warcTransport struct {
	base  http.RoundTripper
	w     *warc.Writer
	limit int
	log   *slog.Logger
}

// RoundTrip sends req and hands back a response whose body is recorded as it is read.
func (t *warcTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	var ip string
	trace := &httptrace.ClientTrace{GotConn: func(ci httptrace.GotConnInfo) {
		if a, ok := ci.Conn.RemoteAddr().(*net.TCPAddr); ok {
			ip = a.IP.String()
		}
	}}
	sent := time.Now()
	resp, err := t.base.RoundTrip(req.WithContext(httptrace.WithClientTrace(req.Context(), trace)))
	if err != nil {
		return nil, err
	}
	ex := warc.Exchange{Request: req, Response: resp, IP: ip, Date: sent}
	resp.Body = &recordingBody{rc: resp.Body, limit: t.limit, done: func(body []byte, truncated string) {
		ex.Body, ex.Truncated = body, truncated
		if err := t.w.Write(ex); err != nil {
			t.log.Warn("exchange not archived", "url", req.URL.String(), "err", err)
		}
	}}
	return resp, nil
}

// recordingBody keeps what is read through it (up to limit bytes) and calls done once: at
// the end of the body, or when it is closed before.
type recordingBody struct {
	rc    io.ReadCloser
	limit int
	buf   []byte
	cut   bool
	once  sync.Once
	done  func(body []byte, truncated string)
}

func (b *recordingBody) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	if n > 0 {
		if b.limit > 0 && len(b.buf)+n > b.limit {
			b.buf = append(b.buf, p[:max(b.limit-len(b.buf), 0)]...)
			b.cut = true
		} else {
			b.buf = append(b.buf, p[:n]...)
		}
	}
	if err == io.EOF {
		b.finish("")
	}
	return n, err
}

func (b *recordingBody) Close() error {
	b.finish("disconnect") // a no-op after EOF
	return b.rc.Close()
}

// finish hands the recorded body over, once.
func (b *recordingBody) finish(truncated string) {
	b.once.Do(func() {
		if b.cut {
			truncated = "length"
		}
		b.done(b.buf, truncated)
	})
}

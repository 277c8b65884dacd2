package web

import (
	"cmp"
	"context"
	"errors"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Server is lede's web UI over one store.
type Server struct {
	acc     *Access
	metrics *Metrics
	log     *slog.Logger
	title   string

	corpus  atomic.Pointer[corpus]
	ready   atomic.Bool // the first full read of the store finished
	builtAt time.Time   // when the corpus in use started being read (refresher only)

	syncMu  sync.Mutex  // one update of the corpus at a time
	version fileVersion // the store's version the corpus is up to date with (under syncMu)

	cache    cache
	viewedMu sync.Mutex
	viewed   map[string]time.Time // sites whose page was opened, and when (see warm)
	mux      *http.ServeMux
}

// Option configures a Server.
type Option func(*Server)

// WithMetrics serves m on /metrics (lede schedule --serve feeds it the crawl's events).
// Without it the server has metrics of its own: the corpus gauges and the Go runtime's.
func WithMetrics(m *Metrics) Option { return func(s *Server) { s.metrics = m } }

// WithLogger sets where the server logs (default: discard).
func WithLogger(l *slog.Logger) Option { return func(s *Server) { s.log = l } }

// WithTitle names the corpus in page titles and the header (default "lede").
func WithTitle(t string) Option { return func(s *Server) { s.title = t } }

// New returns a server reading the store through acc. Call Start to read the store into
// its index, and serve Handler.
func New(acc *Access, opts ...Option) *Server {
	pages() // parse the templates now: a broken one fails here, not at the first request
	s := &Server{acc: acc, log: slog.New(slog.DiscardHandler), title: "lede"}
	for _, o := range opts {
		o(s)
	}
	if s.metrics == nil {
		s.metrics = NewMetrics()
	}
	s.metrics.reg.MustRegister(corpusCollector{s})
	s.corpus.Store(newCorpus())
	s.routes()
	return s
}

// Refresh timing: how often the refresher looks at the store file, and how old the index
// may get before a full rebuild picks up texts replaced in place.
const (
	refreshEvery = 2 * time.Second
	rebuildAfter = time.Hour
)

// Start reads the store into the index in the background, then keeps the index up to date
// with the store until ctx ends. Pages answer meanwhile (their lists fill as it reads).
func (s *Server) Start(ctx context.Context) {
	go func() {
		t := time.NewTicker(refreshEvery)
		defer t.Stop()
		for {
			if err := s.refresh(ctx); err != nil && !errors.Is(err, ErrBusy) && !errors.Is(err, ErrNoStore) && ctx.Err() == nil {
				s.log.Warn("reading the store for the UI", "err", err)
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
}

// refresh brings the index up to date when the store changed: the articles first seen since
// the last read, or a whole new index when the one in use is over an hour old.
func (s *Server) refresh(ctx context.Context) error {
	v := s.acc.version()
	s.syncMu.Lock()
	unchanged := s.ready.Load() && v.valid && v == s.version
	s.syncMu.Unlock()
	if unchanged {
		return nil
	}
	if s.ready.Load() && time.Since(s.builtAt) > rebuildAfter {
		fresh := newCorpus()
		started := time.Now()
		if err := fresh.load(ctx, s.acc); err != nil {
			return err
		}
		s.corpus.Store(fresh)
		s.builtAt = started
		s.log.Info("search index rebuilt", "articles", fresh.size(), "took", time.Since(started).Round(time.Millisecond))
	}
	if !s.ready.Load() {
		s.builtAt = time.Now()
	}
	if err := s.sync(ctx, v); err != nil {
		return err
	}
	if !s.ready.Swap(true) {
		s.log.Info("search index ready", "articles", s.corpus.Load().size(), "took", time.Since(s.builtAt).Round(time.Millisecond))
	}
	if v.valid {
		s.warm(ctx)
	}
	return nil
}

// warmSites is how many sites' fetch records the refresher reads ahead after the store
// changed, so that their pages answer from the cache: the sites viewed last, then the
// largest. Reading a big site's records costs tens of milliseconds, more when the file is
// not in the page cache; better here than in a visitor's request.
const warmSites = 8

// warm reads ahead the fetch records of the sites a visitor is likely to open next.
func (s *Server) warm(ctx context.Context) {
	for _, site := range s.sitesToWarm() {
		st, release, err := s.acc.acquire(ctx)
		if err != nil {
			return // a crawl has the file: the pages will read them
		}
		_, err = s.fetchSummary(ctx, st, site)
		release()
		if err != nil || ctx.Err() != nil {
			return
		}
		if s.acc.perRequest() {
			time.Sleep(loadGap) // let a crawl in between two sites
		}
	}
}

// sitesToWarm lists the sites viewed in the last hour, the latest first, then the largest.
func (s *Server) sitesToWarm() []string {
	s.viewedMu.Lock()
	var out []string
	for site, at := range s.viewed {
		if time.Since(at) > time.Hour {
			delete(s.viewed, site)
			continue
		}
		out = append(out, site)
	}
	slices.SortFunc(out, func(a, b string) int { return s.viewed[b].Compare(s.viewed[a]) })
	s.viewedMu.Unlock()
	counts := s.corpus.Load().siteCounts()
	bySize := slices.Collect(maps.Keys(counts))
	slices.SortFunc(bySize, func(a, b string) int { return cmp.Or(cmp.Compare(counts[b], counts[a]), strings.Compare(a, b)) })
	for _, site := range bySize {
		if !slices.Contains(out, site) {
			out = append(out, site)
		}
	}
	return out[:min(len(out), warmSites)]
}

// noteViewed remembers that a visitor opened site's page.
func (s *Server) noteViewed(site string) {
	s.viewedMu.Lock()
	defer s.viewedMu.Unlock()
	if s.viewed == nil {
		s.viewed = map[string]time.Time{}
	}
	s.viewed[site] = time.Now()
}

// Sync does at once what the refresher started by Start does when the store changes: it
// reads into the index every article stored since its last read and reads ahead the fetch
// records of the sites a visitor is likely to open (see warm). It returns when the index is
// up to date, or ErrBusy when a crawl holds the store. Tests and tools call it after writing.
func (s *Server) Sync(ctx context.Context) error {
	v := s.acc.version()
	if err := s.sync(ctx, v); err != nil {
		return err
	}
	s.ready.Store(true)
	if v.valid {
		s.warm(ctx)
	}
	return nil
}

func (s *Server) sync(ctx context.Context, v fileVersion) error {
	s.syncMu.Lock()
	defer s.syncMu.Unlock()
	if err := s.corpus.Load().load(ctx, s.acc); err != nil {
		return err
	}
	s.version = v
	if st, release, err := s.acc.acquire(ctx); err == nil {
		if stats, err := st.Stats(ctx); err == nil {
			s.metrics.setQueue(stats.Queued)
		}
		release()
	}
	return nil
}

// fileVersion identifies a state of the store file: bbolt rewrites it on every commit.
type fileVersion struct {
	valid bool
	mod   time.Time
	size  int64
}

// version returns the store file's version; not valid for a store without a file name
// (Fixed), which is then read again on every refresh (only new articles are read).
func (a *Access) version() fileVersion {
	if a.path == "" {
		return fileVersion{}
	}
	info, err := os.Stat(a.path)
	if err != nil {
		return fileVersion{}
	}
	return fileVersion{valid: true, mod: info.ModTime(), size: info.Size()}
}

// ListenAndServe serves the UI on ln until ctx ends, then shuts down gracefully.
func (s *Server) ListenAndServe(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second, BaseContext: func(net.Listener) context.Context { return ctx }}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return err
	}
	return nil
}

// IsLoopback reports whether addr (host:port) listens on loopback only. An empty host
// (":8787") listens on every interface.
func IsLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

package web

import (
	"lede"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"lede/crawler"
)

// Metrics are lede's Prometheus metrics, served on /metrics. The crawl metrics are fed by
// the crawler's events and run reports of lede schedule --serve (Event, RunStarted,
// RunEnded), so they move while a crawl runs; the corpus gauges come from the server's
// index; Go runtime and process metrics come with them.
//
//	lede_crawl_urls_total{host,outcome}      URLs finished, by outcome (new, hub, skipped, error, ...)
//	lede_crawl_fetches_total{host}           HTTP answers to pages, feeds and sitemaps (retried ones too)
//	lede_crawl_articles_total{host,result}   articles stored: new or updated
//	lede_crawl_errors_total{host}            URLs that still failed after their retries
//	lede_crawl_retries_total{host}           requests retried after a 429, a 5xx or a network error
//	lede_crawl_host_pauses_total{host}       circuit-breaker pauses of a host that kept failing
//	lede_crawl_runs_total{result}            runs ended: done, stopped, interrupted, failed, locked
//	lede_crawl_run_duration_seconds          histogram of run durations
//	lede_crawl_running                       1 while a run is going on
//	lede_crawl_in_flight                     URLs taken from the queue and not finished
//	lede_crawl_queue_size                    URLs queued in the store's frontier
//	lede_crawl_last_run_end_timestamp_seconds
//	lede_store_articles{site}                articles stored, per site (as indexed by the UI)
type Metrics struct {
	reg      *prometheus.Registry
	urls     *prometheus.CounterVec
	fetches  *prometheus.CounterVec
	articles *prometheus.CounterVec
	errors   *prometheus.CounterVec
	retries  *prometheus.CounterVec
	pauses   *prometheus.CounterVec
	runs     *prometheus.CounterVec
	duration prometheus.Histogram
	running  prometheus.Gauge
	inFlight prometheus.Gauge
	queue    prometheus.Gauge
	lastEnd  prometheus.Gauge
	started  atomic.Int64 // when the running run started (Unix nanoseconds)
}

// NewMetrics returns the metrics in a registry of their own.
func NewMetrics() *Metrics {
	host := []string{"host"}
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		urls: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "lede_crawl_urls_total",
			Help: "URLs the crawler finished, by host and outcome."}, []string{"host", "outcome"}),
		fetches: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "lede_crawl_fetches_total",
			Help: "HTTP answers to page, feed and sitemap requests, retried ones included."}, host),
		articles: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "lede_crawl_articles_total",
			Help: "Articles stored, by host and result (new, updated)."}, []string{"host", "result"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "lede_crawl_errors_total",
			Help: "URLs that still failed after their retries."}, host),
		retries: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "lede_crawl_retries_total",
			Help: "Requests retried after a 429, a 5xx or a network error."}, host),
		pauses: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "lede_crawl_host_pauses_total",
			Help: "Circuit-breaker pauses of a host that kept failing."}, host),
		runs: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "lede_crawl_runs_total",
			Help: "Crawl runs ended, by result (done, stopped, interrupted, failed, locked)."}, []string{"result"}),
		duration: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "lede_crawl_run_duration_seconds",
			Help:    "Wall time of crawl runs.",
			Buckets: []float64{1, 5, 15, 30, 60, 120, 300, 600, 900, 1800, 3600}}),
		running: prometheus.NewGauge(prometheus.GaugeOpts{Name: "lede_crawl_running",
			Help: "1 while a crawl run is going on."}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{Name: "lede_crawl_in_flight",
			Help: "URLs taken from the queue and not finished yet."}),
		queue: prometheus.NewGauge(prometheus.GaugeOpts{Name: "lede_crawl_queue_size",
			Help: "URLs queued in the store's frontier (the next run's work when no run is going on)."}),
		lastEnd: prometheus.NewGauge(prometheus.GaugeOpts{Name: "lede_crawl_last_run_end_timestamp_seconds",
			Help: "When the last crawl run ended (Unix time)."}),
	}
	m.reg.MustRegister(m.urls, m.fetches, m.articles, m.errors, m.retries, m.pauses, m.runs, m.duration,
		m.running, m.inFlight, m.queue, m.lastEnd,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Event counts one crawler event (crawler.WithEvents); safe from many goroutines.
func (m *Metrics) Event(ev crawler.Event) {
	h := ev.Host
	m.urls.WithLabelValues(h, ev.Outcome.String()).Inc()
	m.inFlight.Set(float64(ev.Pending))
	if ev.Status > 0 && ev.Outcome != lede.OutcomePaused {
		m.fetches.WithLabelValues(h).Inc()
	}
	switch ev.Outcome {
	case lede.OutcomeNew, lede.OutcomeUpdated:
		m.articles.WithLabelValues(h, ev.Outcome.String()).Inc()
	case lede.OutcomeError:
		m.errors.WithLabelValues(h).Inc()
	case lede.OutcomeRetry:
		m.retries.WithLabelValues(h).Inc()
	case lede.OutcomePaused:
		m.pauses.WithLabelValues(h).Inc()
	}
}

// RunStarted notes that a crawl run began.
func (m *Metrics) RunStarted() {
	m.started.Store(time.Now().UnixNano())
	m.running.Set(1)
}

// RunEnded notes how a run ended: its summary (nil when it never ran) and error. locked is
// a run skipped because another process held the store.
func (m *Metrics) RunEnded(sum *crawler.Summary, err error, locked bool) {
	m.running.Set(0)
	m.inFlight.Set(0)
	m.lastEnd.SetToCurrentTime()
	result := "done"
	switch {
	case locked:
		result = "locked"
	case sum != nil && sum.Stopped == lede.StopInterrupted:
		result = "interrupted"
	case err != nil || sum == nil:
		result = "failed"
	case sum.Stopped != "":
		result = "stopped"
	}
	m.runs.WithLabelValues(result).Inc()
	if started := m.started.Swap(0); started != 0 && !locked {
		m.duration.Observe(time.Since(time.Unix(0, started)).Seconds())
	}
	if sum != nil {
		m.queue.Set(float64(sum.Queued))
	}
}

// setQueue records the frontier's length read from the store.
func (m *Metrics) setQueue(n int) { m.queue.Set(float64(n)) }

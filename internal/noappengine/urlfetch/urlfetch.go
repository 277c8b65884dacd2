// Package urlfetch stands in for google.golang.org/appengine/urlfetch, which Colly imports
// for its Collector.Appengine method (crawling from inside Google App Engine's first
// runtime). lede never calls that method, but every lede process paid for the import: the
// App Engine packages register their protocol buffer descriptors in package init (about
// 850 kB of heap, 1.3 MB of resident memory and a few milliseconds at every start, lede
// --help included). go.mod replaces the module with this folder.
package urlfetch

import (
	"context"
	"net/http"
)

// Client returns a plain HTTP client: outside App Engine, what urlfetch.Client gives too.
func Client(ctx context.Context) *http.Client { return &http.Client{} }

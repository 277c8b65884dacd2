package crawler

import "github.com/hashicorp/golang-lru/v2/simplelru"

// DefaultMaxHosts is how many hosts a run keeps learned state of in memory at once (its
// learned chrome, its URL templates and menu-link counts): the hosts used longest ago are
// put out of memory beyond it (WithMaxHosts), so that an import of an archive of tens of
// thousands of hosts (a CC-NEWS file) or a crawl of many sites holds memory flat in their
// number. A few thousand hosts hold some tens of MB.
const DefaultMaxHosts = 2048

// hostLRU is the run's state of each host it met, at most max hosts (least recently used
// out first). It is not safe for concurrent use: its owner's lock guards it.
type hostLRU[V any] = simplelru.LRU[string, V]

// newHostLRU returns a hostLRU holding at most size hosts (at least one). evict runs, under
// the caller's lock, for each host put out to make room: it must save whatever of v is not
// yet in the store, for the host's state is read again from the store when the host comes
// back.
func newHostLRU[V any](size int, evict func(host string, v V)) *hostLRU[V] {
	l, err := simplelru.NewLRU(max(size, 1), simplelru.EvictCallback[string, V](evict))
	if err != nil {
		panic(err) // only for a size below one
	}
	return l
}

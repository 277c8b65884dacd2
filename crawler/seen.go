package crawler

import "hash/maphash"

// maxSeen bounds the URLs a run remembers in memory: past it the set starts afresh.
const maxSeen = 1 << 16

// seenSet remembers the URLs a run has queued or handled, so that the links every page
// repeats (navigation, sections) do not each cost a frontier write. It is a cache in front
// of the frontier, which keeps the authoritative set of queued URLs in the store: it holds
// 64-bit hashes rather than the URLs (about 20 bytes an entry) and is cleared when it holds
// maxSeen of them, so its memory is bounded whatever the crawl's size. A URL forgotten that
// way is asked of the frontier again, which queues it only if it was never queued; a
// redirect target or canonical URL that was handled without being queued (markSeen) may then
// be queued and fetched once more, and the store keeps one article per URL.
type seenSet struct {
	seed maphash.Seed
	set  map[uint64]struct{}
}

func newSeenSet() *seenSet {
	return &seenSet{seed: maphash.MakeSeed(), set: map[uint64]struct{}{}}
}

// has reports whether u is in the set.
func (s *seenSet) has(u string) bool {
	_, ok := s.set[maphash.String(s.seed, u)]
	return ok
}

// add records u and reports whether it was new to the set.
func (s *seenSet) add(u string) bool {
	h := maphash.String(s.seed, u)
	if _, ok := s.set[h]; ok {
		return false
	}
	if len(s.set) >= maxSeen {
		clear(s.set)
	}
	s.set[h] = struct{}{}
	return true
}

package crawler

import (
	"lede"
	"net/url"
)

// hostKey is the host (with port) of a canonical URL without a leading "www.": the unit of
// "in-site" for links.
func hostKey(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return ""
	}
	return lede.NormalizeHost(u.Host)
}

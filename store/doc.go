// Package store keeps clean articles and the crawl state in one bbolt file.
package store

package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestUsageErrorsAreTyped: cobra's own checks (an unknown command or flag, a wrong number
// of arguments) exit 2, lede alone and its help exit 0, and an error that only reads like a
// usage message (a missing file named so) is a failure, exit 1: the code comes from the
// error's type, not its text.
func TestUsageErrorsAreTyped(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "unknown command requires at least.html")
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"crawll"}, exitUsage, "Did you mean this?\n\tcrawl"},
		{[]string{"show"}, exitUsage, "accepts 1 arg(s), received 0"},
		{[]string{"stats", "extra"}, exitUsage, `unknown command "extra" for "lede stats"`},
		{[]string{"export", "--no-such-flag"}, exitUsage, "unknown flag"},
		{[]string{}, exitOK, ""},
		{[]string{"help", "crawl"}, exitOK, ""},
		{[]string{"extract", missing}, exitFailed, "unknown command requires at least.html"},
	} {
		code, stdout, stderr := runLede(t, nil, tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.want) {
			t.Errorf("lede %s: exit %d, stderr %q; want %d and %q", strings.Join(tc.args, " "), code, stderr, tc.code, tc.want)
		}
		if tc.code == exitOK && !strings.Contains(stdout, "Usage:") {
			t.Errorf("lede %s printed no help: %q", strings.Join(tc.args, " "), stdout)
		}
	}
}

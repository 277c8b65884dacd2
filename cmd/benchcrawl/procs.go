package main

// The processes of one benchmark: building the binaries, serving newsfarm, running each
// crawler as a child and reading its resource usage from wait4.

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// bench holds the built binaries and the temporary folder of one benchmark run.
type bench struct {
	opts     options
	dir      string
	out      io.Writer
	lede     string // built lede binary
	newsfarm string // built newsfarm binary
}

// prepare checks the peer's prerequisites and builds lede and newsfarm.
func (b *bench) prepare(ctx context.Context) error {
	if b.opts.only != "lede" {
		if err := b.checkPeer(ctx); err != nil {
			return err
		}
	}
	// newsfarm is its own module in a read-only folder: copy it out and build it there.
	src := filepath.Join(b.dir, "newsfarm-src")
	if err := copyDir(b.opts.newsfarm, src); err != nil {
		return fmt.Errorf("copy newsfarm: %w", err)
	}
	b.newsfarm = filepath.Join(b.dir, "newsfarm")
	if err := goBuild(ctx, src, b.newsfarm, "."); err != nil {
		return fmt.Errorf("build newsfarm: %w", err)
	}
	if b.opts.only != "peer" {
		b.lede = filepath.Join(b.dir, "lede")
		if err := goBuild(ctx, b.opts.repo, b.lede, "./cmd/lede"); err != nil {
			return fmt.Errorf("build lede: %w", err)
		}
	}
	return nil
}

// checkPeer makes sure the peer script and its Python packages are there.
func (b *bench) checkPeer(ctx context.Context) error {
	if _, err := os.Stat(b.opts.peerScript); err != nil {
		return fmt.Errorf("peer script: %w (use -only lede to skip the peer)", err)
	}
	cmd := exec.CommandContext(ctx, b.opts.python, "-c", "import scrapy, readability, lxml.html")
	if out, err := cmd.CombinedOutput(); err != nil {
		why := err.Error()
		if last := lastLine(out); last != "" {
			why = last
		}
		return fmt.Errorf("%s cannot run the peer (%s)\n"+
			"install its packages with: apt-get update && apt-get install -y python3-scrapy python3-readability\n"+
			"or use -only lede to skip the peer", b.opts.python, why)
	}
	return nil
}

func goBuild(ctx context.Context, dir, output, pkg string) error {
	cmd := exec.CommandContext(ctx, "go", "build", "-o", output, pkg)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s in %s: %w\n%s", pkg, dir, err, out)
	}
	return nil
}

// copyDir copies the regular files of src (not its subfolders) into dst.
func copyDir(src, dst string) error {
	entries, err := os.ReadDir(src)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		data, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// farm is one running newsfarm.
type farm struct {
	cmd     *exec.Cmd
	exited  chan error // receives the process's end
	base    string     // http://127.0.0.1:PORT
	logPath string
}

// startFarm starts a fresh newsfarm writing its request log in work and waits until it answers.
func (b *bench) startFarm(ctx context.Context, work string) (*farm, error) {
	portFile := filepath.Join(work, "newsfarm.port")
	f := &farm{logPath: filepath.Join(work, "newsfarm.log"), exited: make(chan error, 1)}
	f.cmd = exec.Command(b.newsfarm, "-articles", strconv.Itoa(b.opts.articles),
		"-portfile", portFile, "-log", f.logPath)
	f.cmd.Stdout = io.Discard
	f.cmd.Stderr = os.Stderr
	dieWithParent(f.cmd)
	if err := f.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start newsfarm: %w", err)
	}
	go func() { f.exited <- f.cmd.Wait() }()

	deadline := time.Now().Add(30 * time.Second)
	for {
		if port, err := os.ReadFile(portFile); err == nil {
			f.base = "http://127.0.0.1:" + strings.TrimSpace(string(port))
			resp, err := http.Get(f.base + "/robots.txt")
			if err == nil {
				resp.Body.Close()
				break
			}
		}
		select {
		case err := <-f.exited:
			return nil, fmt.Errorf("newsfarm exited before serving: %v", err)
		case <-ctx.Done():
			f.stop()
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			f.stop()
			return nil, errors.New("newsfarm did not start within 30s")
		}
	}
	// The readiness probe is in the log: start counting after it.
	if err := os.Truncate(f.logPath, 0); err != nil {
		f.stop()
		return nil, fmt.Errorf("reset newsfarm log: %w", err)
	}
	return f, nil
}

// stop ends this newsfarm (by its own process id) and reaps it.
func (f *farm) stop() {
	_ = f.cmd.Process.Kill()
	<-f.exited
}

// countRequests reads newsfarm's log ("METHOD PATH STATUS" lines): every request, and the
// distinct article pages (/news/…) answered 200.
func countRequests(logPath string) (requests, articlePages int, err error) {
	fh, err := os.Open(logPath)
	if err != nil {
		return 0, 0, fmt.Errorf("newsfarm log: %w", err)
	}
	defer fh.Close()
	seen := map[string]bool{}
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) != 3 {
			continue
		}
		requests++
		path, status := fields[1], fields[2]
		if status == "200" && strings.HasPrefix(path, "/news/") && !seen[path] {
			seen[path] = true
			articlePages++
		}
	}
	return requests, articlePages, sc.Err()
}

// childResult is what one crawler process cost, and where its articles are.
type childResult struct {
	wall, cpu time.Duration
	maxRSS    int64 // bytes
	// maxAnon and maxFile are the largest anonymous (heap, stacks) and file-backed (the
	// binary, the store's memory map) parts of the resident set seen while it ran, sampled
	// from /proc every 50 ms (0 where /proc is missing): where a peak comes from.
	maxAnon, maxFile int64
	articles         string // JSON lines file of the stored articles, each with "url" and "text"
}

// runChild runs name with args to the end, its output in logPath, and returns its wall time,
// CPU time and peak resident set size (wait4's ru_maxrss, in KiB on Linux).
func (b *bench) runChild(ctx context.Context, logPath, name string, args ...string) (childResult, error) {
	logFile, err := os.Create(logPath)
	if err != nil {
		return childResult{}, err
	}
	defer logFile.Close()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	dieWithParent(cmd)
	start := time.Now()
	if err = cmd.Start(); err != nil {
		return childResult{}, fmt.Errorf("%s: %w", name, err)
	}
	var maxAnon, maxFile int64
	sampled := make(chan struct{})
	stop := make(chan struct{})
	go func() {
		defer close(sampled)
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			anon, file := residentParts(cmd.Process.Pid)
			maxAnon, maxFile = max(maxAnon, anon), max(maxFile, file)
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	err = cmd.Wait()
	close(stop)
	<-sampled
	wall := time.Since(start)
	if b.opts.verbose {
		if out, rerr := os.ReadFile(logPath); rerr == nil {
			fmt.Fprintf(b.out, "--- %s output:\n%s---\n", filepath.Base(name), out)
		}
	}
	var exitErr *exec.ExitError
	switch {
	case errors.As(err, &exitErr) && exitErr.ExitCode() == 1 && ctx.Err() == nil:
		// The crawler ran but reported a failure (some pages failed, say): measure it anyway,
		// the stored count tells how bad it was, and show why.
		out, _ := os.ReadFile(logPath)
		fmt.Fprintf(b.out, "warning: %s %s: %v\n%s\n", filepath.Base(name), args[0], err, tail(out, 10))
	case err != nil:
		out, _ := os.ReadFile(logPath)
		return childResult{}, fmt.Errorf("%s %s: %w\n%s", name, strings.Join(args, " "), err, tail(out, 20))
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		return childResult{}, errors.New("no rusage for the child on this system")
	}
	return childResult{
		wall:    wall,
		cpu:     time.Duration(ru.Utime.Nano() + ru.Stime.Nano()),
		maxRSS:  ru.Maxrss * 1024,
		maxAnon: maxAnon, maxFile: maxFile,
	}, nil
}

// residentParts reads the anonymous and file-backed parts of a process's resident set from
// /proc/PID/status (RssAnon, RssFile + RssShmem), in bytes; zeros when it cannot.
func residentParts(pid int) (anon, file int64) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		f := strings.Fields(v)
		if len(f) == 0 {
			continue
		}
		kb, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			continue
		}
		switch k {
		case "RssAnon":
			anon = kb << 10
		case "RssFile", "RssShmem":
			file += kb << 10
		}
	}
	return anon, file
}

// runLede crawls base with lede into a fresh store and exports what it stored.
func (b *bench) runLede(ctx context.Context, base, work string) (childResult, error) {
	db := filepath.Join(work, "lede.db")
	args := append([]string{"crawl", "--db", db, "--delay", "0",
		"--parallelism", strconv.Itoa(b.opts.concurrency)}, b.opts.ledeArgs...)
	args = append(args, base+"/")
	res, err := b.runChild(ctx, filepath.Join(work, "lede-crawl.log"), b.lede, args...)
	if err != nil {
		return res, err
	}
	exportPath := filepath.Join(work, "export.jsonl")
	cmd := exec.CommandContext(ctx, b.lede, "export", "--db", db, "--format", "jsonl")
	var stderr bytes.Buffer
	out, err := os.Create(exportPath)
	if err != nil {
		return res, err
	}
	cmd.Stdout, cmd.Stderr = out, &stderr
	err = cmd.Run()
	out.Close()
	if err != nil {
		return res, fmt.Errorf("lede export: %w\n%s", err, stderr.String())
	}
	res.articles = exportPath
	return res, nil
}

// runPeer crawls base with the Scrapy peer, which writes its articles as JSON lines.
func (b *bench) runPeer(ctx context.Context, base, work string) (childResult, error) {
	outPath := filepath.Join(work, "peer.jsonl")
	res, err := b.runChild(ctx, filepath.Join(work, "peer.log"), b.opts.python,
		b.opts.peerScript, base+"/", outPath, "--concurrency", strconv.Itoa(b.opts.concurrency))
	if err != nil {
		return res, err
	}
	res.articles = outPath
	return res, nil
}

// splitArgs splits s on white space (no quoting: bench flags need none).
func splitArgs(s string) []string { return strings.Fields(s) }

func lastLine(b []byte) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return lines[len(lines)-1]
}

func tail(b []byte, n int) string {
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

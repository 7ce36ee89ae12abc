// Destructive-guard puts a human in the loop of destructive calls with
// restorehub.WithDestructiveGuard: before the client sends any request whose
// scope is in the destructive tier (restores, member pulls, deletions,
// payouts), it calls the guard, and sends nothing if the guard says no.
//
//	go run ./examples/destructive-guard          # prompts when stdin is a terminal
//	go run ./examples/destructive-guard -yes     # scripted: one refusal, one confirmation
//
// Here the guard asks the operator to type the ID of the backup about to be
// restored. When stdin is a terminal it prompts once. With -yes, or when
// stdin is not a terminal (CI, a pipe, /dev/null), it plays both answers
// instead: a wrong one, which the guard refuses (errors.Is(err,
// restorehub.ErrGuardRefused), and not a single request sent), then the
// right one, which lets the restore through.
//
// With RESTOREHUB_API_KEY unset it runs against the SDK's in-process fake,
// restoring one of its demo backups. Against the real API a restore
// overwrites a Discord server, so the example restores only what
// -backup and -target name, and only after the operator typed the backup ID
// at the prompt, or with -yes.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"sync"
	"sync/atomic"

	restorehub "github.com/restorehub/restorehub-go"
	"github.com/restorehub/restorehub-go/resources"
	"github.com/restorehub/restorehub-go/restorehubtest"
)

// fakeKey is the key the in-process fake accepts.
const fakeKey = "rh_GuardExampleFakeKeyForRestoreHubGo1"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "destructive-guard:", err)
		stop()
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdin io.Reader, out io.Writer) error {
	fs := flag.NewFlagSet("destructive-guard", flag.ContinueOnError)
	fs.SetOutput(out)
	yes := fs.Bool("yes", false, "do not prompt: show a refused restore, then a confirmed one")
	backupID := fs.String("backup", "", "the backup to restore (required against the real API)")
	target := fs.String("target", "", "the server to restore into, overwriting it (required against the real API)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	interactive := !*yes && isTerminal(stdin)

	// The guard's answers come from the terminal, or from a script.
	var answers func(context.Context) (string, error)
	script := &scripted{out: out}
	if interactive {
		answers = newPrompt(stdin).answer
	} else {
		answers = script.answer
	}
	// Count the requests that leave the process, below the SDK, to show
	// that a refused restore sends nothing.
	var sent atomic.Int64
	opts := []restorehub.Option{
		restorehub.WithHTTPClient(&http.Client{Transport: countingTransport{&sent, http.DefaultTransport}}),
		restorehub.WithDestructiveGuard(confirmGuard(out, answers)),
	}

	// The client: of the real API when RESTOREHUB_API_KEY is set, else of
	// restorehubtest's fake with demo backups.
	var client *restorehub.Client
	var fake *restorehubtest.Server
	var err error
	if os.Getenv(restorehub.EnvAPIKey) != "" {
		client, err = restorehub.NewFromEnv(opts...)
		fmt.Fprintln(out, "Talking to the Restore Hub API at", client.BaseURL())
	} else {
		fake = restorehubtest.NewServer(
			restorehubtest.WithKey(fakeKey, restorehub.ScopeBackupsRead, restorehub.ScopeBackupsRestore),
			restorehubtest.WithDemoData(),
		)
		defer fake.Close()
		client, err = restorehub.New(fakeKey, append(opts, restorehub.WithBaseURL(fake.URL()))...)
		fmt.Fprintln(out, "Talking to the in-process fake at", fake.URL(), "(set", restorehub.EnvAPIKey, "to use the real API)")
	}
	if err != nil {
		return err
	}
	live := fake == nil

	if live {
		if *backupID == "" || *target == "" {
			return errors.New("against the real API a restore overwrites a Discord server: name the backup and the server with -backup and -target")
		}
	} else if *backupID == "" {
		// Listing is not destructive: the guard is not consulted.
		page, err := client.Backups.List(ctx, &resources.BackupsListParams{Limit: resources.Ptr(1)})
		if err != nil {
			return err
		}
		if len(page.Data) == 0 {
			return errors.New("the fake has no backups")
		}
		*backupID = page.Data[0].ID
		if *target == "" {
			*target = page.Data[0].ServerID
		}
	} else if *target == "" {
		return errors.New("-backup needs -target")
	}
	restore := func() (*resources.Job, error) {
		fmt.Fprintf(out, "   Restoring backup %s into server %s.\n", *backupID, *target)
		return client.Backups.Restore(ctx, *backupID, &resources.BackupRestore{TargetServerID: *target})
	}

	if interactive {
		fmt.Fprintln(out)
		job, err := restore()
		if errors.Is(err, restorehub.ErrGuardRefused) {
			fmt.Fprintln(out, "   Not confirmed:", err)
			return nil
		}
		if err != nil {
			return err
		}
		printJob(out, job)
		return nil
	}

	if *yes {
		fmt.Fprintln(out, "\n-yes: the guard gets scripted answers instead of a prompt.")
	} else {
		fmt.Fprintln(out, "\nStdin is not a terminal: the guard gets scripted answers instead of a prompt.")
	}

	// A refusal: the guard gets a wrong answer.
	fmt.Fprintln(out, "\n1. The operator types something else.")
	script.set("no")
	before := sent.Load()
	_, err = restore()
	sentNow := sent.Load() - before
	if !errors.Is(err, restorehub.ErrGuardRefused) {
		return fmt.Errorf("expected the guard to refuse, got: %v", err)
	}
	fmt.Fprintln(out, "   Refused. errors.Is(err, restorehub.ErrGuardRefused):", errors.Is(err, restorehub.ErrGuardRefused))
	fmt.Fprintln(out, "   error:", err)
	fmt.Fprintf(out, "   requests sent: %d\n", sentNow)
	if fake != nil {
		fmt.Fprintf(out, "   restores the fake received: %d\n", fake.Count("backups.restore"))
	}
	if sentNow != 0 {
		return fmt.Errorf("the refused restore sent %d request(s)", sentNow)
	}

	// A confirmation: the guard gets the backup ID.
	if live && !*yes {
		fmt.Fprintln(out, "\nStdin is not a terminal: against the real API only -yes confirms a restore without one. Nothing was restored.")
		return nil
	}
	fmt.Fprintln(out, "\n2. The operator types the backup ID.")
	script.set(*backupID)
	job, err := restore()
	if err != nil {
		return err
	}
	printJob(out, job)
	return nil
}

// confirmGuard returns a destructive guard that describes the operation and
// asks for the ID it acts on, read from answers; anything else refuses it.
func confirmGuard(out io.Writer, answers func(context.Context) (string, error)) func(context.Context, restorehub.Operation) error {
	return func(ctx context.Context, op restorehub.Operation) error {
		what, id := subject(op)
		fmt.Fprintf(out, "   Guard: %s %s needs %s (%s)", op.Method, op.Path, op.Scope, op.Tier)
		if op.Summary != "" {
			fmt.Fprintf(out, ": %s", op.Summary)
		}
		fmt.Fprintf(out, ".\n   Type the %s ID (%s) to confirm: ", what, id)
		got, err := answers(ctx)
		if errors.Is(err, io.EOF) {
			err = errors.New("input ended before an answer")
		}
		if err != nil {
			fmt.Fprintln(out)
			return fmt.Errorf("no confirmation: %w", err)
		}
		if got != id {
			return fmt.Errorf("confirmation %q does not match %s ID %s", got, what, id)
		}
		return nil
	}
}

// subject names what op acts on, from its path: the resource and the ID
// after it ("backup" and the ID in /backups/{backupId}/restore). The guard
// sees the request's path, not its parameters or body.
func subject(op restorehub.Operation) (what, id string) {
	parts := strings.Split(strings.Trim(op.Path, "/"), "/")
	if len(parts) >= 2 {
		if id, err := url.PathUnescape(parts[1]); err == nil {
			return strings.TrimSuffix(parts[0], "s"), id
		}
	}
	return "operation", op.ID
}

func printJob(out io.Writer, job *resources.Job) {
	fmt.Fprintf(out, "   Confirmed and sent: job %s is %s", job.ID, job.Status)
	if job.Type != nil {
		fmt.Fprintf(out, " (%s)", *job.Type)
	}
	fmt.Fprintln(out)
}

// scripted answers the guard with what set stored last, echoing it to out
// as if it had been typed.
type scripted struct {
	mu   sync.Mutex
	next string
	out  io.Writer
}

func (s *scripted) set(answer string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.next = answer
}

func (s *scripted) answer(context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fmt.Fprintln(s.out, s.next)
	return s.next, nil
}

// prompt reads the operator's answers from a terminal, one line each. A
// single goroutine reads, so that an answer abandoned when its context ends
// is not lost to a concurrent read.
type prompt struct {
	once  sync.Once
	in    *bufio.Reader
	lines chan string
	err   error // set before lines is closed
}

func newPrompt(r io.Reader) *prompt {
	return &prompt{in: bufio.NewReader(r), lines: make(chan string)}
}

func (p *prompt) answer(ctx context.Context) (string, error) {
	p.once.Do(func() { go p.read() })
	select {
	case line, ok := <-p.lines:
		if !ok {
			return "", p.err
		}
		return line, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

func (p *prompt) read() {
	for {
		line, err := p.in.ReadString('\n')
		if line != "" {
			p.lines <- strings.TrimSpace(line)
		}
		if err != nil {
			p.err = err
			close(p.lines)
			return
		}
	}
}

// countingTransport counts the requests that reach the network.
type countingTransport struct {
	n    *atomic.Int64
	next http.RoundTripper
}

func (t countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	t.n.Add(1)
	return t.next.RoundTrip(req)
}

// isTerminal reports whether r is an interactive terminal: an *os.File that
// is a character device other than the null device.
func isTerminal(r any) bool {
	f, ok := r.(*os.File)
	if !ok || f == nil {
		return false
	}
	fi, err := f.Stat()
	if err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return false
	}
	if null, err := os.Stat(os.DevNull); err == nil && os.SameFile(fi, null) {
		return false
	}
	return true
}

package redisbudget

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
)

// The worker processes of the multi-process proofs (proof, fairness,
// failover): this test binary started again to run one worker test, with
// its settings in the environment. Each worker writes its result as JSON
// to the file envOut names (writeWorkerResult); the proof reads it back
// (workerProc.result).

// envOut names the file a worker process writes its result to.
const envOut = "REDISBUDGET_PROOF_OUT"

// workerProc is one worker process.
type workerProc struct {
	cmd  *exec.Cmd
	out  bytes.Buffer // its stdout and stderr
	file string       // where it writes its result
}

// startWorkers starts n worker processes running the test named test with
// the -test.timeout timeout, each with env and its own envOut added to this
// process's environment; ctx kills them.
func startWorkers(ctx context.Context, t *testing.T, n int, test, timeout string, env ...string) []*workerProc {
	t.Helper()
	dir := t.TempDir()
	procs := make([]*workerProc, n)
	for i := range procs {
		p := &workerProc{file: filepath.Join(dir, strconv.Itoa(i)+".json")}
		p.cmd = exec.CommandContext(ctx, os.Args[0], "-test.run=^"+test+"$", "-test.count=1", "-test.timeout="+timeout)
		p.cmd.Env = append(append(os.Environ(), env...), envOut+"="+p.file)
		p.cmd.Stdout, p.cmd.Stderr = &p.out, &p.out
		if err := p.cmd.Start(); err != nil {
			t.Fatal(err)
		}
		procs[i] = p
	}
	return procs
}

// result waits for the worker to exit and decodes the result it wrote into
// v. It returns an error, with the worker's output, when the worker failed
// or wrote no result; it fails t when the result does not decode.
func (p *workerProc) result(t *testing.T, v any) error {
	t.Helper()
	if err := p.cmd.Wait(); err != nil {
		return fmt.Errorf("%v\n%s", err, p.out.String())
	}
	data, err := os.ReadFile(p.file)
	if err != nil {
		return fmt.Errorf("%v\n%s", err, p.out.String())
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatal(err)
	}
	return nil
}

// writeWorkerResult writes v, a worker's result, where its proof reads it.
func writeWorkerResult(t *testing.T, v any) {
	t.Helper()
	data, _ := json.Marshal(v)
	if err := os.WriteFile(os.Getenv(envOut), data, 0o600); err != nil {
		t.Fatal(err)
	}
}

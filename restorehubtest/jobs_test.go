package restorehubtest_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/restorehub/restorehub-go/resources"
	"github.com/restorehub/restorehub-go/restorehubtest"
)

// TestRestoreJobWithTodaysSpec: today's spec has no way to read a job, so
// the restore's Job is a snapshot: queued, with only the Job schema's
// fields, and kept nowhere.
func TestRestoreJobWithTodaysSpec(t *testing.T) {
	clk := restorehubtest.NewManualClock(t0)
	srv := restorehubtest.NewServer(restorehubtest.WithKey(typedKey, "*"), restorehubtest.WithClock(clk.Now))
	defer srv.Close()
	for _, op := range resources.Operations() {
		if op.Method == http.MethodGet && op.Model == "Job" {
			t.Skipf("the spec now reads jobs (%s); TestJobsAdvance covers it", op.ID)
		}
	}
	ids, err := srv.Seed(resources.Backup{ServerID: "s1"})
	if err != nil {
		t.Fatal(err)
	}
	job, err := typedClient(t, srv).Backups.Restore(context.Background(), ids[0], &resources.BackupRestore{TargetServerID: "s1"})
	if err != nil {
		t.Fatal(err)
	}
	if job.ID == "" || job.Status != resources.JobStatusQueued || job.Type == nil || *job.Type != "backups.restore" ||
		!job.CreatedAt.Equal(t0) || job.FinishedAt != nil {
		t.Fatalf("job %+v", job)
	}
	if n := len(srv.Entities("/jobs")); n != 0 {
		t.Fatalf("%d jobs stored without a way to read them", n)
	}
}

// TestJobsAdvance: when the table reads jobs, an action's job is stored
// there and each read moves it one state on.
func TestJobsAdvance(t *testing.T) {
	pace := &resources.Pace{KeyField: "targetServerId", CountField: "memberIds", Limit: 50, Interval: time.Minute}
	tables := map[string][]resources.OperationSpec{
		// The item GET that returns the Model actions return.
		"by model": {
			{ID: "members.pull", Method: "POST", Path: "/members/pull", Pace: pace, Model: "Job"},
			{ID: "tasks.get", Method: "GET", Path: "/tasks/{taskId}", Model: "Job"},
			{ID: "other.get", Method: "GET", Path: "/other/{id}", Model: "Other"},
		},
		// Without models: a collection named jobs.
		"by name": {
			{ID: "members.pull", Method: "POST", Path: "/members/pull", Pace: pace},
			{ID: "jobs.get", Method: "GET", Path: "/jobs/{jobId}"},
		},
	}
	for name, ops := range tables {
		t.Run(name, func(t *testing.T) {
			srv, clk := newServer(t, restorehubtest.WithOperations(ops))
			r := send(t, srv, "POST", "/members/pull", allKey, map[string]any{"targetServerId": "s1", "memberIds": []string{"a", "b", "c"}})
			wantStatus(t, r, http.StatusOK)
			job := r.json(t)
			id := job["id"].(string)
			if job["status"] != "queued" || job["total"] != 3.0 || job["progress"] != 0.0 {
				t.Fatalf("created %v", job)
			}
			base := strings.TrimSuffix(ops[1].Path, "{"+paramOf(ops[1].Path)+"}")
			wantStates := []struct {
				status   string
				progress float64
				finished bool
			}{{"running", 0, false}, {"completed", 3, true}, {"completed", 3, true}}
			for i, w := range wantStates {
				clk.Advance(time.Second)
				got := send(t, srv, "GET", base+id, allKey, nil).json(t)
				if got["status"] != w.status || got["progress"] != w.progress || (got["finishedAt"] != nil) != w.finished {
					t.Fatalf("read %d: %v, want %+v", i+1, got, w)
				}
			}
			wantStatus(t, send(t, srv, "GET", base+"job_missing", allKey, nil), http.StatusNotFound)
		})
	}
}

// paramOf returns the name of a template's last parameter.
func paramOf(path string) string {
	i := len(path) - 1
	for i > 0 && path[i] != '{' {
		i--
	}
	return path[i+1 : len(path)-1]
}

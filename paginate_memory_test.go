package restorehub_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strconv"
	"testing"
	"text/tabwriter"
	"time"

	restorehub "github.com/restorehub/restorehub-go"
	"github.com/restorehub/restorehub-go/resources"
)

// Pagination keeps memory flat: client.Servers.All over a server that makes
// its pages on the fly holds one page at a time, whatever the item count.

// pagingServer serves GET /api/v1/servers with total items, cursor
// pagination, generating each page when asked.
func pagingServer(t testing.TB, total int) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v1/servers" {
			http.NotFound(w, r)
			return
		}
		from := 0
		if c := r.URL.Query().Get("cursor"); c != "" {
			n, err := strconv.Atoi(c)
			if err != nil || n < 0 {
				http.Error(w, `{"error":"bad cursor"}`, http.StatusBadRequest)
				return
			}
			from = n
		}
		limit := 20
		if l, err := strconv.Atoi(r.URL.Query().Get("limit")); err == nil && l > 0 {
			limit = min(l, 100)
		}
		to := min(from+limit, total)
		var b bytes.Buffer
		b.Grow(160 * (to - from))
		b.WriteString(`{"data":[`)
		for i := from; i < to; i++ {
			if i > from {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"id":"srv_%07d","name":"Server %d","guildId":"%018d","memberCount":%d,"createdAt":"2025-01-02T03:04:05Z"}`, i, i, 100000000000000000+i, i%5000)
		}
		b.WriteString(`],"nextCursor":`)
		if to < total {
			fmt.Fprintf(&b, `"%d"}`, to)
		} else {
			b.WriteString(`null}`)
		}
		h := w.Header()
		h.Set("Content-Type", "application/json")
		h.Set("X-RateLimit-Limit", "1000000")
		h.Set("X-RateLimit-Remaining", "999999")
		h.Set("X-RateLimit-Window", "10s")
		_, _ = w.Write(b.Bytes())
	}))
	t.Cleanup(srv.Close)
	return srv
}

// pageRun is what iterating one list cost.
type pageRun struct {
	items, pageSize int
	baseLive        uint64 // live heap after GC before iterating
	peakLive        uint64 // most live heap after GC, sampled while iterating
	peakInuse       uint64 // most HeapInuse, sampled every page without forcing GC
	allocPerItem    float64
	elapsed         time.Duration
}

// iterateServers walks total items with client.Servers.All, sampling the
// heap every page and, at ten points, the live heap after a forced GC.
func iterateServers(t testing.TB, total, pageSize int) pageRun {
	t.Helper()
	srv := pagingServer(t, total)
	c, err := restorehub.New("rh_PaginateTestKey000000000000000000000", restorehub.WithBaseURL(srv.URL+"/api/v1"))
	if err != nil {
		t.Fatal(err)
	}
	run := pageRun{items: total, pageSize: pageSize}
	var ms runtime.MemStats
	live := func() uint64 {
		runtime.GC()
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	run.baseLive = live()
	allocStart := ms.TotalAlloc
	run.peakLive, run.peakInuse = run.baseLive, ms.HeapInuse
	forceEvery := max(total/10, 1)
	start := time.Now()
	n := 0
	for s, err := range c.Servers.All(context.Background(), &resources.ServersListParams{Limit: resources.Ptr(pageSize)}) {
		if err != nil {
			t.Fatalf("after %d items: %v", n, err)
		}
		if want := fmt.Sprintf("srv_%07d", n); s.ID != want {
			t.Fatalf("item %d is %s, want %s", n, s.ID, want)
		}
		n++
		switch {
		case n%forceEvery == 0:
			run.peakLive = max(run.peakLive, live())
			run.peakInuse = max(run.peakInuse, ms.HeapInuse)
		case n%pageSize == 0:
			runtime.ReadMemStats(&ms)
			run.peakInuse = max(run.peakInuse, ms.HeapInuse)
		}
	}
	run.elapsed = time.Since(start)
	if n != total {
		t.Fatalf("iterated %d items, want %d", n, total)
	}
	runtime.ReadMemStats(&ms)
	run.allocPerItem = float64(ms.TotalAlloc-allocStart) / float64(total)
	return run
}

func pageTable(runs []pageRun) string {
	var b bytes.Buffer
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "items\tpage size\tpages\tlive heap before\tpeak live heap (GC'd, 10 samples)\tgrowth\tpeak HeapInuse (every page)\tallocated/item\ttime\t")
	for _, r := range runs {
		fmt.Fprintf(tw, "%d\t%d\t%d\t%s\t%s\t%s\t%s\t%.0f B\t%s\t\n", r.items, r.pageSize, (r.items+r.pageSize-1)/r.pageSize,
			kib(r.baseLive), kib(r.peakLive), kib(r.peakLive-r.baseLive), kib(r.peakInuse), r.allocPerItem, r.elapsed.Round(time.Millisecond))
	}
	_ = tw.Flush()
	return b.String()
}

func kib(n uint64) string { return fmt.Sprintf("%.0f KiB", float64(n)/1024) }

// TestPaginationMemoryFlat is the default-on check: ten times the items
// must not cost more live heap, within a generous margin (one page of
// 100 servers decodes to about 20 KiB; 20,000 kept would be megabytes).
func TestPaginationMemoryFlat(t *testing.T) {
	small := iterateServers(t, 2_000, 100)
	large := iterateServers(t, 20_000, 100)
	t.Logf("\n%s", pageTable([]pageRun{small, large}))
	const margin = 512 << 10
	if large.peakLive > large.baseLive+margin {
		t.Errorf("iterating %d items grew the live heap by %s, want under %s", large.items, kib(large.peakLive-large.baseLive), kib(margin))
	}
	if growthLarge, growthSmall := int64(large.peakLive-large.baseLive), int64(small.peakLive-small.baseLive); growthLarge > growthSmall+margin {
		t.Errorf("heap growth scales with the item count: %s for %d items, %s for %d", kib(uint64(growthLarge)), large.items, kib(uint64(max(growthSmall, 0))), small.items)
	}
}

// TestPaginationMemory is the opt-in report for BENCHMARKS.md:
//
//	RESTOREHUB_BENCH_PAGINATE=1 go test -run 'TestPaginationMemory$' -v -count=1 .
func TestPaginationMemory(t *testing.T) {
	if os.Getenv("RESTOREHUB_BENCH_PAGINATE") == "" {
		t.Skip("set RESTOREHUB_BENCH_PAGINATE=1 to iterate 10,000 and 100,000 items")
	}
	runs := []pageRun{
		iterateServers(t, 10_000, 100),
		iterateServers(t, 100_000, 100),
		iterateServers(t, 100_000, 10),
	}
	t.Logf("\n%s", pageTable(runs))
}

package restorehub

import (
	"context"
	"log/slog"
	"net/http"
)

// logAttempt writes the one record per attempt that WithLogger asks for. It
// is the logger's Observer.OnAttempt: the logger observes the calls like any
// other Observer.
func (c *Client) logAttempt(ctx context.Context, e Attempt) {
	l := c.cfg.logger
	level := slog.LevelDebug
	switch {
	case e.Err != "":
		level = slog.LevelWarn
	case e.StatusCode == http.StatusTooManyRequests || e.StatusCode >= 500:
		level = slog.LevelWarn
	}
	if !l.Enabled(ctx, level) {
		return
	}
	attrs := make([]slog.Attr, 0, 10)
	attrs = append(attrs, slog.String("method", e.Method), slog.String("path", e.Path))
	attrs = append(attrs, slog.Int("attempt", e.Number), slog.Duration("wait", e.Waited))
	if e.class != nil {
		attrs = e.class.logAttrs(attrs)
	}
	if e.StatusCode != 0 {
		attrs = append(attrs, slog.Int("status", e.StatusCode))
		if e.RateLimit.Known() {
			attrs = append(attrs, slog.Int("remaining", e.RateLimit.Remaining), slog.Int("limit", e.RateLimit.Limit))
		}
	}
	if e.Err != "" {
		attrs = append(attrs, slog.String("error", e.Err))
	}
	if e.headers != nil {
		req, resp := e.headers()
		attrs = append(attrs, slog.Any("request_headers", c.redactor.headersForLog(req)))
		if e.StatusCode != 0 {
			attrs = append(attrs, slog.Any("response_headers", c.redactor.headersForLog(resp)))
		}
	}
	l.LogAttrs(ctx, level, "restorehub request", attrs...)
}

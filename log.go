package restorehub

import (
	"context"
	"log/slog"
	"net/http"
)

// logAttempt writes the one record per attempt that WithLogger asks for.
// rl is what resp reported.
func (c *Client) logAttempt(ctx context.Context, req *http.Request, rec *callRecord, resp *http.Response, rl RateLimit, err error) {
	l := c.cfg.logger
	if l == nil {
		return
	}
	level := slog.LevelDebug
	switch {
	case err != nil:
		level = slog.LevelWarn
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		level = slog.LevelWarn
	}
	if !l.Enabled(ctx, level) {
		return
	}
	attrs := make([]slog.Attr, 0, 10)
	attrs = append(attrs, slog.String("method", req.Method), slog.String("path", c.redactor.text(req.URL.Path)))
	if rec != nil {
		attrs = append(attrs, slog.Int("attempt", rec.attempts), slog.Duration("wait", rec.wait))
		attrs = rec.class.logAttrs(attrs)
	}
	if resp != nil {
		attrs = append(attrs, slog.Int("status", resp.StatusCode))
		if rl.Known() {
			attrs = append(attrs, slog.Int("remaining", rl.Remaining), slog.Int("limit", rl.Limit))
		}
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", c.redactor.text(err.Error())))
	}
	if c.cfg.logHeaders {
		attrs = append(attrs, slog.Any("request_headers", c.redactor.headersForLog(req.Header)))
		if resp != nil {
			attrs = append(attrs, slog.Any("response_headers", c.redactor.headersForLog(resp.Header)))
		}
	}
	l.LogAttrs(ctx, level, "restorehub request", attrs...)
}

package agent

import (
	"context"
	"log/slog"

	restorehub "github.com/restorehub/restorehub-go"
)

// auditRecord is what the audit log says about one call.
type auditRecord struct {
	tool        string
	scope       restorehub.Scope
	argsHash    string
	outcome     string
	confirmedBy string
	status      int
}

func (tk *Toolkit) audit(ctx context.Context, r auditRecord) {
	if tk.cfg.audit == nil {
		return
	}
	attrs := []slog.Attr{
		slog.String("tool", r.tool),
		slog.String("scope", string(r.scope)),
		slog.String("args_sha256", r.argsHash),
		slog.String("outcome", r.outcome),
	}
	if r.confirmedBy != "" {
		attrs = append(attrs, slog.String("confirmed_by", r.confirmedBy))
	}
	if r.status != 0 {
		attrs = append(attrs, slog.Int("status", r.status))
	}
	level := slog.LevelInfo
	if r.outcome != "ok" && r.outcome != "asked" {
		level = slog.LevelWarn
	}
	tk.cfg.audit.LogAttrs(ctx, level, "restorehub agent tool call", attrs...)
}

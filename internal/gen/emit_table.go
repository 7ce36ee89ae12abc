package main

import (
	"fmt"
	"strings"
)

// operationsFile is operations_gen.go: the index constants and operationTable.
func (pl *plan) operationsFile(specPath, pkg string) ([]byte, error) {
	var w writer
	if len(pl.ops) > 0 {
		w.line("// Indexes of the operations in operationTable.")
		w.line("const (")
		for i, p := range pl.ops {
			if i == 0 {
				w.line("%s = iota", p.indexName)
			} else {
				w.line("%s", p.indexName)
			}
		}
		w.line(")")
		w.line("")
	}
	documented, inferred := pl.counts()
	w.comment(fmt.Sprintf("operationTable describes the %d operations of the spec (%d documented, %d inferred), in the spec's order.", len(pl.ops), documented, inferred))
	w.line("var operationTable = []OperationSpec{")
	for _, p := range pl.ops {
		op := p.op
		w.line("%s: {", p.indexName)
		w.line("ID: %s,", goQuote(op.id))
		w.line("Method: %s,", goQuote(op.method))
		w.line("Path: %s,", goQuote(op.path))
		if op.scope != "" {
			w.line("Scope: %s,", goQuote(op.scope))
		}
		if len(op.accepted) > 1 || len(op.accepted) == 1 && op.accepted[0] != op.scope {
			quoted := make([]string, len(op.accepted))
			for i, s := range op.accepted {
				quoted[i] = goQuote(s)
			}
			w.line("AcceptedScopes: []Scope{%s},", strings.Join(quoted, ", "))
		}
		if t := knownTiers[op.tier]; t != "" {
			w.line("Tier: %s,", t)
		}
		if op.idempotent {
			w.line("Idempotent: true,")
		}
		if p.body != nil && op.body != nil && op.body.required {
			w.line("BodyRequired: true,")
		}
		w.line("Pagination: %s,", paginationConst(op.pagination))
		if op.inferred {
			w.line("Inferred: true,")
		}
		if op.summary != "" {
			w.line("Summary: %s,", goQuote(strings.Join(strings.Fields(sanitizeComment(op.summary)), " ")))
		}
		if pc := op.pace; pc != nil {
			w.line("Pace: &Pace{KeyField: %s, CountField: %s, Limit: %d, Interval: %s},", goQuote(pc.per), goQuote(pc.count), pc.limit, durationExpr(pc.interval))
		}
		tableQueryFields(&w, p)
		w.line("},")
	}
	w.line("}")
	w.line("")
	pl.doc.emitScopeTable(&w)
	return finalize(specPath, pkg, w.Bytes())
}

func paginationConst(style string) string {
	switch style {
	case "cursor":
		return "PaginationCursor"
	case "page":
		return "PaginationPage"
	case "offset":
		return "PaginationOffset"
	case "link":
		return "PaginationLink"
	case "after":
		return "PaginationAfter"
	case "before":
		return "PaginationBefore"
	}
	return "PaginationNone"
}

// counts returns how many operations are documented and how many inferred.
func (pl *plan) counts() (documented, inferred int) {
	for _, p := range pl.ops {
		if p.op.inferred {
			inferred++
		} else {
			documented++
		}
	}
	return documented, inferred
}

// servicesFile is services_gen.go: the Services struct and NewServices.
func (pl *plan) servicesFile(specPath, pkg string) ([]byte, error) {
	var w writer
	w.comment("Services holds one service per resource of the API. restorehub.Client embeds it, so that client.Servers.List calls ServersService.List through the client.")
	w.line("type Services struct {")
	for i, svc := range pl.services {
		if i > 0 {
			w.line("")
		}
		n := len(svc.ops)
		plural := "s"
		if n == 1 {
			plural = ""
		}
		w.comment(fmt.Sprintf("%s sends the %s operations (%d operation%s).", svc.field, svc.resource, n, plural))
		w.line("%s *%s", svc.field, svc.typeName)
	}
	w.line("}")
	w.line("")
	w.comment("NewServices returns the services, each sending its requests through b.")
	w.line("func NewServices(b Backend) Services {")
	if len(pl.services) == 0 {
		w.line("_ = b")
		w.line("return Services{}")
	} else {
		w.line("return Services{")
		for _, svc := range pl.services {
			w.line("%s: &%s{backend: b},", svc.field, svc.typeName)
		}
		w.line("}")
	}
	w.line("}")
	return finalize(specPath, pkg, w.Bytes())
}

package main

import (
	"strings"
)

// Field docs when the spec says nothing.
//
// A field without a description gets a doc comment built from its name
// and its type, never from guesses about its meaning: "Name is the
// backup's name.", "SizeBytes is the backup's size, in bytes.",
// "CompletedAt is when the backup was completed.", "ServerID is the ID of
// the server.". Units are read only from a suffix of the name (Bytes,
// Cents, Seconds, Ms, Days) and formats only from the schema (date-time,
// uri). An ID is called a Discord snowflake only when its name says it
// names a Discord object (guild, channel, role, user, message, emoji).

// discordObjects are the words of an ID's name that make it a Discord
// snowflake.
var discordObjects = map[string]bool{
	"guild": true, "channel": true, "role": true, "user": true, "message": true, "emoji": true, "discord": true,
}

// unitSuffixes are name suffixes that state a unit.
var unitSuffixes = map[string]string{
	"bytes": "in bytes", "cents": "in cents", "seconds": "in seconds", "ms": "in milliseconds",
	"millis": "in milliseconds", "days": "in days", "minutes": "in minutes", "hours": "in hours",
}

// ownerSuffixes are words of a type name that say what role the type plays,
// not what it is ("BackupCreate" is about a backup).
var ownerSuffixes = map[string]bool{
	"create": true, "update": true, "request": true, "body": true, "response": true,
	"params": true, "input": true, "result": true,
}

// lowerWords returns the words of a camel-case name in lower case, keeping
// initialisms ("apiKey" → "API key").
func lowerWords(name string) []string {
	var out []string
	for _, w := range splitWords(name) {
		up := strings.ToUpper(w)
		switch {
		case initialisms[up]:
			out = append(out, up)
		case strings.HasSuffix(up, "S") && initialisms[strings.TrimSuffix(up, "S")]:
			out = append(out, strings.TrimSuffix(up, "S")+"s")
		case strings.EqualFold(w, "discord"):
			out = append(out, "Discord")
		default:
			out = append(out, strings.ToLower(w))
		}
	}
	return out
}

// ownerPhrase names what a struct describes, for a field doc: "the
// backup's" for Backup and BackupCreate.
func ownerPhrase(d *typeDecl) string {
	words := lowerWords(d.name)
	for i, w := range words {
		if w == "with" && i > 0 {
			words = words[:i]
			break
		}
	}
	for len(words) > 1 && ownerSuffixes[strings.ToLower(words[len(words)-1])] {
		words = words[:len(words)-1]
	}
	if len(words) == 0 {
		return "its"
	}
	phrase := strings.Join(words, " ")
	if strings.HasSuffix(phrase, "s") {
		return "the " + phrase + "'"
	}
	return "the " + phrase + "'s"
}

// namedFieldDoc is the doc of a field the spec does not describe.
func namedFieldDoc(d *typeDecl, f *field) string {
	words := lowerWords(f.jsonName)
	if len(words) == 0 {
		return f.name + " is the " + goQuote(f.jsonName) + " field."
	}
	owner := ownerPhrase(d)
	last := strings.ToLower(words[len(words)-1])
	u := f.typ.underlying()
	switch {
	case f.jsonName == "data" && u.kind == kSlice && isPageEnvelope(d):
		return f.name + " holds the items of this page."
	case u.kind == kTime && last == "at" && len(words) > 1:
		rest := words[:len(words)-1]
		verb := rest[len(rest)-1]
		subject := ownerSubject(owner)
		switch {
		case strings.HasSuffix(verb, "ed"):
			return f.name + " is when the " + subject + " was " + strings.Join(rest, " ") + "."
		case strings.HasSuffix(verb, "s"):
			return f.name + " is when the " + subject + " " + strings.Join(rest, " ") + "."
		}
		return f.name + " is the time of " + owner + " " + strings.Join(rest, " ") + "."
	case (last == "id" || last == "ids") && len(words) > 1:
		thing := strings.Join(words[:len(words)-1], " ")
		discord := discordObjects[strings.ToLower(words[len(words)-2])]
		if last == "ids" {
			text := f.name + " lists the IDs of the " + plural(thing)
			if discord {
				text += " (Discord snowflakes)"
			}
			return text + "."
		}
		text := f.name + " is the ID of the " + thing
		if discord {
			text += " (a Discord snowflake)"
		}
		return text + "."
	case u.kind == kBool:
		if len(words) == 1 && (strings.HasSuffix(last, "ed") || strings.HasSuffix(last, "ive") || last == "online" || last == "read") {
			return f.name + " reports whether the " + ownerSubject(owner) + " is " + last + "."
		}
		return f.name + " is " + owner + " " + goQuote(f.jsonName) + " flag."
	}
	if u.kind == kInt && len(words) == 1 && strings.HasSuffix(last, "s") && !strings.HasSuffix(last, "ss") {
		return f.name + " is the number of " + last + "."
	}
	phrase := strings.Join(words, " ")
	if unit, ok := unitSuffixes[last]; ok && len(words) > 1 && (u.kind == kInt || u.kind == kFloat) {
		phrase = strings.Join(words[:len(words)-1], " ") + ", " + unit
	}
	return f.name + " is " + owner + " " + phrase + "."
}

// isPageEnvelope reports whether d is one page of a list: it has a cursor
// or page count beside its items.
func isPageEnvelope(d *typeDecl) bool {
	for _, f := range d.fields {
		switch f.jsonName {
		case "nextCursor", "totalPages", "total", "next_cursor", "total_pages":
			return true
		}
	}
	return false
}

// ownerSubject turns "the backup's" back into "backup".
func ownerSubject(owner string) string {
	s := strings.TrimPrefix(owner, "the ")
	s = strings.TrimSuffix(s, "'s")
	return strings.TrimSuffix(s, "'")
}

// plural makes a naive plural of an English noun phrase.
func plural(s string) string {
	switch {
	case strings.HasSuffix(s, "s"):
		return s
	case strings.HasSuffix(s, "y") && !strings.HasSuffix(s, "ey"):
		return strings.TrimSuffix(s, "y") + "ies"
	}
	return s + "s"
}

package restorehubtest

import "encoding/json"

// seedDefaults stores the account every fake has (when the table reads
// one at /account) and, when demo is set, the demo servers, backups and
// members in whichever of their collections the table has. The demo data
// follows today's spec; a table without these paths simply gets less of
// it.
func (s *Server) seedDefaults(demo bool) {
	now := s.now()
	if s.router.hasObject("/account") {
		s.store.objects["/account"] = map[string]any{
			"id":        "acct_demo",
			"username":  "restorehub-demo",
			"email":     "demo@example.com",
			"plan":      s.plan,
			"createdAt": timestamp(now),
		}
	}
	if !demo || !s.router.hasCollection("/servers") {
		return
	}
	servers := []map[string]any{
		{"name": "Pixel Lounge", "guildId": "412290157281476608", "ownerId": "190544080164487168", "memberCount": json.Number("1284")},
		{"name": "Night Owls Study Hall", "guildId": "735018449125261312", "ownerId": "287302391829544961", "memberCount": json.Number("342")},
		{"name": "Retro Racing League", "guildId": "918273645564738291", "ownerId": "310112870347358209", "memberCount": json.Number("57")},
	}
	for i, srv := range servers {
		e, _ := s.store.insert("/servers", srv, now)
		id := e["id"].(string)
		backup := map[string]any{
			"serverId":    id,
			"name":        srv["name"].(string) + " nightly",
			"status":      "completed",
			"sizeBytes":   json.Number("48213"),
			"completedAt": timestamp(now),
		}
		switch {
		case s.router.hasCollection("/backups"):
			s.store.insert("/backups", backup, now)
		case s.router.hasCollection("/servers/{}/backups"):
			s.store.insert("/servers/"+id+"/backups", backup, now)
		}
		if i == 0 && s.router.hasCollection("/members") {
			users := []struct{ userID, name string }{
				{"523017262830993418", "ada"}, {"604918382711132160", "grace"}, {"651402277126258688", "linus"},
			}
			for _, u := range users {
				s.store.insert("/members", map[string]any{
					"userId": u.userID, "serverId": id, "username": u.name, "verified": true, "verifiedAt": timestamp(now),
				}, now)
			}
		}
	}
}

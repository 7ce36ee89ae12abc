package restorehubtest

import "encoding/json"

// seedDefaults stores the account every fake has and, when demo is set,
// the demo servers and backups.
func (s *Server) seedDefaults(demo bool) {
	now := s.now()
	s.store.objects["/account"] = map[string]any{
		"id":        "acct_demo",
		"username":  "restorehub-demo",
		"email":     "demo@example.com",
		"plan":      s.plan,
		"createdAt": timestamp(now),
	}
	if !demo || !s.router.hasCollection("/servers") {
		return
	}
	servers := []map[string]any{
		{"name": "Pixel Lounge", "guildId": "412290157281476608", "memberCount": json.Number("1284"), "verifiedMembers": json.Number("1107")},
		{"name": "Night Owls Study Hall", "guildId": "735018449125261312", "memberCount": json.Number("342"), "verifiedMembers": json.Number("298")},
		{"name": "Retro Racing League", "guildId": "918273645564738291", "memberCount": json.Number("57"), "verifiedMembers": json.Number("41")},
	}
	for i, srv := range servers {
		e, _ := s.store.insert("/servers", srv, now)
		id := e["id"].(string)
		backup := map[string]any{
			"serverId":     id,
			"status":       "completed",
			"sizeBytes":    json.Number("48213"),
			"channelCount": json.Number("24"),
			"roleCount":    json.Number("11"),
		}
		switch {
		case s.router.hasCollection("/backups"):
			s.store.insert("/backups", backup, now)
		case s.router.hasCollection("/servers/{}/backups"):
			s.store.insert("/servers/"+id+"/backups", backup, now)
		}
		if i == 0 && s.router.hasCollection("/members") {
			for _, name := range []string{"ada", "grace", "linus"} {
				s.store.insert("/members", map[string]any{"serverId": id, "username": name, "verified": true}, now)
			}
		}
	}
}

package agent_test

import (
	"context"
	"encoding/json"
	"fmt"

	restorehub "github.com/restorehub/restorehub-go"
	"github.com/restorehub/restorehub-go/agent"
	"github.com/restorehub/restorehub-go/restorehubtest"
)

// toolCall is one tool call of a model's reply, as the OpenAI Chat
// Completions API returns it.
type toolCall struct {
	ID       string `json:"id"`
	Function struct {
		Name      string `json:"name"`
		Arguments string `json:"arguments"`
	} `json:"function"`
}

// Example feeds a toolkit to an agent loop. The model is scripted here; a
// real loop sends agent.OpenAITools(tk.Tools()) as the request's "tools"
// and runs the tool calls of each reply until the model stops calling.
func Example() {
	const key = "rh_exampleAgentKey0123456789abcdefABCDEF"
	fake := restorehubtest.NewServer(restorehubtest.WithKey(key, restorehub.ScopeBackupsRead, restorehub.ScopeBackupsRestore), restorehubtest.WithDemoData())
	defer fake.Close()
	client, _ := restorehub.New(key, restorehub.WithBaseURL(fake.BaseURL()),
		restorehub.WithScopes(restorehub.ScopeBackupsRead, restorehub.ScopeBackupsRestore))

	tk, err := agent.New(client,
		agent.WithToolsets("backups"),
		agent.WithConfirm(func(ctx context.Context, c agent.Confirmation) error {
			fmt.Println("asked:", c.Method, c.Path)
			return agent.ErrDeclined // a human said no
		}),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	tools := agent.OpenAITools(tk.Tools()) // the "tools" of every request
	fmt.Println(len(tk.Tools()), "tools,", len(tools) > 0)

	// Two replies of the model, each with one tool call.
	replies := []string{
		`[{"id":"call_1","function":{"name":"backups_list","arguments":"{\"limit\":1}"}}]`,
		`[{"id":"call_2","function":{"name":"backups_restore","arguments":"{\"backupId\":\"backup_0002\",\"targetServerId\":\"server_0001\"}"}}]`,
	}
	for _, reply := range replies {
		var calls []toolCall
		_ = json.Unmarshal([]byte(reply), &calls)
		for _, call := range calls {
			res, err := tk.Call(context.Background(), call.Function.Name, json.RawMessage(call.Function.Arguments))
			if err != nil { // a tool the model made up
				res = &agent.Result{IsError: true, Text: err.Error()}
			}
			// Append {"role":"tool","tool_call_id":call.ID,"content":res.Text + res.Data} to the messages.
			fmt.Println(call.ID, "error:", res.IsError)
		}
	}
	fmt.Println("restores sent:", fake.Count("backups.restore"))
	// Output:
	// 3 tools, true
	// call_1 error: false
	// asked: POST /backups/backup_0002/restore
	// call_2 error: true
	// restores sent: 0
}

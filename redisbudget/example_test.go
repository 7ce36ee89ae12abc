package redisbudget_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/redis/go-redis/v9"
	"github.com/restorehub/restorehub-go"
	"github.com/restorehub/restorehub-go/redisbudget"
)

// Every worker process builds its client like this; all of them then share
// the key's one budget.
func ExampleNew() {
	apiKey := os.Getenv(restorehub.EnvAPIKey)
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"})
	defer rdb.Close()

	budget, err := redisbudget.New(rdb, apiKey,
		redisbudget.WithLogger(slog.Default()), // one line when Redis goes away, one when it is back
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	client, err := restorehub.New(apiKey, restorehub.WithBudget(budget))
	if err != nil {
		fmt.Println(err)
		return
	}
	var account map[string]any
	if _, err := client.Do(context.Background(), &restorehub.Request{Method: "GET", Path: "/account"}, &account); err != nil {
		fmt.Println(err)
	}
}

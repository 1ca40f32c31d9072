package redis_test

import (
	"context"
	"strings"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/hookkit/hookkit/internal/redistest"
	"github.com/hookkit/hookkit/mockserver/state"
	"github.com/hookkit/hookkit/mockserver/state/redis"
	"github.com/hookkit/hookkit/mockserver/state/storetest"
)

func TestStore(t *testing.T) {
	srv := redistest.Start(t)
	n := 0
	storetest.Run(t, func(t *testing.T) state.Store {
		n++
		// A namespace per subtest keeps them apart on one server, as documents are.
		s, err := redis.New(context.Background(), redis.Options{URL: srv.URL, Namespace: "test" + string(rune('a'+n))})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}

// TestTTL: a scope written with a TTL expires as a whole; Redis's own clock decides, so
// the test asks Redis for the TTL instead of waiting for it.
func TestTTL(t *testing.T) {
	srv := redistest.Start(t)
	ctx := context.Background()
	s, err := redis.New(ctx, redis.Options{URL: srv.URL, Prefix: "p", Namespace: "doc", TTL: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, _, err := s.Create(ctx, "todos", "", "1", []byte("{}"), ""); err != nil {
		t.Fatal(err)
	}
	ttl := redisTTL(t, srv.Addr, "p:doc:{todos}:s::items")
	if ttl <= 0 || ttl > 3600 {
		t.Fatalf("TTL of the items key: %d s, want (0, 3600]", ttl)
	}
}

func TestBadURL(t *testing.T) {
	for _, u := range []string{"redis://user:hunter2@127.0.0.1:1/0", "redis://user:hunter2@127.0.0.1:1/notadb", "redis://user:hunter2@[::1/0"} {
		_, err := redis.New(context.Background(), redis.Options{URL: u})
		if err == nil {
			t.Fatalf("%s: connecting succeeded", u)
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Fatalf("the error shows the password: %v", err)
		}
	}
}

func redisTTL(t *testing.T, addr, key string) int64 {
	t.Helper()
	c := goredis.NewClient(&goredis.Options{Addr: addr})
	defer c.Close()
	d, err := c.TTL(context.Background(), key).Result()
	if err != nil {
		t.Fatal(err)
	}
	return int64(d / time.Second)
}

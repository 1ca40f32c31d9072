// Package redis is the [state.Store] that several mock replicas share: every replica that
// points at the same Redis server, prefix and document sees the same resources.
//
// # Key layout
//
// Every key starts with "<prefix>:<namespace>:{<collection>}", where the namespace names
// the document (the mock passes a slug of its title and version) and the braces are a
// Redis Cluster hash tag, so the keys a script touches share one slot:
//
//	<base>:seq                  string  id sequence (INCR), never reset
//	<base>:scopes               set     scopes that hold items
//	<base>:s:<scope>:items      hash    id -> JSON value
//	<base>:s:<scope>:order      zset    id scored by creation sequence (List order)
//	<base>:s:<scope>:uniq       hash    unique value -> id (duplicate detection)
//	<base>:s:<scope>:uniqof     hash    id -> unique value
//
// # Consistency
//
// Create, Delete and List are Lua scripts, so each runs atomically on the server: two
// replicas creating the same unique value at once store one item. Update is optimistic
// (WATCH on the item hash, then MULTI/EXEC), retried when another writer got in between,
// so no update is lost. A TTL, when set, is refreshed on the scope's keys at every write:
// a scope nobody writes to for that long disappears as a whole.
package redis

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/hookkit/hookkit/mockserver/state"
)

// Options configure a Store.
type Options struct {
	// URL is redis://[user:password@]host:port/db (or rediss:// for TLS).
	URL string
	// Prefix starts every key (default "hookkit").
	Prefix string
	// Namespace names the document within the prefix.
	Namespace string
	// TTL, when positive, expires a scope that saw no write for that long.
	TTL time.Duration
}

// Store is a [state.Store] on a Redis server.
type Store struct {
	c    *goredis.Client
	base string
	ttl  time.Duration
	url  string
}

var _ state.Store = (*Store)(nil)

// maxUpdateRetries bounds the optimistic retries of Update under contention.
const maxUpdateRetries = 100

// New connects to the server and checks it answers PING within 5 seconds, so a wrong URL
// fails at start rather than on the first request.
func New(ctx context.Context, o Options) (*Store, error) {
	opts, err := goredis.ParseURL(o.URL)
	if err != nil {
		// The parser's message can quote the whole URL, password included: say less.
		return nil, fmt.Errorf("state.redis %s: not a usable Redis URL (want redis://[user:password@]host:port/db)", redactURL(o.URL))
	}
	opts.DialTimeout = 2 * time.Second
	opts.ReadTimeout = 2 * time.Second
	opts.WriteTimeout = 2 * time.Second
	// No client-side maintenance notifications or identity calls: plain RESP is enough.
	opts.DisableIdentity = true
	c := goredis.NewClient(opts)
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := c.Ping(pctx).Err(); err != nil {
		c.Close()
		return nil, fmt.Errorf("state.redis %s: %w", redactURL(o.URL), err)
	}
	prefix := o.Prefix
	if prefix == "" {
		prefix = "hookkit"
	}
	return &Store{c: c, base: prefix + ":" + o.Namespace, ttl: o.TTL, url: redactURL(o.URL)}, nil
}

// redactURL hides a password in a Redis URL, so errors and banners never show it.
func redactURL(raw string) string {
	opts, err := goredis.ParseURL(raw)
	if err != nil {
		return "[unparseable URL]"
	}
	if opts.Password == "" {
		return raw
	}
	return fmt.Sprintf("redis://[REDACTED]@%s/%d", opts.Addr, opts.DB)
}

// String names the store in banners (without credentials).
func (s *Store) String() string { return "redis " + s.url + " (keys " + s.base + ":...)" }

func (s *Store) collKey(coll string) string { return s.base + ":{" + coll + "}" }

// keys returns the scope's keys in the order the scripts expect them.
func (s *Store) keys(coll, scope string) []string {
	b := s.collKey(coll)
	sb := b + ":s:" + scope
	return []string{sb + ":items", sb + ":order", sb + ":uniq", sb + ":uniqof", b + ":scopes", b + ":seq"}
}

func (s *Store) ttlMillis() string { return strconv.FormatInt(s.ttl.Milliseconds(), 10) }

// NextID implements state.Store. Sequences start after 1000 like the memory store's.
func (s *Store) NextID(ctx context.Context, coll string) (uint64, error) {
	n, err := nextScript.Run(ctx, s.c, []string{s.collKey(coll) + ":seq"}).Int64()
	if err != nil {
		return 0, fmt.Errorf("redis: next id of %s: %w", coll, err)
	}
	return uint64(n), nil
}

var nextScript = goredis.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then redis.call('SET', KEYS[1], 1000) end
return redis.call('INCR', KEYS[1])`)

// createScript: KEYS items, order, uniq, uniqof, scopes, seq; ARGV id, value, unique,
// scope, ttl ms. Returns {status, id, value}: 1 created, 0 duplicate unique, 2 id exists.
var createScript = goredis.NewScript(`
if ARGV[3] ~= '' then
  local have = redis.call('HGET', KEYS[3], ARGV[3])
  if have then
    local v = redis.call('HGET', KEYS[1], have)
    if v then return {0, have, v} end
  end
end
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return {2, ARGV[1], ''} end
if redis.call('EXISTS', KEYS[6]) == 0 then redis.call('SET', KEYS[6], 1000) end
redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[6]), ARGV[1])
if ARGV[3] ~= '' then
  redis.call('HSET', KEYS[3], ARGV[3], ARGV[1])
  redis.call('HSET', KEYS[4], ARGV[1], ARGV[3])
end
redis.call('SADD', KEYS[5], ARGV[4])
local ttl = tonumber(ARGV[5])
if ttl > 0 then for i = 1, 4 do redis.call('PEXPIRE', KEYS[i], ttl) end end
return {1, ARGV[1], ARGV[2]}`)

// Create implements state.Store.
func (s *Store) Create(ctx context.Context, coll, scope, id string, value []byte, unique string) (state.Item, bool, error) {
	res, err := createScript.Run(ctx, s.c, s.keys(coll, scope), id, value, unique, scope, s.ttlMillis()).Slice()
	if err != nil {
		return state.Item{}, false, fmt.Errorf("redis: create in %s: %w", coll, err)
	}
	if len(res) != 3 {
		return state.Item{}, false, fmt.Errorf("redis: create in %s: unexpected answer %v", coll, res)
	}
	code, _ := res[0].(int64)
	gotID, _ := res[1].(string)
	v, _ := res[2].(string)
	switch code {
	case 1:
		return state.Item{Scope: scope, ID: gotID, Value: []byte(v)}, true, nil
	case 0:
		return state.Item{Scope: scope, ID: gotID, Value: []byte(v)}, false, nil
	}
	return state.Item{}, false, state.ErrExists
}

// Get implements state.Store.
func (s *Store) Get(ctx context.Context, coll, scope, id string) ([]byte, bool, error) {
	v, err := s.c.HGet(ctx, s.keys(coll, scope)[0], id).Bytes()
	if errors.Is(err, goredis.Nil) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("redis: get from %s: %w", coll, err)
	}
	return v, true, nil
}

// listScript: KEYS items, order; ARGV start, stop, max bytes. Returns {total, id1, v1,
// id2, v2...}, stopping before the values would exceed max bytes (one item at least), so
// the mock never receives more than about that.
var listScript = goredis.NewScript(`
local total = redis.call('ZCARD', KEYS[2])
local ids = redis.call('ZRANGE', KEYS[2], ARGV[1], ARGV[2])
local out = {total}
if #ids == 0 then return out end
local budget = tonumber(ARGV[3])
local vals = redis.call('HMGET', KEYS[1], unpack(ids))
for i, id in ipairs(ids) do
  local v = vals[i]
  if v then
    if #out > 1 and #v > budget then break end
    table.insert(out, id); table.insert(out, v)
    budget = budget - #v
  end
end
return out`)

// List implements state.Store.
func (s *Store) List(ctx context.Context, coll, scope string, offset, limit int) ([]state.Item, int, error) {
	items, total, _, err := s.list(ctx, coll, scope, offset, limit, state.MaxListBytes)
	return items, total, err
}

// list is List with a byte budget for the values; it returns what is left of the budget.
func (s *Store) list(ctx context.Context, coll, scope string, offset, limit int, budget int64) ([]state.Item, int, int64, error) {
	if limit <= 0 || limit > state.MaxList {
		limit = state.MaxList
	}
	if offset < 0 {
		offset = 0
	}
	k := s.keys(coll, scope)
	res, err := listScript.Run(ctx, s.c, k[:2], offset, offset+limit-1, budget).Slice()
	if err != nil {
		return nil, 0, 0, fmt.Errorf("redis: list %s: %w", coll, err)
	}
	if len(res) == 0 {
		return nil, 0, 0, fmt.Errorf("redis: list %s: empty answer", coll)
	}
	total, _ := res[0].(int64)
	items := make([]state.Item, 0, (len(res)-1)/2)
	for i := 1; i+1 < len(res); i += 2 {
		id, _ := res[i].(string)
		v, _ := res[i+1].(string)
		items = append(items, state.Item{Scope: scope, ID: id, Value: []byte(v)})
		budget -= int64(len(v))
	}
	return items, int(total), budget, nil
}

// Update implements state.Store with WATCH/MULTI/EXEC, retried on conflict.
func (s *Store) Update(ctx context.Context, coll, scope, id string, fn func([]byte) ([]byte, error)) ([]byte, bool, error) {
	k := s.keys(coll, scope)
	var out []byte
	found := true
	txf := func(tx *goredis.Tx) error {
		old, err := tx.HGet(ctx, k[0], id).Bytes()
		if errors.Is(err, goredis.Nil) {
			found = false
			return nil
		}
		if err != nil {
			return err
		}
		nv, err := fn(old)
		if err != nil {
			return err
		}
		_, err = tx.TxPipelined(ctx, func(p goredis.Pipeliner) error {
			p.HSet(ctx, k[0], id, nv)
			if s.ttl > 0 {
				for _, key := range k[:4] {
					p.PExpire(ctx, key, s.ttl)
				}
			}
			return nil
		})
		out = nv
		return err
	}
	for range maxUpdateRetries {
		found = true
		err := s.c.Watch(ctx, txf, k[0])
		if errors.Is(err, goredis.TxFailedErr) {
			continue
		}
		if err != nil {
			return nil, found, fmt.Errorf("redis: update in %s: %w", coll, err)
		}
		return out, found, nil
	}
	return nil, true, fmt.Errorf("redis: update in %s: still conflicting after %d attempts", coll, maxUpdateRetries)
}

// deleteScript: KEYS items, order, uniq, uniqof, scopes; ARGV id, scope. Returns 1 when
// deleted. A scope left empty leaves the scopes set too.
var deleteScript = goredis.NewScript(`
if redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('ZREM', KEYS[2], ARGV[1])
local u = redis.call('HGET', KEYS[4], ARGV[1])
if u then
  redis.call('HDEL', KEYS[3], u)
  redis.call('HDEL', KEYS[4], ARGV[1])
end
if redis.call('HLEN', KEYS[1]) == 0 then redis.call('SREM', KEYS[5], ARGV[2]) end
return 1`)

// Delete implements state.Store.
func (s *Store) Delete(ctx context.Context, coll, scope, id string) (bool, error) {
	n, err := deleteScript.Run(ctx, s.c, s.keys(coll, scope)[:5], id, scope).Int64()
	if err != nil {
		return false, fmt.Errorf("redis: delete from %s: %w", coll, err)
	}
	return n == 1, nil
}

// Dump implements state.Store.
func (s *Store) Dump(ctx context.Context, coll string) ([]state.Item, error) {
	scopes, err := s.c.SMembers(ctx, s.collKey(coll)+":scopes").Result()
	if err != nil {
		return nil, fmt.Errorf("redis: scopes of %s: %w", coll, err)
	}
	sort.Strings(scopes)
	out := []state.Item{}
	budget := int64(state.MaxListBytes)
	for _, sc := range scopes {
		// A scope after the first may not bring its one item over the budget.
		items, _, left, err := s.list(ctx, coll, sc, 0, state.MaxList-len(out), budget)
		if err != nil {
			return nil, err
		}
		if len(out) > 0 && left < 0 {
			items = items[:len(items)-1]
			left = 0
		}
		out, budget = append(out, items...), left
		if len(out) >= state.MaxList || budget <= 0 {
			break
		}
	}
	return out, nil
}

// Clear implements state.Store. The id sequence is kept.
func (s *Store) Clear(ctx context.Context, coll string) error {
	skey := s.collKey(coll) + ":scopes"
	scopes, err := s.c.SMembers(ctx, skey).Result()
	if err != nil {
		return fmt.Errorf("redis: scopes of %s: %w", coll, err)
	}
	keys := []string{skey}
	for _, sc := range scopes {
		keys = append(keys, s.keys(coll, sc)[:4]...)
	}
	for len(keys) > 0 {
		n := min(len(keys), 500)
		if err := s.c.Del(ctx, keys[:n]...).Err(); err != nil {
			return fmt.Errorf("redis: clear %s: %w", coll, err)
		}
		keys = keys[n:]
	}
	return nil
}

// Close implements state.Store.
func (s *Store) Close() error { return s.c.Close() }

package mockserver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/hookkit/hookkit/mockserver/config"
	statestore "github.com/hookkit/hookkit/mockserver/state"
	"github.com/hookkit/hookkit/openapi"
	"github.com/hookkit/hookkit/openapi/resource"
)

// seed fills the scopes that are empty with the seed file's resources, or without one
// with the examples of the get and list responses. Seeding only empty scopes lets a second
// replica start without bringing back what users deleted meanwhile.
func (sf *stateful) seed(ctx context.Context, cfg *config.Config) error {
	data := cfg.SeedData()
	var errs []error
	for _, c := range sf.model.Collections {
		cp := sf.colls[c]
		var entries []config.SeedEntry
		if data != nil {
			entries = data[c.Name]
		} else {
			entries = cp.examples
		}
		type prepared struct {
			scope, key string
			value      []byte
		}
		var ready []prepared
		for _, e := range entries {
			scope, key, value, err := sf.prepareSeed(ctx, cfg, cp, e)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			ready = append(ready, prepared{scope, key, value})
		}
		empty := map[string]bool{}
		for _, p := range ready {
			if _, seen := empty[p.scope]; !seen {
				_, total, err := sf.store.List(ctx, c.Name, p.scope, 0, 1)
				if err != nil {
					return err
				}
				empty[p.scope] = total == 0
			}
			if !empty[p.scope] {
				continue // already seeded, by this replica or another
			}
			if _, _, err := sf.store.Create(ctx, c.Name, p.scope, p.key, p.value, ""); err != nil && !errors.Is(err, statestore.ErrExists) {
				return err
			}
		}
	}
	if data != nil {
		for name := range data {
			if _, ok := sf.model.Collection(name); !ok {
				errs = append(errs, fmt.Errorf("%s: state.seed names collection %q, which the document does not have (collections: %s)", cfg.State.Seed, name, strings.Join(sf.names(), ", ")))
			}
		}
	}
	return errors.Join(errs...)
}

func (sf *stateful) names() []string {
	var out []string
	for _, c := range sf.model.Collections {
		out = append(out, c.Name)
	}
	return out
}

// exampleSeeds are the examples of the get response and the items of the list response's
// examples.
func exampleSeeds(c *resource.Collection) []config.SeedEntry {
	var out []config.SeedEntry
	add := func(v any) {
		if m, ok := v.(map[string]any); ok {
			out = append(out, config.SeedEntry{Item: m})
		}
	}
	mediaExamples := func(op *openapi.Operation) []openapi.Example {
		r, _ := resource.SuccessResponse(op)
		if r == nil {
			return nil
		}
		for mt, media := range r.Content {
			if openapi.IsJSON(baseMediaType(mt)) && media != nil {
				return openapi.MediaExamples(media)
			}
		}
		return nil
	}
	if op := c.Ops[resource.Get]; op != nil {
		for _, ex := range mediaExamples(op) {
			add(c.Unwrap(ex.Value))
		}
	}
	if op := c.Ops[resource.List]; op != nil {
		for _, ex := range mediaExamples(op) {
			switch v := ex.Value.(type) {
			case []any:
				for _, it := range v {
					add(it)
				}
			case map[string]any:
				for _, pv := range v {
					if arr, ok := pv.([]any); ok {
						for _, it := range arr {
							add(it)
						}
					}
				}
			}
		}
	}
	return out
}

// exampleSeedsOf returns the document's examples that can seed the collection (an
// unscoped one) and a warning for each that cannot. They are the document's, not the
// user's: one that does not fit the resource (a list's bare items where the get answers
// an envelope, {"reserved_ip": {...}}) is left out rather than refusing the start. It
// checks what prepareSeed will store, with a sample id where the example has none, and
// touches no store.
func (cp *collPlan) exampleSeedsOf(doc *openapi.Document) ([]config.SeedEntry, []openapi.Warning) {
	c := cp.c
	if len(c.Scope) > 0 {
		return nil, nil
	}
	var ok []config.SeedEntry
	var warns []openapi.Warning
	for _, e := range exampleSeeds(c) {
		raw, err := json.Marshal(e.Item)
		var item map[string]any
		if err == nil {
			err = json.Unmarshal(raw, &item)
		}
		if err == nil && cp.item != nil {
			if m, isMap := withoutWriteOnly(item, cp.item, 0).(map[string]any); isMap {
				item = m
			}
			if _, has := item[c.IDField]; c.IDField != "" && !has && cp.idFormat != nil {
				_, item[c.IDField] = cp.idFormat(1)
			}
			err = cp.item.VisitJSON(item, openapi3.VisitAsResponse(), openapi3.MultiErrors())
		}
		if err != nil {
			warns = append(warns, openapi.Warning{Kind: Unsynthesizable, File: doc.Source, Message: fmt.Sprintf(
				"stateful collection %s: an example of its get or list response does not fit the resource's schema (%s); it is not seeded", c.Name, config.SchemaProblems(err))})
			continue
		}
		ok = append(ok, e)
	}
	return ok, warns
}

// prepareSeed checks one seed resource against the document and returns where and how to
// store it.
func (sf *stateful) prepareSeed(ctx context.Context, cfg *config.Config, cp *collPlan, e config.SeedEntry) (scope, key string, value []byte, err error) {
	c := cp.c
	where := "example of " + c.Name
	if e.Line > 0 {
		where = fmt.Sprintf("%s:%d", cfg.State.Seed, e.Line)
	}
	// Round-trip through JSON so YAML's ints and maps look like decoded JSON to the
	// validator.
	raw, err := json.Marshal(e.Item)
	if err != nil {
		return "", "", nil, fmt.Errorf("%s: %w", where, err)
	}
	var item map[string]any
	if err := json.Unmarshal(raw, &item); err != nil {
		return "", "", nil, fmt.Errorf("%s: %w", where, err)
	}
	if cp.item != nil {
		if m, ok := withoutWriteOnly(item, cp.item, 0).(map[string]any); ok {
			item = m
		}
	}
	scopeVals := map[string]string{}
	for _, p := range c.Scope {
		v, ok := e.Scope[p]
		if !ok {
			return "", "", nil, fmt.Errorf("%s: a resource of %s needs scope.%s (the collection path is %s)", where, c.Name, p, c.Path)
		}
		scopeVals[p] = v
	}
	if v, ok := item[c.IDField]; ok && c.IDField != "" {
		key = scalarString(v)
	} else {
		seq, err := sf.store.NextID(ctx, c.Name)
		if err != nil {
			return "", "", nil, err
		}
		var idv any
		key, idv = cp.idFormat(seq)
		if c.IDField != "" {
			item[c.IDField] = idv
		}
	}
	if cp.item != nil {
		if err := cp.item.VisitJSON(item, openapi3.VisitAsResponse(), openapi3.MultiErrors()); err != nil {
			return "", "", nil, fmt.Errorf("%s: seed resource of %s breaks the document: %s", where, c.Name, config.SchemaProblems(err))
		}
	}
	value, err = json.Marshal(item)
	return c.ScopeKey(scopeVals), key, value, err
}

package contract_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/hookkit/hookkit/contract"
	"github.com/hookkit/hookkit/mockserver"
	"github.com/hookkit/hookkit/mockserver/mocktest"
	"github.com/hookkit/hookkit/openapi"
)

// flawedTodos serves statuses.yaml through the mock, except where flaw changes one answer
// of POST /todos the way a careless server would; the mock itself honours every rule.
func flawedTodos(t *testing.T, doc *openapi.Document, flaw func(r *http.Request, body map[string]any) (int, bool)) http.Handler {
	t.Helper()
	mock, err := mockserver.New(doc, mocktest.HookAPIOptions(mockserver.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.URL.Path == "/todos" {
			raw, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(raw))
			var body map[string]any
			_ = json.Unmarshal(raw, &body)
			if status, ok := flaw(r, body); ok {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(status)
				if status < 300 {
					_, _ = w.Write([]byte(`{"id":"t-1","title":"x"}`))
				} else {
					_, _ = w.Write([]byte(`{"message":"rejected"}`))
				}
				return
			}
		}
		mock.ServeHTTP(w, r)
	})
}

// TestCheckStrictFlagsEachFlaw runs the checker against servers that each break one rule
// of the statuses document and wants exactly that rule reported.
func TestCheckStrictFlagsEachFlaw(t *testing.T) {
	t.Parallel()
	doc, err := openapi.Load("../openapi/testdata/realworld/statuses.yaml")
	if err != nil {
		t.Fatal(err)
	}
	long := func(b map[string]any) bool { s, _ := b["title"].(string); return len(s) > 80 }
	tests := []struct {
		name string
		flaw func(r *http.Request, body map[string]any) (int, bool)
		want []string
	}{
		{name: "compliant (the mock)", flaw: func(*http.Request, map[string]any) (int, bool) { return 0, false }},
		{name: "400 where 401 is declared", flaw: func(r *http.Request, _ map[string]any) (int, bool) {
			return 400, r.Header.Get("Authorization") == ""
		}, want: []string{"createTodo/negative/missing-credential negative-status"}},
		{name: "400 where 422 is declared for a missing field", flaw: func(r *http.Request, b map[string]any) (int, bool) {
			_, has := b["title"]
			return 400, b != nil && !has && r.Header.Get("Authorization") != ""
		}, want: []string{"createTodo/negative/missing-field-title negative-status"}},
		{name: "accepts a title over maxLength", flaw: func(_ *http.Request, b map[string]any) (int, bool) {
			return 201, long(b)
		}, want: []string{"createTodo/negative/body-title-maxlength negative-rejected"}},
		{name: "accepts a property additionalProperties forbids", flaw: func(_ *http.Request, b map[string]any) (int, bool) {
			_, has := b["hookkit_extra"]
			return 201, has
		}, want: []string{"createTodo/negative/additional-property negative-rejected"}},
		{name: "accepts a readOnly property", flaw: func(_ *http.Request, b map[string]any) (int, bool) {
			_, has := b["id"]
			return 201, has
		}, want: []string{"createTodo/negative/readonly-id negative-rejected"}},
		{name: "rejects a title at maxLength", flaw: func(_ *http.Request, b map[string]any) (int, bool) {
			s, _ := b["title"].(string)
			return 422, len(s) == 80
		}, want: []string{"createTodo/positive/edge-title-maxlength positive-accepted"}},
		{name: "undeclared 409 for a valid edge value", flaw: func(_ *http.Request, b map[string]any) (int, bool) {
			return 409, b["state"] == "done"
		}, want: []string{"createTodo/positive/edge-state-enum-done positive-accepted", "createTodo/positive/edge-state-enum-done status-declared"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rep := runCheck(t, doc, flawedTodos(t, doc, tt.flaw), func(o *contract.Options) {
				// The flawed servers wrap the stateless mock: no stateful sequences.
				o.Set, o.Include, o.Stateful = nil, []string{"createTodo"}, contract.StatefulOff
			})
			if got := failed(rep); !slices.Equal(got, tt.want) {
				var b strings.Builder
				_ = rep.WriteText(&b, false)
				t.Errorf("failures\n got %q\nwant %q\n%s", got, tt.want, b.String())
			}
		})
	}
}

// TestPlanUndeclaredMethodRoutedElsewhere: a method a static path does not declare but
// its templated sibling does is routed there, so the case uses a method neither declares.
func TestPlanUndeclaredMethodRoutedElsewhere(t *testing.T) {
	t.Parallel()
	doc, err := openapi.Load("../openapi/testdata/realworld/statuses.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cases, err := contract.Plan(doc, contract.Options{BaseURL: "http://127.0.0.1:1", Include: []string{"listArchivedTodos"}})
	if err != nil {
		t.Fatal(err)
	}
	var methods []string
	for _, c := range cases {
		if strings.Contains(c.ID, "/undeclared-method-") {
			methods = append(methods, c.Method)
		}
	}
	if !slices.Equal(methods, []string{"PUT"}) {
		t.Errorf("undeclared-method cases use %q, want [PUT]", methods)
	}
}

// TestPlanStrictCases pins the new case kinds planned for createTodo: constraint
// negatives per keyword, the additionalProperties extra, the readOnly field, the
// undeclared method and the edge positives, the same for every seed.
func TestPlanStrictCases(t *testing.T) {
	t.Parallel()
	doc, err := openapi.Load("../openapi/testdata/realworld/statuses.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var first []string
	for _, seed := range []uint64{1, 2} {
		cases, err := contract.Plan(doc, contract.Options{BaseURL: "http://127.0.0.1:1", Seed: seed, Include: []string{"createTodo"}})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, c := range cases {
			ids = append(ids, c.ID)
		}
		if first == nil {
			first = ids
		} else if !slices.Equal(ids, first) {
			t.Errorf("seed %d plans %q, seed 1 %q", seed, ids, first)
		}
	}
	for _, want := range []string{
		"createTodo/negative/body-title-maxlength", "createTodo/negative/body-title-minlength",
		"createTodo/negative/body-priority-maximum", "createTodo/negative/body-priority-minimum",
		"createTodo/negative/body-state-enum", "createTodo/negative/additional-property",
		"createTodo/negative/readonly-id", "createTodo/negative/undeclared-method-delete",
		"createTodo/positive/edge-title-minlength", "createTodo/positive/edge-title-maxlength",
		"createTodo/positive/edge-priority-minimum", "createTodo/positive/edge-priority-maximum",
		"createTodo/positive/edge-state-enum-open", "createTodo/positive/edge-state-enum-done",
		"createTodo/positive/edge-due-oneof-0", "createTodo/positive/edge-due-oneof-1",
	} {
		if !slices.Contains(first, want) {
			t.Errorf("plan lacks %s: %q", want, first)
		}
	}
}

// TestStrictCasesSelectable: the new cases are of the kinds --include and --exclude know
// (constraint, additionalProperties, readOnly and undeclared-method cases are negative,
// edge cases positive), so they are selected with their kind beside state's stateful
// sequences, and the selector check accepts nothing else.
func TestStrictCasesSelectable(t *testing.T) {
	t.Parallel()
	doc, err := openapi.Load("../openapi/testdata/realworld/statuses.yaml")
	if err != nil {
		t.Fatal(err)
	}
	plan := func(include, exclude []string) map[contract.CaseKind][]string {
		t.Helper()
		rep, err := contract.Check(context.Background(), doc, contract.Options{BaseURL: "http://127.0.0.1:1", DryRun: true, Include: include, Exclude: exclude})
		if err != nil {
			t.Fatal(err)
		}
		out := map[contract.CaseKind][]string{}
		for _, r := range rep.Results {
			out[r.Case.Kind] = append(out[r.Case.Kind], r.Case.ID)
		}
		return out
	}
	neg := plan([]string{"createTodo", "negative"}, nil)
	if len(neg) != 1 || !slices.Contains(neg[contract.Negative], "createTodo/negative/body-title-maxlength") ||
		!slices.Contains(neg[contract.Negative], "createTodo/negative/readonly-id") ||
		!slices.Contains(neg[contract.Negative], "createTodo/negative/additional-property") ||
		!slices.Contains(neg[contract.Negative], "createTodo/negative/undeclared-method-delete") {
		t.Errorf("--include createTodo,negative: %q", neg)
	}
	pos := plan([]string{"createTodo", "positive"}, nil)
	if len(pos) != 1 || !slices.Contains(pos[contract.Positive], "createTodo/positive/edge-title-maxlength") {
		t.Errorf("--include createTodo,positive: %q", pos)
	}
	seq := plan(nil, []string{"positive", "negative"})
	if len(seq) != 1 || !slices.Equal(seq[contract.Stateful], []string{"stateful/todos"}) {
		t.Errorf("--exclude positive,negative: %q, want the stateful sequence alone", seq)
	}
	_, err = contract.Check(context.Background(), doc, contract.Options{BaseURL: "http://127.0.0.1:1", DryRun: true, Include: []string{"edge"}})
	if err == nil || !strings.Contains(err.Error(), "kinds: positive, negative, stateful") {
		t.Errorf("--include edge: %v, want a usage error listing the kinds", err)
	}
}

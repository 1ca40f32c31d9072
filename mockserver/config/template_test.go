package config

import "testing"

func TestSeqRewrite(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ src, want string }{
		{`{{ seq }}`, "7"},
		{`{{seq}}-{{ seq | printf "%03d" }}`, "7-007"},
		{`{{ printf "%d+1" seq }}`, "7+1"},
		{`{{ if gt seq 5 }}big{{ else }}small{{ end }}`, "big"},
		{`{{ range .Body.items }}{{ . }}:{{ seq }} {{ end }}`, "a:7 b:7 "},
		{`{{ with .Body.seq }}{{ . }}/{{ seq }}{{ end }}`, "field/7"},
		{`seq {{ "seq" }} {{ .Body.seq }}`, "seq seq field"},
	} {
		tm, err := compileTemplate("t", tc.src)
		if err != nil {
			t.Fatalf("%s: %v", tc.src, err)
		}
		got, err := tm.render(&templateData{Input: Input{Body: map[string]any{"items": []any{"a", "b"}, "seq": "field"}}, Seq: 7})
		if err != nil || got != tc.want {
			t.Errorf("%s = %q, %v; want %q", tc.src, got, err, tc.want)
		}
	}
}

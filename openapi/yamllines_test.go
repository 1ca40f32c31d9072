package openapi

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/hookkit/hookkit/internal/specgen"
	"go.yaml.in/yaml/v3"
)

// TestYAMLKeyLinesAgreesWithNodeTree: on every YAML document the tests use, each pointer the
// line scanner places has the line the node tree gives, and every operation is placed (the
// pointers of the per-operation warnings a large document has by the thousand).
func TestYAMLKeyLinesAgreesWithNodeTree(t *testing.T) {
	t.Parallel()
	docs := map[string][]byte{
		"hooks.yaml":   HooksYAML(),
		"operations":   specgen.Operations(50),
		"realworldmix": specgen.RealWorldMix(200 << 10),
		"inline": []byte("---\nopenapi: 3.0.3\npaths:\n  \"/a/{id}\":   # quoted\n    get: {}\n  '/b''s':\n    post:\n" +
			"      description: |\n        get: not a key\n        paths: nor this\n      x: [1,\n        2]\n" +
			"      y:\n        - get: in a sequence\n      z: &anchor\n        k: v\n  /c:x:\n    put:\n" +
			"      summary: a plain\n        scalar, continued\n"),
	}
	for _, dir := range []string{"testdata/realworld", "../contract/testdata"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			docs[f] = data
		}
	}
	for name, data := range docs {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var root yaml.Node
			if err := yaml.Unmarshal(data, &root); err != nil {
				t.Fatal(err)
			}
			want := map[string]int{}
			mappingKeys(root.Content[0], "", want)
			var all []string
			for p := range want {
				all = append(all, p)
			}
			got, ok := yamlKeyLines(data, pointerPrefixes(all))
			if !ok {
				t.Fatal("scanner gave up")
			}
			for p, l := range got {
				if want[p] != l {
					t.Errorf("%s: line %d, node tree says %d", p, l, want[p])
				}
			}
			ops := 0
			for p := range want {
				if parts := strings.Split(p, "/"); len(parts) == 4 && parts[1] == "paths" && methods[parts[3]] {
					ops++
					if _, ok := got[p]; !ok {
						t.Errorf("operation %s not placed", p)
					}
				}
			}
			if ops == 0 {
				t.Error("no operation in the document")
			}
		})
	}
}

var methods = map[string]bool{"get": true, "put": true, "post": true, "delete": true, "patch": true, "head": true, "options": true, "trace": true}

// mappingKeys records the line of every key reached from n through mappings only, the first
// of duplicate keys winning as in nodeLine.
func mappingKeys(n *yaml.Node, ptr string, out map[string]int) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			p := ptr + "/" + pointerEscaper.Replace(n.Content[i].Value)
			if _, dup := out[p]; dup {
				continue
			}
			out[p] = n.Content[i].Line
			mappingKeys(n.Content[i+1], p, out)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			mappingKeys(c, ptr+"/"+strconv.Itoa(i), out)
		}
	}
}

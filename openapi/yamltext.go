package openapi

import (
	"fmt"
	"strings"
)

// This file is the one place that reads the text of YAML parser errors (kin-openapi loads
// documents with a YAML library whose syntax errors carry their line only in the text:
// "yaml: line 7: did not find expected key"). yamltext_test.go pins it against the loader.

// yamlLineWord precedes the line number in a YAML syntax error.
const yamlLineWord = "line "

// yamlErrorLine returns the line a YAML syntax error names.
func yamlErrorLine(msg string) (int, bool) {
	i := strings.Index(msg, yamlLineWord)
	if i < 0 {
		return 0, false
	}
	var line int
	if n, _ := fmt.Sscanf(msg[i:], yamlLineWord+"%d", &line); n != 1 || line < 1 {
		return 0, false
	}
	return line, true
}

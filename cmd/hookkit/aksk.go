package main

import (
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
)

// akskFlags are the AK/SK flags of hookkit check: the keys come from the environment or a
// file, never from a flag value, so they stay out of shell history and process listings.
type akskFlags struct {
	akEnv, skEnv, file string
}

func (a *akskFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&a.akEnv, "ak-env", "", "sign requests with AK/SK (SDK-HMAC-SHA256): the access key from this environment `VAR` (with --sk-env)")
	fs.StringVar(&a.skEnv, "sk-env", "", "the secret key from this environment `VAR` (never printed)")
	fs.StringVar(&a.file, "aksk-file", "", "read AK and SK from this `FILE`: the credentials.csv Huawei Cloud's console downloads (User Name,Access Key Id,Secret Access Key)")
}

// read returns the access key and secret key, or "" and "" when no AK/SK flag was given.
func (a *akskFlags) read() (ak, sk string, err error) {
	switch {
	case a.file != "" && (a.akEnv != "" || a.skEnv != ""):
		return "", "", errors.New("--aksk-file excludes --ak-env and --sk-env")
	case a.file != "":
		return readAKSKFile(a.file)
	case a.akEnv == "" && a.skEnv == "":
		return "", "", nil
	case a.akEnv == "" || a.skEnv == "":
		return "", "", errors.New("--ak-env and --sk-env go together")
	}
	if ak, err = readCredential("--ak-env", a.akEnv, "", ""); err != nil {
		return "", "", err
	}
	if sk, err = readCredential("--sk-env", a.skEnv, "", ""); err != nil {
		return "", "", err
	}
	return ak, sk, nil
}

// readAKSKFile reads the credentials.csv of Huawei Cloud's console: a header line naming
// the columns "Access Key Id" and "Secret Access Key", and one line of values. Errors
// never quote the file's content.
func readAKSKFile(path string) (string, string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", "", fmt.Errorf("--aksk-file: %w", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		return "", "", fmt.Errorf("--aksk-file %s: not a CSV file (%v)", path, errors.Unwrap(err))
	}
	if len(rows) < 2 {
		return "", "", fmt.Errorf("--aksk-file %s: want a header line and a line of keys", path)
	}
	akCol, skCol := -1, -1
	for i, name := range rows[0] {
		switch strings.ToLower(strings.TrimSpace(strings.TrimPrefix(name, "\ufeff"))) {
		case "access key id", "access key", "ak":
			akCol = i
		case "secret access key", "secret key", "sk":
			skCol = i
		}
	}
	if akCol < 0 || skCol < 0 {
		return "", "", fmt.Errorf("--aksk-file %s: the header line must name the columns \"Access Key Id\" and \"Secret Access Key\"", path)
	}
	row := rows[1]
	if len(row) <= akCol || len(row) <= skCol || strings.TrimSpace(row[akCol]) == "" || strings.TrimSpace(row[skCol]) == "" {
		return "", "", fmt.Errorf("--aksk-file %s:2: the access key or the secret key is empty", path)
	}
	return strings.TrimSpace(row[akCol]), strings.TrimSpace(row[skCol]), nil
}

package main

// Mirrors pkg/datastore/mysql/mysql.go BuildDataSourceName of pipe-cd/pipecd, and the address
// part of ParseDSN and normalize() in go-sql-driver/mysql v1.6 dsn.go (query parameters are not
// checked).

import (
	"errors"
	"fmt"
	"strings"
)

func buildDataSourceName(url, database, usernameFile, passwordFile string) (string, error) {
	if url == "" {
		return "", fmt.Errorf("url is required field")
	}
	if database == "" {
		if !strings.Contains(url, "/") {
			return "", fmt.Errorf("database is not set")
		}
		return url, nil
	}
	if usernameFile == "" || passwordFile == "" {
		return fmt.Sprintf("%s/%s", url, database), nil
	}
	// The files are read at start; their contents are unknown here, so a plain user and password stand in.
	return fmt.Sprintf("%s:%s@tcp(%s)/%s", "user", "password", url, database), nil
}

func parseDSN(dsn string) error {
	var netw, addr string
	foundSlash := false
	for i := len(dsn) - 1; i >= 0; i-- {
		if dsn[i] == '/' {
			foundSlash = true
			var j, k int
			if i > 0 {
				for j = i; j >= 0; j-- {
					if dsn[j] == '@' {
						break
					}
				}
				for k = j + 1; k < i; k++ {
					if dsn[k] == '(' {
						if dsn[i-1] != ')' {
							if strings.ContainsRune(dsn[k+1:i], ')') {
								return errors.New("invalid DSN: did you forget to escape a param value?")
							}
							return errors.New("invalid DSN: network address not terminated (missing closing brace)")
						}
						addr = dsn[k+1 : i-1]
						break
					}
				}
				netw = dsn[j+1 : k]
			}
			break
		}
	}
	if !foundSlash && len(dsn) > 0 {
		return errors.New("invalid DSN: missing the slash separating the database name")
	}
	if netw == "" {
		netw = "tcp"
	}
	if addr == "" && netw != "tcp" && netw != "unix" {
		return errors.New("default addr for network '" + netw + "' unknown")
	}
	return nil
}

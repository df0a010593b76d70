package main

// Mirrors model.ProjectSSOConfig of pipe-cd/pipecd (pkg/model/project.proto) as
// github.com/golang/protobuf/jsonpb decodes it for SharedSSOConfig.UnmarshalJSON
// (pkg/config/control_plane.go): a field is found by its proto name or its JSON name, exactly;
// null leaves it unset; any other key is an unknown field.

import (
	"encoding/json"
	"fmt"
	"strconv"
)

type protoKind int

const (
	protoString protoKind = iota
	protoInt64
	protoEnum
	protoStrings
	protoMessage
)

type protoField struct {
	name, jsonName string
	kind           protoKind
	message        []protoField
}

func field(name, jsonName string, kind protoKind, message ...protoField) protoField {
	return protoField{name: name, jsonName: jsonName, kind: kind, message: message}
}

var projectSSOConfig = []protoField{
	field("provider", "provider", protoEnum),
	field("session_ttl", "sessionTtl", protoInt64),
	field("github", "github", protoMessage,
		field("client_id", "clientId", protoString), field("client_secret", "clientSecret", protoString),
		field("base_url", "baseUrl", protoString), field("upload_url", "uploadUrl", protoString), field("proxy_url", "proxyUrl", protoString)),
	field("google", "google", protoMessage, field("client_id", "clientId", protoString), field("client_secret", "clientSecret", protoString)),
	field("oidc", "oidc", protoMessage,
		field("client_id", "clientId", protoString), field("client_secret", "clientSecret", protoString),
		field("issuer", "issuer", protoString), field("redirect_uri", "redirectUri", protoString),
		field("authorization_endpoint", "authorizationEndpoint", protoString), field("token_endpoint", "tokenEndpoint", protoString),
		field("user_info_endpoint", "userInfoEndpoint", protoString), field("proxy_url", "proxyUrl", protoString),
		field("scopes", "scopes", protoStrings), field("roles_claim_key", "rolesClaimKey", protoString),
		field("username_claim_key", "usernameClaimKey", protoString), field("avatar_url_claim_key", "avatarUrlClaimKey", protoString)),
}

func protoDecode(data []byte, fields []protoField) error {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(data, &obj); err != nil {
		return err
	}
	for _, f := range fields {
		var raw json.RawMessage
		for _, name := range []string{f.name, f.jsonName} {
			if v, ok := obj[name]; ok {
				delete(obj, name)
				raw = v
			}
		}
		if raw == nil || string(raw) == "null" {
			continue
		}
		if err := protoValue(raw, f); err != nil {
			return fmt.Errorf("bad value in field %q: %v", f.name, err)
		}
	}
	for name := range obj {
		return fmt.Errorf("unknown field %q in ProjectSSOConfig", name)
	}
	return nil
}

func protoValue(raw json.RawMessage, f protoField) error {
	switch f.kind {
	case protoString:
		var s string
		return json.Unmarshal(raw, &s)
	case protoInt64:
		var s string
		if json.Unmarshal(raw, &s) == nil {
			_, err := strconv.ParseInt(s, 10, 64)
			return err
		}
		var n int64
		return json.Unmarshal(raw, &n)
	case protoEnum:
		var n int32
		if err := json.Unmarshal(raw, &n); err == nil {
			return nil
		}
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return err
		}
		if _, ok := ssoProviders[s]; !ok {
			return fmt.Errorf("unknown value %q", s)
		}
		return nil
	case protoStrings:
		var ss []string
		return json.Unmarshal(raw, &ss)
	case protoMessage:
		return protoDecode(raw, f.message)
	}
	return nil
}

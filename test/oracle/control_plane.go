package main

// Mirrors pkg/config/control_plane.go of pipe-cd/pipecd (ControlPlaneSpec and the structs it
// holds, with their UnmarshalJSON), plus what cmd/controlplane/server.go refuses at start
// (createDatastore, createFilestore).

import (
	"encoding/json"
	"fmt"
	"time"
)

type ControlPlaneSpec struct {
	Address          string                       `json:"address"`
	StateKey         string                       `json:"stateKey"`
	Datastore        ControlPlaneDataStore        `json:"datastore"`
	Filestore        ControlPlaneFileStore        `json:"filestore"`
	Cache            ControlPlaneCache            `json:"cache"`
	InsightCollector ControlPlaneInsightCollector `json:"insightCollector"`
	Projects         []ControlPlaneProject        `json:"projects"`
	SharedSSOConfigs []SharedSSOConfig            `json:"sharedSSOConfigs"`
}

type ControlPlaneProject struct {
	ID          string            `json:"id"`
	Desc        string            `json:"desc"`
	StaticAdmin ProjectStaticUser `json:"staticAdmin"`
}

type ProjectStaticUser struct {
	Username     string `json:"username"`
	PasswordHash string `json:"passwordHash"`
}

// SharedSSOConfig mirrors SharedSSOConfig.UnmarshalJSON: provider and name read from a map by
// their exact names (a type assertion that panics when absent), the rest through jsonpb into
// model.ProjectSSOConfig (protoDecode, sso.go).
type SharedSSOConfig struct {
	Name string
}

var ssoProviders = map[string]int32{"GITHUB": 0, "GOOGLE": 2, "OIDC": 3}

func (s *SharedSSOConfig) UnmarshalJSON(data []byte) error {
	m := make(map[string]interface{})
	if err := json.Unmarshal(data, &m); err != nil {
		return err
	}
	provider := m["provider"].(string)
	v, ok := ssoProviders[provider]
	if !ok {
		return fmt.Errorf("unsupported provider %s", provider)
	}
	m["provider"] = v
	name, ok := m["name"]
	if !ok {
		return fmt.Errorf("name field in SharedSSOConfig is required")
	}
	s.Name = name.(string)
	delete(m, "name")
	data, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return protoDecode(data, projectSSOConfig)
}

type ControlPlaneDataStore struct {
	Type            string
	FirestoreConfig *DataStoreFireStoreConfig
	MySQLConfig     *DataStoreMySQLConfig
}

type genericControlPlaneDataStore struct {
	Type   string          `json:"type"`
	Config json.RawMessage `json:"config"`
}

func (d *ControlPlaneDataStore) UnmarshalJSON(data []byte) error {
	var err error
	gc := genericControlPlaneDataStore{}
	if err = json.Unmarshal(data, &gc); err != nil {
		return err
	}
	d.Type = gc.Type
	switch d.Type {
	case "FIRESTORE":
		d.FirestoreConfig = &DataStoreFireStoreConfig{}
		if len(gc.Config) > 0 {
			err = json.Unmarshal(gc.Config, d.FirestoreConfig)
		}
	case "MYSQL":
		d.MySQLConfig = &DataStoreMySQLConfig{}
		if len(gc.Config) > 0 {
			err = json.Unmarshal(gc.Config, d.MySQLConfig)
		}
	}
	return err
}

type ControlPlaneCache struct {
	TTL Duration `json:"ttl"`
}

type ControlPlaneInsightCollector struct {
	Application InsightCollectorApplication `json:"application"`
	Deployment  InsightCollectorDeployment  `json:"deployment"`
}

type InsightCollectorApplication struct {
	Enabled  *bool  `json:"enabled" default:"true"`
	Schedule string `json:"schedule" default:"0 * * * *"`
}

type InsightCollectorDeployment struct {
	Enabled       *bool  `json:"enabled" default:"true"`
	Schedule      string `json:"schedule" default:"30 * * * *"`
	ChunkMaxCount int    `json:"chunkMaxCount" default:"1000"`
}

type DataStoreFireStoreConfig struct {
	Namespace            string `json:"namespace"`
	Environment          string `json:"environment"`
	CollectionNamePrefix string `json:"collectionNamePrefix"`
	Project              string `json:"project"`
	CredentialsFile      string `json:"credentialsFile"`
}

type DataStoreMySQLConfig struct {
	URL          string `json:"url"`
	Database     string `json:"database"`
	UsernameFile string `json:"usernameFile"`
	PasswordFile string `json:"passwordFile"`
}

type ControlPlaneFileStore struct {
	Type        string
	GCSConfig   *FileStoreGCSConfig   `json:"gcs"`
	S3Config    *FileStoreS3Config    `json:"s3"`
	MinioConfig *FileStoreMinioConfig `json:"minio"`
}

type genericControlPlaneFileStore struct {
	Type   string          `json:"type"`
	Config json.RawMessage `json:"config"`
}

func (f *ControlPlaneFileStore) UnmarshalJSON(data []byte) error {
	var err error
	gf := genericControlPlaneFileStore{}
	if err = json.Unmarshal(data, &gf); err != nil {
		return err
	}
	f.Type = gf.Type
	switch f.Type {
	case "GCS":
		f.GCSConfig = &FileStoreGCSConfig{}
		if len(gf.Config) > 0 {
			err = json.Unmarshal(gf.Config, f.GCSConfig)
		}
	case "S3":
		f.S3Config = &FileStoreS3Config{}
		if len(gf.Config) > 0 {
			err = json.Unmarshal(gf.Config, f.S3Config)
		}
	case "MINIO":
		f.MinioConfig = &FileStoreMinioConfig{}
		if len(gf.Config) > 0 {
			err = json.Unmarshal(gf.Config, f.MinioConfig)
		}
	}
	return err
}

type FileStoreGCSConfig struct {
	Bucket          string `json:"bucket"`
	CredentialsFile string `json:"credentialsFile"`
}

type FileStoreS3Config struct {
	Bucket          string `json:"bucket"`
	Region          string `json:"region"`
	Profile         string `json:"profile"`
	CredentialsFile string `json:"credentialsFile"`
	RoleARN         string `json:"roleARN"`
	TokenFile       string `json:"tokenFile"`
}

type FileStoreMinioConfig struct {
	Endpoint         string `json:"endpoint"`
	Bucket           string `json:"bucket"`
	AccessKeyFile    string `json:"accessKeyFile"`
	SecretKeyFile    string `json:"secretKeyFile"`
	AutoCreateBucket bool   `json:"autoCreateBucket"`
}

// Duration mirrors pkg/config/duration.go.
type Duration time.Duration

func (d *Duration) UnmarshalJSON(b []byte) error {
	var v interface{}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	switch raw := v.(type) {
	case float64:
		*d = Duration(time.Duration(raw))
		return nil
	case string:
		value, err := time.ParseDuration(raw)
		if err != nil {
			return err
		}
		*d = Duration(value)
		return nil
	default:
		return fmt.Errorf("invalid duration: %v", string(b))
	}
}

func loadControlPlane(data []byte) error {
	var spec ControlPlaneSpec
	if err := decodeV0(data, "ControlPlane", &spec); err != nil {
		return err
	}
	return serverStart(&spec)
}

// serverStart mirrors cmd/controlplane/server.go createFilestore and createDatastore up to the
// point where they need the network: pkg/filestore/s3 NewStore, pkg/datastore/mysql
// BuildDataSourceName, and go-sql-driver's ParseDSN (dsn.go) that sql.Open runs.
func serverStart(s *ControlPlaneSpec) error {
	switch s.Filestore.Type {
	case "GCS", "MINIO":
	case "S3":
		if s.Filestore.S3Config.Region == "" {
			return fmt.Errorf("region is required field")
		}
		if s.Filestore.S3Config.Bucket == "" {
			return fmt.Errorf("bucket is required field")
		}
	default:
		return fmt.Errorf("unknown filestore type %q", s.Filestore.Type)
	}
	switch s.Datastore.Type {
	case "FIRESTORE":
		return nil
	case "MYSQL":
		c := s.Datastore.MySQLConfig
		dsn, err := buildDataSourceName(c.URL, c.Database, c.UsernameFile, c.PasswordFile)
		if err != nil {
			return err
		}
		return parseDSN(dsn)
	default:
		return fmt.Errorf("unknown datastore type %q", s.Datastore.Type)
	}
}

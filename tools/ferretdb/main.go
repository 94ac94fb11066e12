// Command ferretdb runs an embedded FerretDB 1.24.2 (MongoDB wire protocol) for the
// omnichannel server's embedded defaults and its test harness.
//
// Why a wrapper instead of `go install .../cmd/ferretdb`: that binary panics at start
// because build/version/version.txt is not part of the Go module. The embeddable
// package has no such need and keeps telemetry off.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on")
	handler := flag.String("handler", "sqlite", "backend: sqlite or postgresql")
	sqliteDir := flag.String("sqlite-dir", "", "directory for SQLite databases (sqlite handler)")
	pgURL := flag.String("postgresql-url", "", "PostgreSQL URL (postgresql handler)")
	flag.Parse()

	cfg := ferretdb.Config{
		Listener: ferretdb.ListenerConfig{TCP: *listen},
		Handler:  *handler,
	}
	switch *handler {
	case "sqlite":
		if *sqliteDir == "" {
			log.Fatal("ferretdb: --sqlite-dir is required with the sqlite handler")
		}
		dir, err := filepath.Abs(*sqliteDir)
		if err != nil {
			log.Fatalf("ferretdb: %v", err)
		}
		if err := os.MkdirAll(dir, 0o700); err != nil {
			log.Fatalf("ferretdb: %v", err)
		}
		cfg.SQLiteURL = "file:" + dir + "/"
	case "postgresql":
		cfg.PostgreSQLURL = *pgURL
	default:
		log.Fatalf("ferretdb: unknown handler %q", *handler)
	}

	f, err := ferretdb.New(&cfg)
	if err != nil {
		log.Fatalf("ferretdb: %v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	// The harness waits for this line before connecting.
	fmt.Printf("ferretdb listening on %s\n", *listen)
	if err := f.Run(ctx); err != nil && ctx.Err() == nil {
		log.Fatalf("ferretdb: %v", err)
	}
}
